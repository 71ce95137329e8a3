/**
 * The channel contract: what every payment channel (the sandbox, Alipay, WeChat Pay, UnionPay) implements, one
 * method per flow (as Hyperswitch's connectors do). It depends on nothing else in the gateway, so an adapter can be
 * written and tested against its simulator alone. The core picks the adapter for a bill by (app, mode, channel)
 * through the channel registry and builds it from that app's settings for the channel family.
 *
 * Money is integer fen on both sides of this interface: an adapter converts the channel's own format (Alipay's
 * yuan strings) exactly, never with floating point. Amount and state decisions belong to the core: an adapter
 * reports what the channel said, verified; it never decides that a bill is paid.
 */

/** The channels of the payment button and of `POST /2/rest/bill`. */
export type ButtonChannelName =
  'ALI_WEB' | 'ALI_WAP' | 'ALI_QRCODE' | 'WX_NATIVE' | 'WX_JSAPI' | 'WX_WAP' | 'UN_WEB' | 'UN_WAP';

/**
 * The offline channels of `POST /2/rest/offline/bill` that only it takes: the payer's payment code scanned by the
 * till (WX_SCAN, ALI_SCAN) and Alipay's QR code for the till's screen (ALI_OFFLINE_QRCODE). WX_NATIVE serves
 * offline too.
 */
export type OfflineChannelName = 'WX_SCAN' | 'ALI_SCAN' | 'ALI_OFFLINE_QRCODE';

/** The PayPal channels of `POST /2/rest/international/bill`. */
export type PayPalChannelName = 'PAYPAL_PAYPAL' | 'PAYPAL_CREDITCARD' | 'PAYPAL_SAVED_CREDITCARD';

/** Every channel a bill can be made on (BeeCloud's `sub_channel`). */
export type ChannelName = ButtonChannelName | OfflineChannelName | PayPalChannelName;

/** BeeCloud's `channel` / webhook `channel_type`. */
export type ChannelFamilyName = 'ALI' | 'WX' | 'UN' | 'PAYPAL';

/** The one payment attempt an adapter works on. */
export interface ChannelAttempt {
  /** The gateway's bill id (a UUID): BeeCloud's `id`. */
  billId: string;
  /**
   * The order number the channel sees (Alipay out_trade_no, WeChat out_trade_no, UnionPay orderId): the bill id
   * without dashes, 32 hex characters, valid for every channel's charset and length rules.
   */
  outTradeNo: string;
  /** The merchant's own order number (shown to the payer, never sent as the channel's order key). */
  billNo: string;
  channel: ChannelName;
  /** The order title (Alipay subject, WeChat description, UnionPay orderDesc). */
  title: string;
  /** Integer fen > 0. */
  totalFee: number;
  /** Milliseconds since the epoch. */
  createTime: number;
  /** When the attempt closes (ms since the epoch); the channel's own expiry is set to it where it has one. */
  expiresAt: number | null;
  /** WX_JSAPI: the payer's openid. */
  openid: string | null;
  /** The payer's IP as the gateway saw it (WeChat H5 needs it). */
  payerIp: string | null;
  /** International bills: the ISO 4217 currency of `totalFee` (then in that currency's minor units). */
  currency?: string;
}

/** Gateway URLs an adapter hands to the channel for one call. */
export interface ChannelUrls {
  /** Where the channel posts its notifies for this app and mode: `{gateway}/notify/{family}/{appId}` (live mode; test mode is the sandbox). */
  notifyUrl: string;
  /** Where the payer's browser comes back after the channel's page (a gateway route that then shows the result). */
  returnUrl: string;
  /** Where a payer who gives up goes back to (Alipay wap `quit_url`); null when the merchant gave none. */
  quitUrl: string | null;
}

/** How the payer continues after the bill is created: the action the widget maps to a component. */
export type PaymentStart =
  | { action: 'redirect'; url: string; method: 'GET' | 'POST'; param: Record<string, string> }
  | { action: 'qr'; codeUrl: string }
  | { action: 'jsapi'; params: WxJsapiParams };

/** The parameters of WeixinJSBridge.invoke("getBrandWCPayRequest", …). */
export interface WxJsapiParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'MD5' | 'HMAC-SHA256' | 'RSA';
  paySign: string;
}

/** A notify as the channel sent it over HTTP: the exact bytes (signatures cover them) and the headers. */
export interface RawChannelNotify {
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * What a verified notify said. `ignored` is a verified notify the gateway has nothing to do for (Alipay
 * WAIT_BUYER_PAY, a WeChat event type it does not act on): it is answered with success.
 */
export type ChannelNotice =
  | {
      kind: 'payment';
      outTradeNo: string;
      tradeNo: string;
      /** What the channel says was paid, in fen: the core compares it with the bill and books only an exact match. */
      totalFee: number;
      paidAt: number;
      /** The channel's payload, safe to store and to send to the merchant as `message_detail`. */
      detail: Record<string, unknown>;
    }
  | { kind: 'payment_failed'; outTradeNo: string; reason: string; detail: Record<string, unknown> }
  | {
      kind: 'refund';
      outRefundNo: string;
      outTradeNo: string;
      result: RefundResult;
      detail: Record<string, unknown>;
    }
  | { kind: 'ignored'; reason: string };

/** What the channel says about a payment when asked (reconciliation, close). */
export type PaymentQueryResult =
  | { status: 'paid'; tradeNo: string; totalFee: number; paidAt: number; detail: Record<string, unknown> }
  | { status: 'open' }
  | { status: 'closed' }
  /** The channel has never heard of it (the payer never opened the cashier, for Alipay page pay). */
  | { status: 'not_found' };

/** A refund as the channel sees it. Refunds may finish later: `processing` is settled by a notify or a query. */
export type RefundResult =
  | { status: 'success'; channelRefundNo: string; refundFee: number; finishedAt: number }
  | { status: 'processing'; channelRefundNo: string | null }
  | { status: 'failed'; reason: string };

export interface ChannelRefundRequest {
  /** The refund's unique number at the channel (Alipay out_request_no, WeChat out_refund_no, UnionPay orderId). */
  outRefundNo: string;
  refundFee: number;
  reason: string | null;
  /**
   * When the refund was first asked (ms since the epoch), the same on every retry and every query of it. UnionPay
   * identifies a transaction by orderId + txnTime, so its refund and refund query need it; channels that key
   * refunds by number alone ignore it.
   */
  requestedAt?: number;
}

/** The answer the channel expects to a notify it sent. */
export interface NotifyAnswer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * A channel call failed. `code` is the channel's own code (Alipay sub_code, WeChat code, UnionPay respCode) or
 * `NETWORK` / `TIMEOUT` / `BAD_SIGNATURE` (an answer that does not verify); `retryable` says whether asking again
 * may succeed (network errors, timeouts, 5xx, "system busy"). Never carries a secret.
 */
export class ChannelCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ChannelCallError';
  }
}

/**
 * Whether an outbound call failed because the channel did not answer in time (the gateway's client throws code
 * `TIMEOUT`, node's sockets `ETIMEDOUT`): such a call may have been carried out, so the adapter reports `TIMEOUT`.
 */
export function isOutboundTimeout(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (code === 'TIMEOUT' || code === 'ETIMEDOUT') return true;
  return /timeout|timed ?out|abort/i.test(`${String(name)} ${String(message)}`);
}

/** A notify that is not authentic or not for this app: answered with the channel's failure body, never booked. */
export class NotifyRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'NotifyRejected';
  }
}

/** Settings for a channel family that cannot be used; `field` names the setting (`private_key`, `mchid`, …). */
export class ChannelSettingsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ChannelSettingsError';
  }
}

/** The outbound HTTP call adapters make (the gateway passes its guarded client; tests may pass a plain one). */
export interface OutboundRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Milliseconds; the adapter's default is 10 s. */
  timeoutMs?: number;
}
export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}
export type OutboundHttp = (request: OutboundRequest) => Promise<OutboundResponse>;

/** A transfer (打款) to an account at the channel, e.g. Alipay's alipay.fund.trans.uni.transfer. */
export interface ChannelTransferRequest {
  /** The merchant's number for it at the channel (idempotent: the same number is one transfer). */
  outBizNo: string;
  totalFee: number;
  /** The receiver's account at the channel (an Alipay logon id) and its name. */
  payeeAccount: string;
  payeeName: string | null;
  title: string;
}

export type ChannelTransferResult =
  | { status: 'SUCCESS'; channelTransferNo: string; detail: Record<string, unknown> }
  | { status: 'FAIL'; reason: string; detail: Record<string, unknown> };

/**
 * What the channel said to a payment with the payer's payment code (Alipay bar_code, WeChat micropay): paid at once,
 * waiting for the payer to confirm on the phone (settled later by a query or notify), or refused.
 */
export type PaymentCodeResult =
  | { status: 'paid'; tradeNo: string; totalFee: number; paidAt: number; detail: Record<string, unknown> }
  | { status: 'waiting'; detail: Record<string, unknown> }
  | { status: 'failed'; reason: string; detail: Record<string, unknown> };

/** A card payment (PayPal direct card or a card saved at the channel). Never stored or logged whole. */
export type CardPayment =
  | {
      kind: 'card';
      number: string;
      expireMonth: number;
      expireYear: number;
      cvv: string;
      firstName: string;
      lastName: string;
      cardType: string;
    }
  | { kind: 'saved'; cardId: string; last4: string };

export type CardPaymentResult =
  | {
      status: 'paid';
      tradeNo: string;
      totalFee: number;
      paidAt: number;
      /** The card as saved at the channel (PAYPAL_CREDITCARD answers it as credit_card_id). */
      cardId: string | null;
      detail: Record<string, unknown>;
    }
  | { status: 'failed'; reason: string; detail: Record<string, unknown> };

/** What cancelling a payment did at the channel (Alipay alipay.trade.cancel: closed, or refunded when paid). */
export interface CancelResult {
  action: 'closed' | 'refunded';
  detail: Record<string, unknown>;
}

/** One method per flow. Every method is safe to call again with the same arguments (the channels are idempotent by
 * out_trade_no / out_refund_no, and so must the adapter be). */
export interface ChannelAdapter {
  readonly family: ChannelFamilyName | 'SANDBOX';
  createPayment(attempt: ChannelAttempt, urls: ChannelUrls): Promise<PaymentStart>;
  /** Verifies and parses a notify; throws NotifyRejected when it is not authentic or not for this app. */
  parseNotify(raw: RawChannelNotify): Promise<ChannelNotice>;
  /** The body the channel expects in answer to a notify (accepted = verified, whatever the core then did). */
  notifyAnswer(accepted: boolean): NotifyAnswer;
  queryPayment(attempt: ChannelAttempt): Promise<PaymentQueryResult>;
  /** Closes the payment at the channel so it can no longer be paid; a payment the channel never saw is fine. */
  closePayment(attempt: ChannelAttempt): Promise<void>;
  refund(attempt: ChannelAttempt, refund: ChannelRefundRequest, urls: ChannelUrls): Promise<RefundResult>;
  queryRefund(attempt: ChannelAttempt, refund: ChannelRefundRequest): Promise<RefundResult>;
  /** Transfers money to an account at the channel; absent where spay has no live transfer for the family. */
  transfer?(request: ChannelTransferRequest): Promise<ChannelTransferResult>;
  /** Takes a payment with the payer's payment code (WX_SCAN, ALI_SCAN); absent where the family has no such call. */
  chargePaymentCode?(
    attempt: ChannelAttempt,
    authCode: string,
    urls: ChannelUrls,
  ): Promise<PaymentCodeResult>;
  /** Cancels a payment made with a payment code (REVERT); absent: the core closes it with `closePayment`. */
  cancelPayment?(attempt: ChannelAttempt): Promise<CancelResult>;
  /** Charges a card (PayPal); absent where the family takes no cards. */
  chargeCard?(attempt: ChannelAttempt, card: CardPayment): Promise<CardPaymentResult>;
}

/**
 * A channel family as the registry knows it: which channels it serves, how its per-app settings are checked and
 * turned into an adapter. `parseSettings` receives what the merchant entered (CLI / console JSON) and throws
 * ChannelSettingsError naming the field; what it returns is what the gateway stores (encrypted at rest).
 */
export interface ChannelFamily<Settings = unknown> {
  readonly family: ChannelFamilyName;
  readonly channels: readonly ChannelName[];
  parseSettings(input: unknown): Settings;
  /** Settings with every secret replaced by a mask, for answers and logs. */
  maskSettings(settings: Settings): Record<string, unknown>;
  createAdapter(settings: Settings, deps: { http: OutboundHttp; now?: () => number }): ChannelAdapter;
}

/** The channel's order number for a bill id. */
export function outTradeNoFor(billId: string): string {
  return billId.replaceAll('-', '');
}
