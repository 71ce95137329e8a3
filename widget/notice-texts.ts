/**
 * The payer notices of every state but `network` (notices.ts), in zh-CN and English, and which state a DataError
 * is. This module ships in the lazily loaded chunk (widget/qr/chunk.ts), loaded when a payment stops.
 */
import type { NoticeAction, NoticeFinder, PayerTrouble } from './notices.ts';
import type { DataError } from './types.ts';

/** By state: the way out, then zh-CN's title and text, then English's. */
export const NOTICES: Record<
  Exclude<PayerTrouble, 'network'>,
  [action: NoticeAction, zhTitle: string, zhText: string, enTitle: string, enText: string]
> = {
  gateway: ['retry', '支付服务暂不可用', '请稍后重试。', 'Service unavailable', 'Please try again later.'],
  channel: [
    'menu',
    '该支付方式暂不可用',
    '请选择其他支付方式。',
    'Payment method unavailable',
    'Please choose another one.',
  ],
  shop: ['close', '暂时无法付款', '请联系商户。', 'Payment cannot start', 'Please contact the shop.'],
  paid: ['close', '订单已支付', '无需重复付款。', 'Already paid', 'No need to pay again.'],
  qrExpired: [
    'refresh',
    '二维码已过期',
    '请刷新后重新扫码付款。',
    'QR code expired',
    'Refresh to get a new code.',
  ],
  unfinished: [
    'menu',
    '支付未完成',
    '请重新选择支付方式。',
    'Payment not completed',
    'Please choose a payment method.',
  ],
};

/** Which payer state a DataError (from the page's own checks or the gateway's answer) is. */
export function troubleFor({ code, field }: DataError): PayerTrouble {
  if (code === 'NETWORK_ERROR') return 'network';
  if (code === 'RUNTIME_ERROR') return 'gateway';
  // PAY_FACTOR_NOT_SET: the gateway has no credentials for the channel, or the app has not configured it.
  if (code === 'CHANNEL_ERROR' || code === 'PAY_FACTOR_NOT_SET') return 'channel';
  // BILL_NO_DUPLICATE names out_trade_no when the order is paid, amount or title when the page changed them.
  if (code === 'BILL_NO_DUPLICATE' && field === 'out_trade_no') return 'paid';
  // MISS_PARAM, PARAM_INVALID, APP_INVALID, CHANNEL_INVALID (an unknown channel name, an instant_channel the
  // page's own check refuses), an openid missing for JSAPI: the page's data or the app, which only the shop can fix.
  return 'shop';
}

export const payerNotice: NoticeFinder = (cause, locale) => {
  const trouble = typeof cause === 'string' ? cause : troubleFor(cause);
  if (trouble === 'network') return undefined;
  const [action, ...texts] = NOTICES[trouble];
  const [title, text] = locale === 'en' ? texts.slice(2) : texts;
  return { title, text, action };
};
