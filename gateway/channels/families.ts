/**
 * The live channel families the gateway registers in its channel registry (core/channel-registry.ts). A channel
 * helper adds its family here (`alipayChannel`, `wechatpayChannel`, `unionpayChannel`); until then live apps get
 * PAY_FACTOR_NOT_SET for that family.
 */
import { alipayChannel } from './alipay/index.ts';
import type { ChannelFamily } from './channel.ts';
import { unionpayChannel } from './unionpay/index.ts';
import { wechatpayChannel } from './wechatpay/index.ts';

export const installedChannelFamilies: readonly ChannelFamily[] = [
  alipayChannel,
  unionpayChannel,
  wechatpayChannel,
];
