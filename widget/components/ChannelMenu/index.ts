export { channelMenu, type ChannelMenu, type ChannelMenuProps } from './ChannelMenu.ts';
