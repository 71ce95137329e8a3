/**
 * The filters shared by `GET bills`, `bills/count`, `refunds`, `refunds/count`, `transfers`, `webhooks` after their
 * schemas (common-schemas.ts): the channel filter as the core takes it, paging defaults, the keyset cursor, and the
 * one rule a schema cannot say — end_time not before start_time.
 */
import { isChannelFamily, type ChannelFilter } from '../channels/channels.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { ListPosition } from '../storage/record-filter.ts';
import { DEFAULT_LIMIT, MAX_LIMIT } from './common-schemas.ts';
import { decodeListCursor } from './list-cursor.ts';

export type { ChannelFilter };
export { DEFAULT_LIMIT, MAX_LIMIT };

export interface TimeRange {
  startTime?: number;
  endTime?: number;
}

export interface Paging {
  skip: number;
  limit: number;
}

export function timeRangeFrom(fields: { start_time?: number; end_time?: number }): TimeRange {
  const { start_time: startTime, end_time: endTime } = fields;
  if (startTime !== undefined && endTime !== undefined && endTime < startTime) {
    throw new BeeCloudError('PARAM_INVALID', 'end_time', 'must not be before start_time');
  }
  return { startTime, endTime };
}

export function pagingFrom(fields: { skip?: number; limit?: number }): Paging {
  return { skip: fields.skip ?? 0, limit: fields.limit ?? DEFAULT_LIMIT };
}

/** The channel filter word (checked by the schema) as the core's filter. */
export function channelFilterFrom(word: string): ChannelFilter;
export function channelFilterFrom(word: string | undefined): ChannelFilter | undefined;
export function channelFilterFrom(word: string | undefined): ChannelFilter | undefined {
  if (word === undefined) return undefined;
  if (isChannelFamily(word)) return { family: word };
  return { subChannel: word as Extract<ChannelFilter, { subChannel: unknown }>['subChannel'] };
}

export interface BillQuery extends TimeRange {
  channel?: ChannelFilter;
  billNo?: string;
  spayResult?: boolean;
  refundResult?: boolean;
  /** Bills of this buyer (the pay request's buyer_id, or attached later as a history bill). */
  buyerId?: string;
}

export interface BillQueryFields {
  channel?: string;
  bill_no?: string;
  spay_result?: boolean;
  refund_result?: boolean;
  buyer_id?: string;
  start_time?: number;
  end_time?: number;
}

export function billQueryFrom(fields: BillQueryFields): BillQuery {
  return {
    channel: channelFilterFrom(fields.channel),
    billNo: fields.bill_no,
    spayResult: fields.spay_result,
    refundResult: fields.refund_result,
    buyerId: fields.buyer_id,
    ...timeRangeFrom(fields),
  };
}

/** spay: keyset paging, from the `next_cursor` of the previous page (`skip` then counts from there). */
export function cursorFrom(cursor: string | undefined): ListPosition | undefined {
  return cursor === undefined ? undefined : decodeListCursor(cursor);
}
