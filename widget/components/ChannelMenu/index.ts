export { ChannelMenu, type ChannelMenuProps } from './ChannelMenu.tsx';
