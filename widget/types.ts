/** The shapes shared by the widget's modules: the merchant's BC.click data, its events, and errors. */
import type { PublicBill as WirePublicBill } from '../sdk/button-types.ts';

/** The config prelude the gateway prepends to the script (`var BCConfig = {…}`). */
export interface BCConfig {
  appId: string;
  /** Channel codes in the merchant's menu order, e.g. ["ali", "wxmp", "wx", "un"]. */
  channels: string[];
  /** Gateway base URLs; the widget uses the first. */
  urls: string[];
  mode?: 'test' | 'live';
}

/** A primitive the `optional` map may carry (echoed to the merchant's webhook). */
export type OptionalValue = string | number | boolean | null;

/** What a merchant page passes to BC.click (BeeCloud's fields plus spay's `locale`). */
export interface ClickData {
  out_trade_no?: unknown;
  title?: unknown;
  amount?: unknown;
  sign?: unknown;
  sign_type?: unknown;
  return_url?: unknown;
  debug?: unknown;
  optional?: unknown;
  instant_channel?: unknown;
  need_ali_guide?: unknown;
  openid?: unknown;
  use_app?: unknown;
  locale?: unknown;
  bill_timeout?: unknown;
  buyer_id?: unknown;
  [field: string]: unknown;
}

/** A BC.click order after validation: every field has its checked type. */
export interface Order {
  outTradeNo: string;
  title: string;
  /** Integer fen, > 0. */
  amount: number;
  sign: string;
  /** 'HMAC-SHA256': spay's v2 sign (64 hex); absent or 'MD5': BeeCloud's md5 sign. */
  signType?: 'HMAC-SHA256' | 'MD5';
  returnUrl?: string;
  debug: boolean;
  optional?: Record<string, OptionalValue>;
  instantChannel?: string;
  needAliGuide: boolean;
  openid?: string;
  useApp: boolean;
  /** spay: seconds until the bill expires (the gateway's default otherwise, 2 h for QR bills). */
  billTimeout?: number;
  locale?: 'zh-CN' | 'en' | 'auto';
  /** spay: the merchant's user (signed with the v2 sign): the menu offers the buyer's coupons (优惠券). */
  buyerId?: string;
  /** The coupon the payer picked in the menu (not the merchant's: the gateway checks it is the buyer's). */
  couponId?: string;
}

/*
 * The wire and callback shapes merchants see are declared once, in the shipped typings (spay-button.d.ts, ambient):
 * the widget uses those same declarations, so the typings cannot drift from what the widget does.
 */

/** What `dataError` receives: a BeeCloud result name, the field at fault (empty when none), a message naming it. */
export type DataError = BCDataError;

/** A bill as the gateway's public status endpoint shows it: the wire type is sdk/button-types.ts's. */
export type PublicBill = WirePublicBill;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Agrees<T extends true> = T;
/** The shipped typings' BCPublicBill must be exactly the wire type (a compile error otherwise). */
export type PublicBillTypingsAgree = Agrees<Same<BCPublicBill, WirePublicBill>>;

/** WeChat's answer to getBrandWCPayRequest. */
export type WxJsapiResult = BCWxJsapiResult;

/** The merchant's callbacks: BeeCloud's four plus spay's lifecycle callbacks. */
export interface ClickEvents {
  dataError?: (error: DataError) => void;
  wxJsapiFinish?: (result: WxJsapiResult) => void;
  wxJsapiSuccess?: (result: WxJsapiResult) => void;
  wxJsapiFail?: (result: WxJsapiResult) => void;
  open?: (detail: LifecycleDetail) => void;
  channel?: (detail: LifecycleDetail) => void;
  qrshown?: (detail: LifecycleDetail) => void;
  paid?: (detail: LifecycleDetail) => void;
  failed?: (detail: LifecycleDetail) => void;
  expired?: (detail: LifecycleDetail) => void;
  close?: (detail: LifecycleDetail) => void;
}

export type LifecycleName = 'open' | 'channel' | 'qrshown' | 'paid' | 'failed' | 'expired' | 'close';

/** The detail of a lifecycle event (also the argument of the callback of the same name). */
export interface LifecycleDetail {
  out_trade_no: string;
  channel?: string;
  rest_channel?: string;
  bill_id?: string;
  code_url?: string;
  bill?: PublicBill;
  error?: DataError;
  wx_result?: WxJsapiResult;
}

/** The browser the payer is in, per reference §3. */
export type Environment = 'wechat' | 'mobile' | 'desktop';
