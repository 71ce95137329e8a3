/**
 * The one interface every payment channel implements: the sandbox today, real Alipay / WeChat Pay / UnionPay
 * adapters later. The gateway never talks to a channel except through it.
 */
import type { Bill } from '../bills/bill.ts';
import type { ChannelPayment } from '../bills/bill-service.ts';

/** How the payer continues after the bill is created. */
export type PaymentStart =
  | { kind: 'redirect'; url: string; method: 'GET' | 'POST'; param: Record<string, string> }
  | { kind: 'qr'; codeUrl: string }
  | { kind: 'jsapi'; params: WxJsapiParams };

/** The parameters of WeixinJSBridge.invoke("getBrandWCPayRequest", …). */
export interface WxJsapiParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'MD5' | 'HMAC-SHA256' | 'RSA';
  paySign: string;
}

/** A notify as the channel sent it over HTTP. */
export interface RawChannelNotify {
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** What a notify meant: a payment, or a failure the bill does not change for. */
export type ChannelNotice =
  ({ result: 'paid' } & ChannelPayment) | { result: 'failed'; billId: string; reason: string };

export interface ChannelRefundResult {
  accepted: boolean;
  channelRefundNo: string;
  detail: Record<string, unknown>;
}

export interface ChannelAdapter {
  /** Route segment of its notify URL: POST /notify/{name}. */
  readonly name: string;
  createPayment(bill: Bill, context: { gatewayUrl: string }): Promise<PaymentStart>;
  /** Verifies and parses a notify; throws a BeeCloudError when it is not authentic or not understood. */
  parseNotify(raw: RawChannelNotify): ChannelNotice;
  /** The body the channel expects in answer to a notify it sent. */
  notifyAnswer(accepted: boolean): { contentType: string; body: string };
  /** Asks the channel whether the bill was paid (for reconciliation). */
  queryPayment(bill: Bill): Promise<{ paid: boolean; tradeNo: string | null }>;
  refund(bill: Bill, refund: { refundNo: string; refundFee: number }): Promise<ChannelRefundResult>;
}
