/**
 * The filters shared by `GET bills`, `bills/count`, `refunds`, `refunds/count`: creation time range (ms),
 * paging (`skip`, `limit` default 10, max 50) and `need_detail`.
 */
import { BeeCloudError } from '../errors/result-codes.ts';
import type { ListPosition } from '../storage/record-filter.ts';
import { readChannelFilter, type ChannelFilter } from './channel-filter.ts';
import { decodeListCursor } from './list-cursor.ts';
import type { RequestFields } from './request-fields.ts';

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 50;

export interface TimeRange {
  startTime?: number;
  endTime?: number;
}

export interface Paging {
  skip: number;
  limit: number;
}

export function readTimeRange(fields: RequestFields): TimeRange {
  const startTime = fields.optionalInteger('start_time', { min: 0 });
  const endTime = fields.optionalInteger('end_time', { min: 0 });
  if (startTime !== undefined && endTime !== undefined && endTime < startTime) {
    throw new BeeCloudError('PARAM_INVALID', 'end_time', 'must not be before start_time');
  }
  return { startTime, endTime };
}

export function readPaging(fields: RequestFields): Paging {
  return {
    skip: fields.optionalInteger('skip', { min: 0, max: 1_000_000 }) ?? 0,
    limit: fields.optionalInteger('limit', { min: 1, max: MAX_LIMIT }) ?? DEFAULT_LIMIT,
  };
}

export interface BillQuery extends TimeRange {
  channel?: ChannelFilter;
  billNo?: string;
  spayResult?: boolean;
  refundResult?: boolean;
  /** Bills of this buyer (the pay request's buyer_id, or attached later as a history bill). */
  buyerId?: string;
}

export interface BillListQuery extends BillQuery, Paging {
  needDetail: boolean;
  /** spay: keyset paging, from the `next_cursor` of the previous page (`skip` then counts from there). */
  after?: ListPosition;
}

export function readBillQuery(fields: RequestFields): BillQuery {
  return {
    channel: readChannelFilter(fields),
    billNo: fields.optionalString('bill_no', { maxLength: 32 }),
    spayResult: fields.optionalBoolean('spay_result'),
    refundResult: fields.optionalBoolean('refund_result'),
    buyerId: fields.optionalString('buyer_id', { maxLength: 64 }),
    ...readTimeRange(fields),
  };
}

export function readBillListQuery(fields: RequestFields): BillListQuery {
  return {
    ...readBillQuery(fields),
    ...readPaging(fields),
    needDetail: fields.optionalBoolean('need_detail') ?? false,
    after: cursorOf(fields),
  };
}

function cursorOf(fields: RequestFields): ListPosition | undefined {
  const text = fields.optionalString('cursor', { maxLength: 256 });
  return text === undefined ? undefined : decodeListCursor(text);
}
