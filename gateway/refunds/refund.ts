/** A refund (or pre-refund) of a paid bill, and its BeeCloud record (`GET refunds`, `GET refund/{id}`). */
import type { RefundRecord, RefundStatus } from '../../sdk/rest-types.ts';

export type { RefundRecord, RefundStatus };

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
