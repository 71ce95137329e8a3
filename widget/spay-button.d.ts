/**
 * Typings for the spay payment button (a drop-in for BeeCloud's 秒支付 button), for merchant pages written in
 * TypeScript. Load the script with
 *   <script id="spay-script" src="https://GATEWAY/1/pay/jsbutton/returnscripts?appId=APP_ID"></script>
 * and reference this file (`/// <reference path="spay-button.d.ts" />`) or copy it into your project.
 */

/** A value of the `optional` map: echoed to the merchant's webhook. No nesting. */
type BCOptionalValue = string | number | boolean | null;

/** BC.click's data (BeeCloud's fields plus `locale`). */
interface BCClickData {
  /** Order number: 8–32 letters/digits, unique per app. */
  out_trade_no: string;
  /** At most 16 Chinese or 32 other characters (a non-ASCII character counts 2). */
  title: string;
  /** Integer fen (分) > 0, at most 2^31 − 1. A string of digits is accepted too. */
  amount: number | string;
  /**
   * Computed on your server. v2 (recommended, with `sign_type: 'HMAC-SHA256'`): 64 hex characters, HMAC-SHA256 over
   * the named fields (the SDK's signButtonOrderV2). Legacy: md5_utf8(appId + title + amount + out_trade_no +
   * appSecret), 32 hex characters — weak: title and amount can be re-split; check transaction_fee in the webhook.
   */
  sign: string;
  /** 'HMAC-SHA256' for the v2 sign; absent (or 'MD5') for the legacy md5 sign. */
  sign_type?: 'HMAC-SHA256' | 'MD5';
  /** http(s) URL without a query string; the button appends BeeCloud's result parameters after payment. */
  return_url?: string;
  /** alert() progress and errors (default false). */
  debug?: boolean;
  optional?: Record<string, BCOptionalValue>;
  /** Skip the menu: 'ali', 'wxmp' (WeChat QR), 'wx' (WeChat JSAPI, inside WeChat), 'un', 'unwap', 'wxwap', … */
  instant_channel?: string;
  /** Inside WeChat, Alipay goes through an "open in browser" guide page (default true). */
  need_ali_guide?: boolean | 'true' | 'false';
  /** The payer's WeChat openid: required for 'wx' (JSAPI). */
  openid?: string;
  /** Alipay on phones: try the Alipay app (default true). */
  use_app?: boolean | 'true' | 'false';
  /** spay: seconds until the bill expires (1 to 2592000; the gateway's default otherwise: 2 h for QR bills). */
  bill_timeout?: number;
  /**
   * spay: the merchant's user (a registered buyer_id): the menu shows a 优惠券 row with the buyer's coupons. Needs
   * the v2 sign (sign_type "HMAC-SHA256", signButtonOrderV2 with buyer_id), which covers it.
   */
  buyer_id?: string;
  /** The dialog's language; default (or 'auto'): the page's <html lang>, else English for an English browser, else zh-CN. */
  locale?: 'zh-CN' | 'en' | 'auto';
}

/** What dataError receives: a BeeCloud result name, the field at fault ('' when none) and a message naming it. */
interface BCDataError {
  /** MISS_PARAM, PARAM_INVALID, CHANNEL_INVALID, APP_INVALID, NETWORK_ERROR, CHANNEL_ERROR, … */
  code: string;
  field: string;
  message: string;
}

/** WeChat's answer to getBrandWCPayRequest ("get_brand_wcpay_request:ok" | ":cancel" | ":fail"). */
interface BCWxJsapiResult {
  err_msg: string;
  [key: string]: unknown;
}

/** A bill as the gateway's public status shows it. */
interface BCPublicBill {
  id: string;
  bill_no: string;
  title: string;
  total_fee: number;
  channel: string;
  sub_channel: string;
  spay_result: boolean;
  status: 'open' | 'paid' | 'closed' | 'expired';
  create_time: number;
  trade_no: string;
  expires_at?: number | null;
}

/** The detail of every lifecycle event (`beecloud:NAME` on document, and the `NAME` callback). */
interface BCLifecycleDetail {
  out_trade_no: string;
  /** The menu's channel code (ali, wxmp, wx, un, …). */
  channel?: string;
  /** The REST channel (ALI_WEB, WX_NATIVE, …). */
  rest_channel?: string;
  bill_id?: string;
  code_url?: string;
  bill?: BCPublicBill;
  error?: BCDataError;
  wx_result?: BCWxJsapiResult;
}

interface BCClickEvents {
  /** Bad data, a refused order or an unreachable gateway: nothing was paid. */
  dataError?(error: BCDataError): void;
  /** WeChat JSAPI, in the original's order: wxJsapiFinish, then wxJsapiSuccess or wxJsapiFail. */
  wxJsapiFinish?(result: BCWxJsapiResult): void;
  wxJsapiSuccess?(result: BCWxJsapiResult): void;
  wxJsapiFail?(result: BCWxJsapiResult): void;
  /** The dialog opened. */
  open?(detail: BCLifecycleDetail): void;
  /** The payer chose a channel (or instant_channel did). */
  channel?(detail: BCLifecycleDetail): void;
  /** The WeChat QR code is shown. */
  qrshown?(detail: BCLifecycleDetail): void;
  /** Paid (QR: the gateway says so; JSAPI: WeChat says so — trust only your webhook). */
  paid?(detail: BCLifecycleDetail): void;
  /** The payment could not start or WeChat reported a failure or cancel. */
  failed?(detail: BCLifecycleDetail): void;
  /** The QR code's bill expired. */
  expired?(detail: BCLifecycleDetail): void;
  /** The dialog closed. */
  close?(detail: BCLifecycleDetail): void;
}

interface BCButton {
  /** Opens the payment menu (or goes straight to `instant_channel`). Bad data → events.dataError, nothing sent. */
  click(data: BCClickData, events?: BCClickEvents): void;
  /** Resolves once BC is ready (at once: BC exists only when it is). */
  ready(): Promise<BCButton>;
  /** Closes the dialog if one is open. */
  close(): void;
  readonly version: string;
}

interface BCLifecycleEventMap {
  'beecloud:onready': CustomEvent<{ msg: string }>;
  'beecloud:open': CustomEvent<BCLifecycleDetail>;
  'beecloud:channel': CustomEvent<BCLifecycleDetail>;
  'beecloud:qrshown': CustomEvent<BCLifecycleDetail>;
  'beecloud:paid': CustomEvent<BCLifecycleDetail>;
  'beecloud:failed': CustomEvent<BCLifecycleDetail>;
  'beecloud:expired': CustomEvent<BCLifecycleDetail>;
  'beecloud:close': CustomEvent<BCLifecycleDetail>;
}

interface DocumentEventMap extends BCLifecycleEventMap {}

interface Window {
  BC?: BCButton;
}

declare var BC: BCButton;
