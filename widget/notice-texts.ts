/**
 * The payer notices' texts for every state but `network` (notices.ts), in zh-CN and English. They ship in the
 * lazily loaded chunk (widget/qr/chunk.ts), loaded when a payment stops for one of these reasons.
 */
import type { NoticeTexts } from './notices.ts';

export const NOTICE_TEXTS: NoticeTexts = {
  gateway: {
    'zh-CN': ['支付服务暂不可用', '请稍后重试。'],
    en: ['Service unavailable', 'Please try again later.'],
  },
  channel: {
    'zh-CN': ['该支付方式暂不可用', '请选择其他支付方式。'],
    en: ['Payment method unavailable', 'Please choose another one.'],
  },
  shop: {
    'zh-CN': ['暂时无法付款', '请联系商户。'],
    en: ['Payment cannot start', 'Please contact the shop.'],
  },
  paid: {
    'zh-CN': ['订单已支付', '无需重复付款。'],
    en: ['Already paid', 'No need to pay again.'],
  },
  billExpired: {
    'zh-CN': ['订单已超时', '请刷新后重新付款。'],
    en: ['Payment timed out', 'Refresh to pay again.'],
  },
  qrExpired: {
    'zh-CN': ['二维码已过期', '请刷新后重新扫码付款。'],
    en: ['The QR code has expired', 'Refresh to get a new code.'],
  },
  unfinished: {
    'zh-CN': ['支付未完成', '请重新选择支付方式。'],
    en: ['Payment not completed', 'Please choose a payment method.'],
  },
};
