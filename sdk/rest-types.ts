/**
 * The requests and answers of the gateway's REST API (reference §4), with BeeCloud's field names, so code
 * written for BeeCloud's SDKs reads the same. Money is integer fen; times are milliseconds since the epoch.
 */

/** The channels a bill can be paid on. */
export type PayChannel =
  'ALI_WEB' | 'ALI_WAP' | 'ALI_QRCODE' | 'WX_NATIVE' | 'WX_JSAPI' | 'WX_WAP' | 'UN_WEB' | 'UN_WAP';
/** The channels of `POST /2/rest/offline/bill`: payment codes scanned by the till, QR codes on its screen. */
export type OfflineChannel = 'WX_SCAN' | 'ALI_SCAN' | 'WX_NATIVE' | 'ALI_OFFLINE_QRCODE';
/** The channels of `POST /2/rest/international/bill` (PayPal; sandbox only on spay). */
export type InternationalChannel = 'PAYPAL_PAYPAL' | 'PAYPAL_CREDITCARD' | 'PAYPAL_SAVED_CREDITCARD';
/** A bill's family: BeeCloud's `channel`, the webhook's `channel_type`. */
export type ChannelFamily = 'WX' | 'ALI' | 'UN' | 'PAYPAL';
/** A channel family or one channel: the channel filter of queries and refunds. */
export type ChannelFilter = ChannelFamily | PayChannel | OfflineChannel | InternationalChannel;

export type FlatMap = Record<string, string | number | boolean>;

export interface PayRequest {
  channel: PayChannel;
  /** Integer fen, > 0. */
  total_fee: number;
  /** 8–32 letters and digits, unique per app. */
  bill_no: string;
  /** At most 32 bytes, a Chinese character counting 2. */
  title: string;
  optional?: FlatMap;
  /** Required for ALI_WEB and UN_WEB; no `?` or `#`. */
  return_url?: string;
  notify_url?: string;
  /** Seconds until the bill closes unpaid. */
  bill_timeout?: number;
  /** Required for WX_JSAPI. */
  openid?: string;
  buyer_id?: string;
  coupon_id?: string;
  analysis?: FlatMap;
}

/** What a created bill answers; which fields are set depends on the channel. */
export interface PayAnswer extends PayChannelFields {
  /** The bill's id at the gateway. */
  id: string;
}

/**
 * The channel's part of a pay answer: WX_NATIVE code_url; WX_JSAPI app_id … sign_type; ALI_* html and url;
 * UN_* html; WX_WAP url.
 */
export interface PayChannelFields {
  /** WX_NATIVE, ALI_QRCODE: the QR code's content. */
  code_url?: string;
  /** ALI_*, WX_WAP: where to send the payer. */
  url?: string;
  /** ALI_*, UN_*: an auto-submitting form. */
  html?: string;
  /** WX_JSAPI: the parameters of `getBrandWCPayRequest`. */
  app_id?: string;
  package?: string;
  nonce_str?: string;
  timestamp?: string;
  pay_sign?: string;
  sign_type?: string;
}

/** A bill's state at the gateway (spay). */
export type BillStatus = 'open' | 'paid' | 'closed' | 'expired';

/** A bill as `GET bills` and `GET bill/{id}` show it: BeeCloud's fields plus spay's `status`. */
export interface BillRecord {
  id: string;
  bill_no: string;
  total_fee: number;
  channel: string;
  sub_channel: string;
  title: string;
  spay_result: boolean;
  create_time: number;
  trade_no: string;
  /** JSON text of the bill's optional map. */
  optional: string;
  revert_result: boolean;
  refund_result: boolean;
  buyer_id: string;
  /** The order's amount before a coupon (fen); total_fee is what was charged. Equal without a coupon. */
  bill_fee: number;
  /** What the coupon took off (fen); 0 without a coupon. */
  discount: number;
  /** The coupon the bill was paid with; '' without one. */
  coupon_id: string;
  /** spay: the bill's state. */
  status: BillStatus;
  /** With need_detail: the channel's raw payload, as JSON text. */
  message_detail?: string;
  [field: string]: unknown;
}

/** A refund's state at the gateway (spay): pending_approval → denied, or processing → succeeded | failed. */
export type RefundStatus = 'pending_approval' | 'processing' | 'succeeded' | 'failed' | 'denied';

/** A refund as `GET refunds` and `GET refund/{id}` show it: BeeCloud's fields plus spay's. */
export interface RefundRecord {
  id: string;
  bill_no: string;
  refund_no: string;
  total_fee: number;
  refund_fee: number;
  title: string;
  channel: string;
  sub_channel: string;
  /** The refund has finished (succeeded, failed or denied). */
  finish: boolean;
  /** The refund succeeded. */
  result: boolean;
  /** JSON text of the refund's optional map (else the bill's). */
  optional: string;
  create_time: number;
  /** A pre-refund (waiting for, or decided by, approval). */
  need_approval: boolean;
  /** spay: the refund's state. */
  status: RefundStatus;
  /** As `GET refund/status` words it: SUCCESS, PROCESSING, FAIL, PENDING_APPROVAL, DENIED. */
  refund_status: string;
  deny_reason: string;
  /** spay: the gateway refunded a payment that arrived for an attempt already closed. */
  late_payment: boolean;
  /** With need_detail: the channel's raw payload, as JSON text. */
  message_detail?: string;
  [field: string]: unknown;
}

export interface TimeFilter {
  start_time?: number;
  end_time?: number;
}

export interface Paging {
  skip?: number;
  /** Default 10, at most 50. */
  limit?: number;
}

export interface BillQuery extends TimeFilter {
  channel?: ChannelFilter;
  bill_no?: string;
  spay_result?: boolean;
  refund_result?: boolean;
  /** Bills of this merchant user (the pay request's buyer_id, or attached as a history bill). */
  buyer_id?: string;
}

export interface BillListQuery extends BillQuery, Paging {
  need_detail?: boolean;
  /** spay: the previous page's `next_cursor` (keyset paging: as fast at any depth; `skip` counts from it). */
  cursor?: string;
}

export interface RefundRequest {
  /** yyyyMMdd + 3–24 letters/digits (see `newRefundNo`). */
  refund_no: string;
  bill_no: string;
  /** Integer fen, > 0; all refunds of a bill together at most its amount. */
  refund_fee: number;
  channel?: ChannelFilter;
  optional?: FlatMap;
  /** A pre-refund: recorded only, until `approveRefunds` agrees. */
  need_approval?: boolean;
}

export interface RefundAnswer {
  id: string;
  /** Where to send the merchant to confirm, for channels that need it. */
  url?: string;
}

export interface RefundApprovalRequest {
  channel: ChannelFilter;
  /** The pre-refunds' ids. */
  ids: string[];
  agree: boolean;
  deny_reason?: string;
}

export interface RefundApprovalAnswer {
  /** Each id's outcome ("OK" or why not). */
  result_map: Record<string, string>;
  url?: string;
}

export interface RefundQuery extends TimeFilter {
  channel?: ChannelFilter;
  bill_no?: string;
  refund_no?: string;
  need_approval?: boolean;
}

export interface RefundListQuery extends RefundQuery, Paging {
  need_detail?: boolean;
}

export interface RefundStatusRequest {
  channel: ChannelFilter;
  refund_no: string;
}

/** A fresh refund_no: today's date (yyyyMMdd, UTC+8 like BeeCloud) + 16 letters and digits. */
export function newRefundNo(now: Date = new Date()): string {
  const china = new Date(now.getTime() + 8 * 3600 * 1000);
  const date =
    String(china.getUTCFullYear()) +
    String(china.getUTCMonth() + 1).padStart(2, '0') +
    String(china.getUTCDate()).padStart(2, '0');
  return date + crypto.randomUUID().replace(/-/g, '').slice(0, 16);
}

// ---- Transfers (打款): BeeCloud's transfer REST API ----

export type TransferChannel = 'WX_REDPACK' | 'WX_TRANSFER' | 'ALI_TRANSFER';
export type TransferStatus = 'PROCESSING' | 'SUCCESS' | 'FAIL';

/** `POST /2/rest/transfer` (master secret). */
export interface TransferRequest {
  channel: TransferChannel;
  /** ALI_TRANSFER: 11–32 letters/digits; WX_TRANSFER: 8–32; WX_REDPACK: 10 digits. */
  transfer_no: string;
  /** Fen; WX_REDPACK 100–20000, WX_TRANSFER ≥ 100. */
  total_fee: number;
  desc: string;
  /** WeChat: the receiver's openid; Alipay: the receiver's Alipay account. */
  channel_user_id: string;
  /** Required for ALI_TRANSFER. */
  channel_user_name?: string;
  /** Required for WX_REDPACK. */
  redpack_info?: { send_name: string; wishing: string; act_name: string };
  /** The paying account's full name, required for ALI_TRANSFER. */
  account_name?: string;
}

export interface TransferAnswer {
  id: string;
  /** ALI_TRANSFER: where the payer confirms the transfer (Alipay's page; the sandbox's page in test mode). */
  url?: string;
  transfer_status: TransferStatus;
}

/** `POST /2/rest/bc_transfer` (master secret): to a bank card; the result comes by webhook. */
export interface CardTransferRequest {
  total_fee: number;
  bill_no: string;
  title: string;
  trade_source?: 'OUT_PC';
  bank_code: string;
  bank_associated_code: string;
  bank_fullname: string;
  card_type: 'DE' | 'CR';
  account_type: 'P' | 'C';
  account_no: string;
  account_name: string;
  mobile?: string;
  optional?: FlatMap;
}

/** `POST /2/rest/transfers` (master secret): an Alipay batch. */
export interface BatchTransferRequest {
  channel: 'ALI';
  /** 11–32 letters/digits. */
  batch_no: string;
  account_name: string;
  transfer_data: {
    transfer_id: string;
    receiver_account: string;
    receiver_name: string;
    transfer_fee: number;
    transfer_note: string;
  }[];
}

export interface BatchTransferAnswer {
  /** Where the payer confirms the batch. */
  url?: string;
  /** The ids of the batch's transfers, in the order of transfer_data. */
  ids: string[];
}

/** A transfer in `GET /2/rest/transfers` (the Java SDK's BCTransferOrder fields, plus spay's). */
export interface TransferRecord {
  id: string;
  /** The transfer number (transfer_no, a card transfer's bill_no, a batch item's transfer_id). */
  bill_no: string;
  transfer_no: string;
  batch_no: string;
  channel: string;
  total_fee: number;
  title: string;
  transfer_status: TransferStatus;
  /** The transfer succeeded. */
  spay_result: boolean;
  trade_no: string;
  /** JSON text of the optional map. */
  optional: string;
  create_time: number;
  finish_time: number | null;
  account_name: string;
  account_no: string;
  bank_full_name: string;
  message_detail?: string;
  [field: string]: unknown;
}

export interface TransferQuery extends TimeFilter {
  channel?: TransferChannel | 'BC_TRANSFER';
  transfer_no?: string;
  bill_no?: string;
  batch_no?: string;
  transfer_status?: TransferStatus;
}

export interface TransferListQuery extends TransferQuery, Paging {
  need_detail?: boolean;
}

// ---- Offline payments (线下): BeeCloud's offline REST API ----

/** `POST /2/rest/offline/bill`. */
export interface OfflinePayRequest {
  channel: OfflineChannel;
  /** Integer fen, > 0. */
  total_fee: number;
  bill_no: string;
  title: string;
  /** WX_SCAN / ALI_SCAN: the payer's payment code as the till's scanner read it. */
  auth_code?: string;
  optional?: FlatMap;
  notify_url?: string;
  analysis?: FlatMap;
  /** Alipay: the till's terminal and the store (at most 32 letters, digits, _ or -). */
  terminal_id?: string;
  store_id?: string;
}

export interface OfflinePayAnswer {
  id: string;
  /** WX_SCAN / ALI_SCAN: paid; false while the payer confirms on the phone — ask offline/bill/status. */
  pay_result?: boolean;
  /** WX_NATIVE / ALI_OFFLINE_QRCODE: the text of the QR code for the till's screen. */
  code_url?: string;
}

/** `POST /2/rest/offline/bill/status`. */
export interface OfflineStatusRequest {
  bill_no: string;
  channel?: ChannelFilter;
}

export interface OfflineStatusAnswer {
  pay_result: boolean;
  /** The bill paid, else the newest attempt (spay). */
  id: string;
}

/** `POST /2/rest/offline/bill/{bill_no}` with `method: REVERT`. */
export interface OfflineRevertAnswer {
  /** True when the bill is cancelled; false (with err_detail) when it was paid or its channel did not cancel. */
  revert_status: boolean;
}

/** `POST /2/rest/offline/refund` (master secret). */
export interface OfflineRefundRequest {
  refund_no: string;
  bill_no: string;
  /** Integer fen. */
  refund_fee: number;
  channel?: ChannelFilter;
  refund_reason?: string;
  optional?: FlatMap;
  operator_id?: string;
  store_id?: string;
}

export interface OfflineRefundAnswer {
  id: string;
  refund_result: boolean;
}

// ---- International payments (境外支付, PayPal) ----

/** PayPal's currencies (HUF, JPY and TWD have no minor unit). */
export type PayPalCurrency =
  | 'AUD'
  | 'BRL'
  | 'CAD'
  | 'CZK'
  | 'DKK'
  | 'EUR'
  | 'HKD'
  | 'HUF'
  | 'ILS'
  | 'JPY'
  | 'MYR'
  | 'MXN'
  | 'TWD'
  | 'NZD'
  | 'NOK'
  | 'PHP'
  | 'PLN'
  | 'GBP'
  | 'SGD'
  | 'SEK'
  | 'CHF'
  | 'THB'
  | 'TRY'
  | 'USD';

/** A card for PAYPAL_CREDITCARD (never stored by the gateway beyond type, last four digits, expiry and name). */
export interface PayPalCreditCard {
  card_number: string;
  expire_month: number;
  expire_year: number;
  cvv: string;
  first_name: string;
  last_name: string;
  card_type: 'visa' | 'mastercard' | 'discover' | 'amex';
}

/** `POST /2/rest/international/bill`. */
export interface InternationalPayRequest {
  channel: InternationalChannel;
  /** An integer in the currency's minor units (cents; yen for JPY). */
  total_fee: number;
  currency: PayPalCurrency;
  bill_no: string;
  title: string;
  /** Required for PAYPAL_PAYPAL. */
  return_url?: string;
  /** Required for PAYPAL_CREDITCARD. */
  credit_card_info?: PayPalCreditCard;
  /** Required for PAYPAL_SAVED_CREDITCARD: what PAYPAL_CREDITCARD answered. */
  credit_card_id?: string;
  optional?: FlatMap;
  notify_url?: string;
}

export interface InternationalPayAnswer {
  id: string;
  /** PAYPAL_PAYPAL: the approval page to send the payer to. */
  url?: string;
  /** PAYPAL_CREDITCARD: the card as saved, for PAYPAL_SAVED_CREDITCARD. */
  credit_card_id?: string;
}
