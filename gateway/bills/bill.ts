/** A bill (one payment attempt of an order on one channel) and its public status view. */
import type { Selectable } from 'kysely';
import type { BillStatus } from '../../sdk/rest-types.ts';
import type { AppMode } from '../apps/app.ts';
import type { ButtonChannel, ChannelFamily } from '../channels/channels.ts';
import type { BillTable } from '../storage/tables.ts';

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
}

export function billFromRow(row: Selectable<BillTable>): Bill {
  return {
    id: row.id,
    appId: row.app_id,
    billNo: row.bill_no,
    mode: row.mode,
    channel: row.channel as ChannelFamily,
    subChannel: row.sub_channel as ButtonChannel,
    title: row.title,
    totalFee: Number(row.total_fee),
    returnUrl: row.return_url,
    notifyUrl: row.notify_url,
    optional: row.optional === null ? null : (JSON.parse(row.optional) as OptionalMap),
    openid: row.openid,
    status: row.status,
    spayResult: row.spay_result === 1,
    tradeNo: row.trade_no,
    channelDetail:
      row.channel_detail === null ? null : (JSON.parse(row.channel_detail) as Record<string, unknown>),
    createTime: Number(row.create_time),
    paidTime: row.paid_time === null ? null : Number(row.paid_time),
    closedTime: row.closed_time === null ? null : Number(row.closed_time),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    refundRequired: row.refund_required === 1,
    version: row.version,
  };
}

/** The `pay` object of `GET /2/rest/bill_public/{id}` and of the SSE stream: safe for any browser. */
export interface PublicBillStatus {
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
  expires_at: number | null;
}

export function publicBillStatus(bill: Bill): PublicBillStatus {
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
