/**
 * The WeChat Pay family (API v3): WX_NATIVE, WX_JSAPI and WX_WAP, as the channel registry knows it.
 */
import type { ChannelFamily } from '../channel.ts';
import { WechatpayAdapter } from './wechatpay-adapter.ts';
import {
  maskWechatpaySettings,
  parseWechatpaySettings,
  type WechatpaySettings,
} from './wechatpay-settings.ts';

export type { WechatpaySettings } from './wechatpay-settings.ts';
export { WechatpayAdapter } from './wechatpay-adapter.ts';

export const wechatpayChannel: ChannelFamily<WechatpaySettings> = {
  family: 'WX',
  channels: ['WX_NATIVE', 'WX_JSAPI', 'WX_WAP'],
  parseSettings: parseWechatpaySettings,
  maskSettings: maskWechatpaySettings,
  createAdapter: (settings, { http, now }) => new WechatpayAdapter(settings, http, now),
};
