/**
 * What the payer reads when a payment does not go through: a short title saying what happened and a sentence
 * saying what to do, in zh-CN and English. Never an exception text or a result code: those go to the merchant
 * (dataError, the `failed` event, the console, and alert() in debug mode).
 *
 * Only the network notice ships in the first script (without a network, nothing more can be loaded); the others
 * are in notice-texts.ts, which ships in the lazily loaded chunk (size budget, issue 3).
 */
import type { Locale } from './i18n.ts';
import type { DataError } from './types.ts';

/** Every state the payer can meet where the payment stops. */
export type PayerTrouble =
  /** The gateway could not be reached (or a chunk of the widget could not be loaded). */
  | 'network'
  /** The gateway answered with an internal error. */
  | 'gateway'
  /** The channel refused the payment, or is not available for this shop. */
  | 'channel'
  /** The shop's integration is wrong (sign, app, order fields): only the shop can fix it. */
  | 'shop'
  /** The order was paid already. */
  | 'paid'
  /** The gateway says the bill's time is up. */
  | 'billExpired'
  /** The QR code's countdown reached zero. */
  | 'qrExpired'
  /** Cancelled or failed in the channel: the bill was closed there, or WeChat JSAPI answered cancel or fail. */
  | 'unfinished';

/** The one way out each state offers: pay again, back to the channel menu, a new QR code, or close the dialog. */
export type NoticeAction = 'retry' | 'menu' | 'refresh' | 'close';

/** A notice's [title, text] in both languages. */
export type NoticeText = Record<Locale, [title: string, text: string]>;
export type NoticeTexts = Record<Exclude<PayerTrouble, 'network'>, NoticeText>;

export interface PayerNotice {
  title: string;
  text: string;
  action: NoticeAction;
}

const ACTIONS: Record<PayerTrouble, NoticeAction> = {
  network: 'retry',
  gateway: 'retry',
  channel: 'menu',
  shop: 'close',
  paid: 'close',
  billExpired: 'refresh',
  qrExpired: 'refresh',
  unfinished: 'menu',
};

const NETWORK: NoticeText = {
  'zh-CN': ['网络连接失败', '请检查网络后重试。'],
  en: ['No connection', 'Check your connection and try again.'],
};

/** The notice for `trouble`; `texts` (from the lazy chunk) is needed for every state but `network`. */
export function payerNotice(trouble: PayerTrouble, locale: Locale, texts?: NoticeTexts): PayerNotice {
  const [title, text] = (trouble === 'network' ? NETWORK : texts![trouble])[locale];
  return { title, text, action: ACTIONS[trouble] };
}

/** Which payer state a DataError (from the page's own checks or the gateway's answer) is. */
export function troubleFor(error: DataError): PayerTrouble {
  switch (error.code) {
    case 'NETWORK_ERROR':
      return 'network';
    case 'RUNTIME_ERROR':
      return 'gateway';
    case 'CHANNEL_ERROR':
    case 'PAY_FACTOR_NOT_SET':
      return 'channel';
    case 'BILL_NO_DUPLICATE':
      return error.field === 'out_trade_no' ? 'paid' : 'shop';
    default:
      // MISS_PARAM, PARAM_INVALID, APP_INVALID, CHANNEL_INVALID (a channel the app does not have, an unknown
      // instant_channel), an openid missing for JSAPI: the page's data or the app, which only the shop can fix.
      return 'shop';
  }
}
