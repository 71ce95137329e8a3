export { StatusMessage, type StatusMessageProps } from './StatusMessage.tsx';
