/**
 * The refund requests after their schemas (refund-schemas.ts), in the core's names, with the rules a schema cannot
 * say: a real date in refund_no (refunds/refund-no.ts), end_time not before start_time, each id once.
 */
import type { Static } from 'typebox';
import { checkRefundNo } from '../refunds/refund-no.ts';
import { channelFilterFrom, timeRangeFrom, type ChannelFilter, type TimeRange } from './list-query.ts';
import type {
  refundApprovalSchema,
  refundCountQuery,
  refundRequestSchema,
  refundStatusQuery,
} from './refund-schemas.ts';

export { MAX_APPROVAL_IDS } from './refund-schemas.ts';

type FlatMap = Record<string, string | number | boolean | null>;

export interface RefundRequest {
  refundNo: string;
  billNo: string;
  refundFee: number;
  channel?: ChannelFilter;
  optional?: FlatMap;
  needApproval: boolean;
}

export function refundRequestFrom(fields: Static<typeof refundRequestSchema>): RefundRequest {
  return {
    refundNo: checkRefundNo(fields.refund_no),
    billNo: fields.bill_no,
    refundFee: fields.refund_fee,
    channel: channelFilterFrom(fields.channel),
    optional: fields.optional as FlatMap | undefined,
    needApproval: fields.need_approval ?? false,
  };
}

export interface RefundApprovalRequest {
  channel: ChannelFilter;
  ids: string[];
  agree: boolean;
  denyReason?: string;
}

export function refundApprovalFrom(fields: Static<typeof refundApprovalSchema>): RefundApprovalRequest {
  return {
    channel: channelFilterFrom(fields.channel),
    ids: [...new Set(fields.ids.map((id) => id.trim()))],
    agree: fields.agree,
    denyReason: fields.deny_reason,
  };
}

export interface RefundQuery extends TimeRange {
  channel?: ChannelFilter;
  billNo?: string;
  refundNo?: string;
  needApproval?: boolean;
}

export function refundQueryFrom(fields: Static<typeof refundCountQuery>): RefundQuery {
  return {
    channel: channelFilterFrom(fields.channel),
    billNo: fields.bill_no,
    refundNo: fields.refund_no,
    needApproval: fields.need_approval,
    ...timeRangeFrom(fields),
  };
}

export interface RefundStatusRequest {
  channel: ChannelFilter;
  refundNo: string;
}

export function refundStatusFrom(fields: Static<typeof refundStatusQuery>): RefundStatusRequest {
  return { channel: channelFilterFrom(fields.channel), refundNo: fields.refund_no };
}
