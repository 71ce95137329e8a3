/**
 * What the payer reads when a payment does not go through: a short title saying what happened and a sentence
 * saying what to do, in zh-CN and English. Never an exception text or a result code: those go to the merchant
 * (dataError, the `failed` event, the console, and alert() in debug mode).
 *
 * Only the network notice ships in the first script (without a network nothing more can be loaded); the other
 * states, and which state a DataError is, live in notice-texts.ts, in the lazily loaded chunk (size budget).
 */
import type { Locale } from './i18n.ts';
import type { DataError } from './types.ts';

/** Every state the payer can meet where the payment stops. */
export type PayerTrouble =
  /** The gateway could not be reached (or the widget's lazy chunk could not be loaded). */
  | 'network'
  /** The gateway answered with an internal error. */
  | 'gateway'
  /** The channel refused the payment, or has no credentials on the gateway. */
  | 'channel'
  /** The shop's integration is wrong (sign, app, order fields, channels): only the shop can fix it. */
  | 'shop'
  /** The order was paid already. */
  | 'paid'
  /** The QR code's bill expired: its countdown reached zero, or the gateway said so first. */
  | 'qrExpired'
  /** Cancelled or failed in the channel: the bill was closed there, or WeChat JSAPI answered cancel or fail. */
  | 'unfinished';

/** The one way out of a notice: pay again, back to the channel menu, a new QR code, or close the dialog. */
export type NoticeAction = 'retry' | 'menu' | 'refresh' | 'close';

export interface PayerNotice {
  title: string;
  text: string;
  action: NoticeAction;
}

/**
 * What the lazy chunk offers: the notice for a state, or for a DataError (which state it is); undefined for the
 * network state, whose notice is NETWORK_NOTICE.
 */
export type NoticeFinder = (cause: PayerTrouble | DataError, locale: Locale) => PayerNotice | undefined;

export const NETWORK_NOTICE: Record<Locale, PayerNotice> = {
  'zh-CN': { title: '网络连接失败', text: '请检查网络后重试。', action: 'retry' },
  en: { title: 'No connection', text: 'Check your connection and try again.', action: 'retry' },
};

export function isNetworkTrouble(cause: PayerTrouble | DataError): boolean {
  return cause === 'network' || (cause as DataError).code === 'NETWORK_ERROR';
}

/** The DataError of a gateway (or lazy chunk) that cannot be reached. */
export function networkError(message: string): DataError {
  return { code: 'NETWORK_ERROR', field: '', message };
}
