/**
 * The widget ⇄ gateway contract (docs/contracts.md, "Widget ⇄ gateway"), defined once: the gateway builds these
 * answers and the widget reads them. `POST /2/rest/jsbutton/{CHANNEL}` answers the `action` the payer continues
 * with, and the widget maps action → component (as Adyen Web's `actionTypes` does) instead of guessing from the
 * channel name. Every field BeeCloud's old pages read is still there.
 */
import type { BillStatus } from './rest-types.ts';

/** How the payer continues after the bill is created. */
export type PaymentAction = 'redirect' | 'qr' | 'jsapi';

interface ButtonBillBase {
  resultCode: 0;
  result_code: 0;
  result_msg: string;
  err_detail: string;
  /** The bill's id at the gateway. */
  id: string;
  action: PaymentAction;
}

/** Go to the channel's cashier (ALI_WEB, ALI_WAP, WX_WAP, UN_WEB, UN_WAP). */
export interface RedirectBillAnswer extends ButtonBillBase {
  action: 'redirect';
  url: string;
  method: 'GET' | 'POST';
  param: Record<string, string>;
  /** Alipay only: the "open in a browser" guide for payers inside WeChat. */
  guide_url?: string;
}

/** Show a QR code to scan (WX_NATIVE, ALI_QRCODE). */
export interface QrBillAnswer extends ButtonBillBase {
  action: 'qr';
  code_url: string;
  /** The same QR text, where BeeCloud's own button script (v4) reads it. */
  url: string;
  total_fee: number;
  expires_at: number | null;
}

/** Call WeixinJSBridge getBrandWCPayRequest with these parameters (WX_JSAPI). */
export interface JsapiBillAnswer extends ButtonBillBase {
  action: 'jsapi';
  app_id: string;
  timestamp: string;
  nonce_str: string;
  package: string;
  sign_type: string;
  pay_sign: string;
}

export type ButtonBillAnswer = RedirectBillAnswer | QrBillAnswer | JsapiBillAnswer;

/** The `pay` object of `GET /2/rest/bill_public/{id}` and of its SSE stream: safe for any browser. */
export interface PublicBill {
  id: string;
  bill_no: string;
  title: string;
  total_fee: number;
  channel: string;
  sub_channel: string;
  spay_result: boolean;
  status: BillStatus;
  create_time: number;
  trade_no: string;
  /** When an open attempt expires (ms); null when it does not. Always sent by this gateway. */
  expires_at?: number | null;
}

/** Why a coupon cannot pay the order (the widget greys it out and says so). */
export type ButtonCouponRefusal =
  'not_owner' | 'used' | 'not_started' | 'expired' | 'template_inactive' | 'below_threshold';

/** One of the buyer's coupons as `POST /2/rest/jsbutton/coupons` lists it for the order. */
export interface ButtonCoupon {
  id: string;
  /** The template's name, e.g. "满50减10". */
  name: string;
  /** 0 fixed (fen off), 1 percentage. */
  type: 0 | 1;
  /** What it takes off this order (fen); 0 when it cannot be used. */
  discount: number;
  /** What the payer pays with it (fen). */
  pay_fee: number;
  /** The least amount it applies to (fen), 0 for any. */
  limit_fee: number;
  end_time: number | null;
  usable: boolean;
  /** Why not, when not usable; '' when usable. */
  reason: ButtonCouponRefusal | '';
}

/** `POST /2/rest/jsbutton/coupons` (the signed order with its buyer_id) → the buyer's coupons, usable first. */
export interface ButtonCouponsAnswer {
  resultCode: 0;
  result_code: 0;
  result_msg: string;
  err_detail: string;
  coupons: ButtonCoupon[];
}
