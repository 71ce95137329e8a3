/**
 * The bodies and queries of the refund endpoints, checked field by field with BeeCloud's names:
 * `POST /2/rest/refund`, `PUT /2/rest/refund` (pre-refund approval), `GET refunds`, `refunds/count`, `refund/status`.
 */
import { readChannelFilter, type ChannelFilter } from './channel-filter.ts';
import { readPaging, readTimeRange, type Paging, type TimeRange } from './list-query.ts';
import type { FlatMap, RequestFields } from './request-fields.ts';
import { checkRefundNo } from '../refunds/refund-no.ts';

export const MAX_APPROVAL_IDS = 100;

export interface RefundRequest {
  refundNo: string;
  billNo: string;
  refundFee: number;
  channel?: ChannelFilter;
  optional?: FlatMap;
  needApproval: boolean;
}

function readBillNo(fields: RequestFields): string {
  return fields.requiredString('bill_no', {
    pattern: /^[0-9A-Za-z]{8,32}$/,
    patternText: 'must be 8 to 32 letters or digits',
  });
}

export function readRefundRequest(fields: RequestFields): RefundRequest {
  const refundNo = checkRefundNo(fields.requiredString('refund_no', { maxLength: 40 }));
  const billNo = readBillNo(fields);
  const refundFee = fields.requiredInteger('refund_fee', { min: 1, max: 2_147_483_647 });
  return {
    refundNo,
    billNo,
    refundFee,
    channel: readChannelFilter(fields),
    optional: fields.optionalFlatMap('optional'),
    needApproval: fields.optionalBoolean('need_approval') ?? false,
  };
}

export interface RefundApprovalRequest {
  channel: ChannelFilter;
  ids: string[];
  agree: boolean;
  denyReason?: string;
}

export function readRefundApprovalRequest(fields: RequestFields): RefundApprovalRequest {
  const channel = readChannelFilter(fields, true) as ChannelFilter;
  const ids = fields.requiredStringList('ids', MAX_APPROVAL_IDS);
  const agree = fields.requiredBoolean('agree');
  const denyReason = fields.optionalString('deny_reason', { maxLength: 256 });
  return { channel, ids: [...new Set(ids)], agree, denyReason };
}

export interface RefundQuery extends TimeRange {
  channel?: ChannelFilter;
  billNo?: string;
  refundNo?: string;
  needApproval?: boolean;
}

export interface RefundListQuery extends RefundQuery, Paging {
  needDetail: boolean;
}

export function readRefundQuery(fields: RequestFields): RefundQuery {
  return {
    channel: readChannelFilter(fields),
    billNo: fields.optionalString('bill_no', { maxLength: 32 }),
    refundNo: fields.optionalString('refund_no', { maxLength: 40 }),
    needApproval: fields.optionalBoolean('need_approval'),
    ...readTimeRange(fields),
  };
}

export function readRefundListQuery(fields: RequestFields): RefundListQuery {
  return {
    ...readRefundQuery(fields),
    ...readPaging(fields),
    needDetail: fields.optionalBoolean('need_detail') ?? false,
  };
}

export interface RefundStatusRequest {
  channel: ChannelFilter;
  refundNo: string;
}

export function readRefundStatusRequest(fields: RequestFields): RefundStatusRequest {
  return {
    channel: readChannelFilter(fields, true) as ChannelFilter,
    refundNo: fields.requiredString('refund_no', { maxLength: 40 }),
  };
}
