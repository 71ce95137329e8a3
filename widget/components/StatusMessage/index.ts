export { statusMessage, type StatusMessageProps } from './StatusMessage.ts';
