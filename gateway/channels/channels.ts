/**
 * The payment channels the button can create bills on (reference §3): the REST channel name, its family
 * (the webhook's channel_type), how the payer pays (redirect to a cashier, scan a QR code, or WeChat JSAPI),
 * and which button channel codes in the app's menu enable it.
 */

export const buttonChannels = [
  'ALI_WEB',
  'ALI_WAP',
  'WX_NATIVE',
  'WX_JSAPI',
  'WX_WAP',
  'UN_WEB',
  'UN_WAP',
] as const;
export type ButtonChannel = (typeof buttonChannels)[number];

export type ChannelFamily = 'ALI' | 'WX' | 'UN';
export type PaymentKind = 'redirect' | 'qr' | 'jsapi';

export interface ChannelInfo {
  channel: ButtonChannel;
  family: ChannelFamily;
  kind: PaymentKind;
  /** Menu codes of the app that enable this channel. */
  enabledBy: readonly string[];
  /** Shown on sandbox pages. */
  label: string;
}

const channelTable: Record<ButtonChannel, ChannelInfo> = {
  ALI_WEB: { channel: 'ALI_WEB', family: 'ALI', kind: 'redirect', enabledBy: ['ali'], label: '支付宝' },
  ALI_WAP: { channel: 'ALI_WAP', family: 'ALI', kind: 'redirect', enabledBy: ['ali'], label: '支付宝' },
  WX_NATIVE: { channel: 'WX_NATIVE', family: 'WX', kind: 'qr', enabledBy: ['wxmp'], label: '微信支付' },
  WX_JSAPI: { channel: 'WX_JSAPI', family: 'WX', kind: 'jsapi', enabledBy: ['wx'], label: '微信支付' },
  WX_WAP: { channel: 'WX_WAP', family: 'WX', kind: 'redirect', enabledBy: ['wxwap'], label: '微信支付' },
  UN_WEB: { channel: 'UN_WEB', family: 'UN', kind: 'redirect', enabledBy: ['un'], label: '银联支付' },
  UN_WAP: {
    channel: 'UN_WAP',
    family: 'UN',
    kind: 'redirect',
    enabledBy: ['un', 'unwap'],
    label: '银联支付',
  },
};

export function isButtonChannel(name: string): name is ButtonChannel {
  return (buttonChannels as readonly string[]).includes(name);
}

export function channelInfo(channel: ButtonChannel): ChannelInfo {
  return channelTable[channel];
}

export function isChannelEnabled(channel: ButtonChannel, appChannels: readonly string[]): boolean {
  return channelTable[channel].enabledBy.some((code) => appChannels.includes(code));
}
