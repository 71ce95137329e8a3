/** The UnionPay channel family (online gateway, ACP 5.1.0): UN_WEB and UN_WAP. */
import type { ChannelFamily } from '../channel.ts';
import { UnionpayAdapter } from './unionpay-adapter.ts';
import { maskUnionpaySettings, parseUnionpaySettings, type UnionpaySettings } from './unionpay-settings.ts';

export type { UnionpaySettings } from './unionpay-settings.ts';
export { UnionpayAdapter } from './unionpay-adapter.ts';

export const unionpayChannel: ChannelFamily<UnionpaySettings> = {
  family: 'UN',
  channels: ['UN_WEB', 'UN_WAP'],
  parseSettings: (input) => parseUnionpaySettings(input),
  maskSettings: maskUnionpaySettings,
  createAdapter: (settings, { http, now }) => new UnionpayAdapter(settings, http, now),
};
