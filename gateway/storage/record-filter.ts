/**
 * The one filter of bill and refund listings (REST `GET bills`, `refunds`, their counts): the app and mode, a
 * channel family or channel, the bill_no, and the creation time range. Written once, used by both stores.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { ChannelFilter } from '../channels/channels.ts';
import type { GatewayTables } from './tables.ts';

export interface RecordScope {
  appId: string;
  mode: 'test' | 'live';
}

export interface RecordFilter {
  channel?: ChannelFilter;
  billNo?: string;
  startTime?: number;
  endTime?: number;
}

export interface Paging {
  skip: number;
  limit: number;
}

/** Where a keyset-paged list (newest first) stopped: its last record's creation time and id. */
export interface ListPosition {
  createTime: number;
  id: string;
}

/** Offset paging, or keyset paging after a position (then `skip` counts from that position). */
export interface KeysetPaging extends Paging {
  after?: ListPosition;
}

/** The conditions on `table` (bills or refunds, which share these columns) for a scope and a filter. */
export function recordConditions<T extends 'bills' | 'refunds'>(
  eb: ExpressionBuilder<GatewayTables, T>,
  table: T,
  scope: RecordScope,
  filter: RecordFilter,
): Expression<SqlBool>[] {
  const column = (name: string) => sql.ref<string | number>(`${table}.${name}`);
  const conditions: Expression<SqlBool>[] = [
    eb(column('app_id'), '=', scope.appId),
    eb(column('mode'), '=', scope.mode),
  ];
  const channel = filter.channel;
  if (channel !== undefined) {
    conditions.push(
      'family' in channel
        ? eb(column('channel'), '=', channel.family)
        : eb(column('sub_channel'), '=', channel.subChannel),
    );
  }
  if (filter.billNo !== undefined) conditions.push(eb(column('bill_no'), '=', filter.billNo));
  if (filter.startTime !== undefined) conditions.push(eb(column('create_time'), '>=', filter.startTime));
  if (filter.endTime !== undefined) conditions.push(eb(column('create_time'), '<=', filter.endTime));
  return conditions;
}
