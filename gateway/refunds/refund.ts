/** A refund (or pre-refund) of a paid bill, and its BeeCloud record (`GET refunds`, `GET refund/{id}`). */
import type { Selectable } from 'kysely';
import type { RefundRecord } from '../../sdk/rest-types.ts';
import type { RefundStatus, RefundTable } from './refund-tables.ts';

export type { RefundRecord };

export interface Refund {
  id: string;
  appId: string;
  billId: string;
  billNo: string;
  refundNo: string;
  mode: 'test' | 'live';
  channel: string;
  subChannel: string;
  title: string;
  totalFee: number;
  refundFee: number;
  optional: Record<string, unknown> | null;
  status: RefundStatus;
  needApproval: boolean;
  denyReason: string | null;
  latePayment: boolean;
  channelRefundNo: string | null;
  channelDetail: Record<string, unknown> | null;
  createTime: number;
  updateTime: number;
  finishTime: number | null;
}

export function refundFromRow(row: Selectable<RefundTable>): Refund {
  return {
    id: row.id,
    appId: row.app_id,
    billId: row.bill_id,
    billNo: row.bill_no,
    refundNo: row.refund_no,
    mode: row.mode,
    channel: row.channel,
    subChannel: row.sub_channel,
    title: row.title,
    totalFee: Number(row.total_fee),
    refundFee: Number(row.refund_fee),
    optional: row.optional === null ? null : (JSON.parse(row.optional) as Record<string, unknown>),
    status: row.status,
    needApproval: row.need_approval === 1,
    denyReason: row.deny_reason,
    latePayment: row.late_payment === 1,
    channelRefundNo: row.channel_refund_no,
    channelDetail:
      row.channel_detail === null ? null : (JSON.parse(row.channel_detail) as Record<string, unknown>),
    createTime: Number(row.create_time),
    updateTime: Number(row.update_time),
    finishTime: row.finish_time === null ? null : Number(row.finish_time),
  };
}

/** Statuses whose money is spoken for: they count against what may still be refunded. */
export const RESERVING_STATUSES: readonly RefundStatus[] = ['pending_approval', 'processing', 'succeeded'];

/** BeeCloud's refund_status of `GET refund/status` (WeChat's words, which BeeCloud passed on). */
export function refundStatusWord(status: RefundStatus): string {
  switch (status) {
    case 'succeeded':
      return 'SUCCESS';
    case 'processing':
      return 'PROCESSING';
    case 'failed':
      return 'FAIL';
    case 'pending_approval':
      return 'PENDING_APPROVAL';
    case 'denied':
      return 'DENIED';
  }
}

/** A refund as the REST API shows it (the record's type is the SDK's). */
export function refundRecord(refund: Refund, needDetail: boolean): RefundRecord {
  const record: RefundRecord = {
    id: refund.id,
    bill_no: refund.billNo,
    refund_no: refund.refundNo,
    total_fee: refund.totalFee,
    refund_fee: refund.refundFee,
    title: refund.title,
    channel: refund.channel,
    sub_channel: refund.subChannel,
    finish: refund.status === 'succeeded' || refund.status === 'failed' || refund.status === 'denied',
    result: refund.status === 'succeeded',
    optional: JSON.stringify(refund.optional ?? {}),
    create_time: refund.createTime,
    need_approval: refund.needApproval,
    status: refund.status,
    refund_status: refundStatusWord(refund.status),
    deny_reason: refund.denyReason ?? '',
    late_payment: refund.latePayment,
  };
  if (needDetail) record.message_detail = JSON.stringify(refund.channelDetail ?? {});
  return record;
}
