/**
 * The payment channels bills can be made on (reference §3): the REST channel name, its family (the webhook's
 * channel_type), the action the payer continues with (redirect to a cashier, scan a QR code, WeChat JSAPI), and
 * which button channel codes in the app's menu enable it. The names and the action type are the channel
 * contract's (`channel.ts`).
 */
import type { ButtonChannelName, ChannelFamilyName, ChannelName, PaymentStart } from './channel.ts';

export const buttonChannels = [
  'ALI_WEB',
  'ALI_WAP',
  'ALI_QRCODE',
  'WX_NATIVE',
  'WX_JSAPI',
  'WX_WAP',
  'UN_WEB',
  'UN_WAP',
] as const satisfies readonly ButtonChannelName[];
/** Every channel name a bill can carry (button, offline, international). */
export const allChannels = [
  ...buttonChannels,
  'WX_SCAN',
  'ALI_SCAN',
  'ALI_OFFLINE_QRCODE',
  'PAYPAL_PAYPAL',
  'PAYPAL_CREDITCARD',
  'PAYPAL_SAVED_CREDITCARD',
] as const satisfies readonly ChannelName[];
export type ButtonChannel = ChannelName;
export type ChannelFamily = ChannelFamilyName;
/**
 * How the payer continues: the `action` of the bill-creation answer, or for the channels outside the button
 * `scan` (the till scans the payer's payment code) and `card` (a card charged at once).
 */
export type PaymentAction = PaymentStart['action'] | 'scan' | 'card';

export interface ChannelInfo {
  channel: ButtonChannel;
  family: ChannelFamily;
  action: PaymentAction;
  /** Menu codes of the app that enable this channel; `any` = every app (the endpoint itself is the gate). */
  enabledBy: readonly string[] | 'any';
  /** Shown on sandbox pages. */
  label: string;
}

const channelTable: Record<ButtonChannel, ChannelInfo> = {
  ALI_WEB: { channel: 'ALI_WEB', family: 'ALI', action: 'redirect', enabledBy: ['ali'], label: '支付宝' },
  ALI_WAP: { channel: 'ALI_WAP', family: 'ALI', action: 'redirect', enabledBy: ['ali'], label: '支付宝' },
  ALI_QRCODE: {
    channel: 'ALI_QRCODE',
    family: 'ALI',
    action: 'qr',
    enabledBy: ['aliqr'],
    label: '支付宝扫码',
  },
  WX_NATIVE: { channel: 'WX_NATIVE', family: 'WX', action: 'qr', enabledBy: ['wxmp'], label: '微信支付' },
  WX_JSAPI: { channel: 'WX_JSAPI', family: 'WX', action: 'jsapi', enabledBy: ['wx'], label: '微信支付' },
  WX_WAP: { channel: 'WX_WAP', family: 'WX', action: 'redirect', enabledBy: ['wxwap'], label: '微信支付' },
  UN_WEB: { channel: 'UN_WEB', family: 'UN', action: 'redirect', enabledBy: ['un'], label: '银联支付' },
  UN_WAP: {
    channel: 'UN_WAP',
    family: 'UN',
    action: 'redirect',
    enabledBy: ['un', 'unwap'],
    label: '银联支付',
  },
  WX_SCAN: {
    channel: 'WX_SCAN',
    family: 'WX',
    action: 'scan',
    enabledBy: ['wx', 'wxmp', 'wxwap'],
    label: '微信付款码',
  },
  ALI_SCAN: {
    channel: 'ALI_SCAN',
    family: 'ALI',
    action: 'scan',
    enabledBy: ['ali', 'aliqr'],
    label: '支付宝付款码',
  },
  ALI_OFFLINE_QRCODE: {
    channel: 'ALI_OFFLINE_QRCODE',
    family: 'ALI',
    action: 'qr',
    enabledBy: ['ali', 'aliqr'],
    label: '支付宝扫码',
  },
  PAYPAL_PAYPAL: {
    channel: 'PAYPAL_PAYPAL',
    family: 'PAYPAL',
    action: 'redirect',
    enabledBy: 'any',
    label: 'PayPal',
  },
  PAYPAL_CREDITCARD: {
    channel: 'PAYPAL_CREDITCARD',
    family: 'PAYPAL',
    action: 'card',
    enabledBy: 'any',
    label: 'PayPal card',
  },
  PAYPAL_SAVED_CREDITCARD: {
    channel: 'PAYPAL_SAVED_CREDITCARD',
    family: 'PAYPAL',
    action: 'card',
    enabledBy: 'any',
    label: 'PayPal saved card',
  },
};

/** The families with live credentials (an app's channel settings). */
export const channelFamilies: readonly ChannelFamily[] = ['WX', 'ALI', 'UN'];
/** Every family a bill may belong to (PAYPAL has no live adapter: sandbox only). */
export const billFamilies: readonly ChannelFamily[] = [...channelFamilies, 'PAYPAL'];

/** A family with live credentials (ALI, WX, UN): what an app's channel settings are stored under. */
export function isCredentialFamily(name: string): name is ChannelFamily {
  return (channelFamilies as readonly string[]).includes(name);
}

/** Any family a bill may belong to (also PAYPAL): the `channel` filter of the queries. */
export function isChannelFamily(name: string): name is ChannelFamily {
  return (billFamilies as readonly string[]).includes(name);
}

/** A channel of the payment button and `POST /2/rest/bill`. */
export function isButtonChannel(name: string): name is ButtonChannel {
  return (buttonChannels as readonly string[]).includes(name);
}

/** Any channel a bill can be made on (button, offline, international). */
export function isChannelName(name: string): name is ChannelName {
  return (allChannels as readonly string[]).includes(name);
}

export function channelInfo(channel: ButtonChannel): ChannelInfo {
  return channelTable[channel];
}

export function isChannelEnabled(channel: ButtonChannel, appChannels: readonly string[]): boolean {
  const enabledBy = channelTable[channel].enabledBy;
  return enabledBy === 'any' || enabledBy.some((code) => appChannels.includes(code));
}

/** The `channel` filter of the bill and refund queries: a channel family (WX, ALI, UN) or one channel (WX_NATIVE, …). */
export type ChannelFilter = { family: ChannelFamily } | { subChannel: ButtonChannel };

export function channelFilterMatches(
  filter: ChannelFilter | undefined,
  family: string,
  subChannel: string,
): boolean {
  if (filter === undefined) return true;
  return 'family' in filter ? filter.family === family : filter.subChannel === subChannel;
}
