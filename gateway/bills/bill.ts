/** A bill (one payment attempt of an order on one channel) and its public status view. */
import type { PublicBill } from '../../sdk/button-types.ts';
import type { BillStatus } from '../../sdk/rest-types.ts';
import type { AppMode } from '../apps/app.ts';
import type { ButtonChannel, ChannelFamily } from '../channels/channels.ts';

export type { BillStatus };
export type OptionalMap = Record<string, string | number | boolean | null>;

export interface Bill {
  id: string;
  appId: string;
  billNo: string;
  mode: AppMode;
  /** The channel family, BeeCloud's `channel`: ALI, WX, UN. */
  channel: ChannelFamily;
  /** BeeCloud's `sub_channel`: ALI_WEB, WX_NATIVE, … */
  subChannel: ButtonChannel;
  title: string;
  totalFee: number;
  returnUrl: string | null;
  notifyUrl: string | null;
  optional: OptionalMap | null;
  openid: string | null;
  status: BillStatus;
  spayResult: boolean;
  tradeNo: string | null;
  channelDetail: Record<string, unknown> | null;
  createTime: number;
  paidTime: number | null;
  closedTime: number | null;
  expiresAt: number | null;
  refundRequired: boolean;
  version: number;
  /** How many times reconciliation asked the channel about this attempt. */
  reconcileCount: number;
}

/** The `pay` object of `GET /2/rest/bill_public/{id}` and of the SSE stream (the wire type is the SDK's). */
export type PublicBillStatus = PublicBill;

/**
 * What a public status read needs of a bill: its public fields, and whom it belongs to, whether it is due to
 * expire and its version (the status stream's event id). The store reads only these for the widget's polls.
 */
export type BillStatusFields = Pick<
  Bill,
  | 'id'
  | 'appId'
  | 'billNo'
  | 'title'
  | 'totalFee'
  | 'channel'
  | 'subChannel'
  | 'status'
  | 'createTime'
  | 'tradeNo'
  | 'expiresAt'
  | 'version'
>;

export function publicBillStatus(bill: BillStatusFields): PublicBillStatus {
  return {
    id: bill.id,
    bill_no: bill.billNo,
    title: bill.title,
    total_fee: bill.totalFee,
    channel: bill.channel,
    sub_channel: bill.subChannel,
    spay_result: bill.status === 'paid',
    status: bill.status,
    create_time: bill.createTime,
    trade_no: bill.status === 'paid' ? (bill.tradeNo ?? '') : '',
    expires_at: bill.expiresAt,
  };
}

/** The query string BeeCloud appended to return_url after a payment. */
export function returnUrlParams(bill: Bill): URLSearchParams {
  return new URLSearchParams({
    bill_no: bill.billNo,
    channel: bill.channel,
    create_time: String(bill.createTime),
    spay_result: String(bill.status === 'paid'),
    sub_channel: bill.subChannel,
    title: bill.title,
    total_fee: String(bill.totalFee),
    trade_no: bill.tradeNo ?? '',
  });
}
