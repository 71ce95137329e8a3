/** The Alipay channel family: ALI_WEB (desktop cashier), ALI_WAP (phone cashier), ALI_QRCODE (支付宝扫码). */
import type { ChannelFamily } from '../channel.ts';
import { AlipayAdapter } from './adapter.ts';
import { maskAlipaySettings, parseAlipaySettings, type AlipaySettings } from './settings.ts';

export type { AlipaySettings } from './settings.ts';

export const alipayChannel: ChannelFamily<AlipaySettings> = {
  family: 'ALI',
  channels: ['ALI_WEB', 'ALI_WAP', 'ALI_QRCODE', 'ALI_SCAN', 'ALI_OFFLINE_QRCODE'],
  parseSettings: (input) => parseAlipaySettings(input),
  maskSettings: maskAlipaySettings,
  createAdapter: (settings, { http, now }) => new AlipayAdapter(settings, http, now),
};
