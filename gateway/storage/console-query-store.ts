/**
 * The console's reads over bills, refunds and webhook deliveries: keyset-paged lists (newest first on
 * `(time, id)`, so a page never repeats or skips a row while new ones arrive), a bill's order with its refunds and
 * deliveries, webhook receiver health and the dashboard's per-day aggregates (China days, UTC+8, computed in
 * portable integer SQL).
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { AppMode } from '../apps/app.ts';
import type { Bill } from '../bills/bill.ts';
import type { ChannelFilter } from '../channels/channels.ts';
import type { Refund, RefundStatus } from '../refunds/refund.ts';
import { billFromRow } from './bill-store.ts';
import type { AttemptRow, DeliveryStatus, OutboxRow } from './outbox-store.ts';
import { refundFromRow } from './refund-store.ts';
import type { GatewayTx } from './tables.ts';

/** Where the previous page ended: the last row's time and id. */
export interface Keyset {
  time: number;
  id: string;
}

export interface ConsoleBillFilter {
  appId: string;
  mode: AppMode;
  channel?: ChannelFilter;
  status?: Bill['status'];
  billNo?: string;
  /** createTime >= from */
  from?: number;
  /** createTime < to */
  to?: number;
}

export interface ConsoleRefundFilter {
  appId: string;
  mode: AppMode;
  channel?: ChannelFilter;
  status?: RefundStatus;
  billNo?: string;
  from?: number;
  to?: number;
}

export interface ConsoleDeliveryFilter {
  appId: string;
  mode: AppMode;
  status?: DeliveryStatus;
  /** Not delivered and at least one attempt failed. */
  failing?: boolean;
  /** Deliveries of this bill and of its refunds. */
  billId?: string;
}

export interface DeliveryWithAttempts {
  row: OutboxRow;
  attempts: AttemptRow[];
}

export interface DayTotals {
  /** Days since the epoch in China time (UTC+8). */
  day: number;
  count: number;
  fee: number;
}

export interface DashboardFigures {
  /** Paid attempts by day of payment and sub channel. */
  paid: Array<DayTotals & { subChannel: string }>;
  /** Orders created by day, and how many of them are paid. */
  orders: Array<{ day: number; created: number; paid: number }>;
  /** Succeeded refunds by day they finished. */
  refunds: DayTotals[];
  pendingWebhooks: number;
  failingWebhooks: number;
}

export interface ReceiverHealthFigures {
  pending: number;
  failing: number;
  deliveredSince: number;
  failedSince: number;
  lastDeliveredAt: number | null;
  lastFailedAt: number | null;
  /** Latencies (ms) of the attempts since the window start (at most 2000, the latest). */
  latencies: number[];
}

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The China day (days since the epoch, UTC+8) of a time in ms. */
export function chinaDay(ms: number): number {
  return Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS);
}

function dayOf(column: string) {
  // Literals, not parameters: better-sqlite3 binds JS numbers as REAL, and the day must be integer division.
  return sql<number>`(${sql.ref(column)} + ${sql.lit(CHINA_OFFSET_MS)}) / ${sql.lit(DAY_MS)}`;
}

export class ConsoleQueryStore {
  constructor(private readonly db: GatewayTx) {}

  /** Bills newest first, `limit` of them after `after`. */
  async bills(filter: ConsoleBillFilter, page: { after?: Keyset; limit: number }): Promise<Bill[]> {
    const rows = await this.db
      .selectFrom('bills')
      .selectAll()
      .where((eb) => {
        const conditions: Expression<SqlBool>[] = [
          eb('app_id', '=', filter.appId),
          eb('mode', '=', filter.mode),
        ];
        const channel = filter.channel;
        if (channel !== undefined) {
          conditions.push(
            'family' in channel
              ? eb('channel', '=', channel.family)
              : eb('sub_channel', '=', channel.subChannel),
          );
        }
        if (filter.status !== undefined) conditions.push(eb('status', '=', filter.status));
        if (filter.billNo !== undefined) conditions.push(eb('bill_no', '=', filter.billNo));
        if (filter.from !== undefined) conditions.push(eb('create_time', '>=', filter.from));
        if (filter.to !== undefined) conditions.push(eb('create_time', '<', filter.to));
        const after = page.after;
        if (after !== undefined) {
          conditions.push(
            eb.or([
              eb('create_time', '<', after.time),
              eb.and([eb('create_time', '=', after.time), eb('id', '<', after.id)]),
            ]),
          );
        }
        return eb.and(conditions);
      })
      .orderBy('create_time', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .execute();
    return rows.map(billFromRow);
  }

  /** What has been refunded (succeeded refunds) of each of these bills, in fen. */
  async refundedFees(billIds: string[]): Promise<Map<string, number>> {
    if (billIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('refunds')
      .select(['bill_id', (eb) => eb.fn.sum<number>('refund_fee').as('fee')])
      .where('bill_id', 'in', billIds)
      .where('status', '=', 'succeeded')
      .groupBy('bill_id')
      .execute();
    return new Map(rows.map((row) => [row.bill_id, Number(row.fee)]));
  }

  async refunds(filter: ConsoleRefundFilter, page: { after?: Keyset; limit: number }): Promise<Refund[]> {
    const rows = await this.db
      .selectFrom('refunds')
      .selectAll()
      .where((eb) => {
        const conditions: Expression<SqlBool>[] = [
          eb('app_id', '=', filter.appId),
          eb('mode', '=', filter.mode),
        ];
        const channel = filter.channel;
        if (channel !== undefined) {
          conditions.push(
            'family' in channel
              ? eb('channel', '=', channel.family)
              : eb('sub_channel', '=', channel.subChannel),
          );
        }
        if (filter.status !== undefined) conditions.push(eb('status', '=', filter.status));
        if (filter.billNo !== undefined) conditions.push(eb('bill_no', '=', filter.billNo));
        if (filter.from !== undefined) conditions.push(eb('create_time', '>=', filter.from));
        if (filter.to !== undefined) conditions.push(eb('create_time', '<', filter.to));
        const after = page.after;
        if (after !== undefined) {
          conditions.push(
            eb.or([
              eb('create_time', '<', after.time),
              eb.and([eb('create_time', '=', after.time), eb('id', '<', after.id)]),
            ]),
          );
        }
        return eb.and(conditions);
      })
      .orderBy('create_time', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .execute();
    return rows.map(refundFromRow);
  }

  /** Every refund of these bills, oldest first. */
  async refundsOfBills(billIds: string[]): Promise<Refund[]> {
    if (billIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('refunds')
      .selectAll()
      .where('bill_id', 'in', billIds)
      .orderBy('create_time')
      .orderBy('id')
      .execute();
    return rows.map(refundFromRow);
  }

  /** Deliveries newest first (of the mode's bills and refunds), each with its attempts oldest first. */
  async deliveries(
    filter: ConsoleDeliveryFilter,
    page: { after?: Keyset; limit: number },
  ): Promise<DeliveryWithAttempts[]> {
    const rows = await this.db
      .selectFrom('webhook_outbox as o')
      .leftJoin('bills as b', 'b.id', 'o.bill_id')
      .leftJoin('refunds as r', 'r.id', 'o.refund_id')
      .selectAll('o')
      .where((eb) => {
        const conditions: Expression<SqlBool>[] = [
          eb('o.app_id', '=', filter.appId),
          eb(eb.fn.coalesce('b.mode', 'r.mode'), '=', filter.mode),
        ];
        if (filter.status !== undefined) conditions.push(eb('o.status', '=', filter.status));
        if (filter.failing) {
          conditions.push(
            eb.or([
              eb('o.status', '=', 'failed'),
              eb.and([eb('o.status', '=', 'pending'), eb('o.attempt_count', '>', 0)]),
            ]),
          );
        }
        if (filter.billId !== undefined) {
          conditions.push(eb.or([eb('o.bill_id', '=', filter.billId), eb('r.bill_id', '=', filter.billId)]));
        }
        const after = page.after;
        if (after !== undefined) {
          conditions.push(
            eb.or([
              eb('o.created_at', '<', after.time),
              eb.and([eb('o.created_at', '=', after.time), eb('o.id', '<', after.id)]),
            ]),
          );
        }
        return eb.and(conditions);
      })
      .orderBy('o.created_at', 'desc')
      .orderBy('o.id', 'desc')
      .limit(page.limit)
      .execute();
    return this.withAttempts(rows);
  }

  /** Deliveries of these bills or refunds, newest first, with their attempts. */
  async deliveriesOf(billIds: string[], refundIds: string[]): Promise<DeliveryWithAttempts[]> {
    if (billIds.length === 0 && refundIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('webhook_outbox')
      .selectAll()
      .where((eb) => {
        const either: Expression<SqlBool>[] = [];
        if (billIds.length > 0) either.push(eb('bill_id', 'in', billIds));
        if (refundIds.length > 0) either.push(eb('refund_id', 'in', refundIds));
        return eb.or(either);
      })
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return this.withAttempts(rows);
  }

  async delivery(appId: string, id: string): Promise<DeliveryWithAttempts | undefined> {
    const row = await this.db
      .selectFrom('webhook_outbox')
      .selectAll()
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? (await this.withAttempts([row]))[0] : undefined;
  }

  private async withAttempts(rows: OutboxRow[]): Promise<DeliveryWithAttempts[]> {
    if (rows.length === 0) return [];
    const attempts = await this.db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where(
        'outbox_id',
        'in',
        rows.map((row) => row.id),
      )
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ row, attempts: attempts.filter((attempt) => attempt.outbox_id === row.id) }));
  }

  private modeDeliveries(appId: string, mode: AppMode) {
    return this.db
      .selectFrom('webhook_outbox as o')
      .leftJoin('bills as b', 'b.id', 'o.bill_id')
      .leftJoin('refunds as r', 'r.id', 'o.refund_id')
      .where('o.app_id', '=', appId)
      .where((eb) => eb(eb.fn.coalesce('b.mode', 'r.mode'), '=', mode));
  }

  private async webhookCounts(appId: string, mode: AppMode): Promise<{ pending: number; failing: number }> {
    const pending = await this.modeDeliveries(appId, mode)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('o.status', '=', 'pending')
      .executeTakeFirstOrThrow();
    const failing = await this.modeDeliveries(appId, mode)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) =>
        eb.or([
          eb('o.status', '=', 'failed'),
          eb.and([eb('o.status', '=', 'pending'), eb('o.attempt_count', '>', 0)]),
        ]),
      )
      .executeTakeFirstOrThrow();
    return { pending: Number(pending.n), failing: Number(failing.n) };
  }

  async receiverHealth(appId: string, mode: AppMode, since: number): Promise<ReceiverHealthFigures> {
    const counts = await this.webhookCounts(appId, mode);
    const attempts = await this.modeDeliveries(appId, mode)
      .innerJoin('webhook_attempts as a', 'a.outbox_id', 'o.id')
      .select(['a.attempted_at', 'a.latency_ms', 'a.error'])
      .where('a.attempted_at', '>=', since)
      .orderBy('a.attempted_at', 'desc')
      .limit(2000)
      .execute();
    const last = async (failed: boolean) => {
      const row = await this.modeDeliveries(appId, mode)
        .innerJoin('webhook_attempts as a', 'a.outbox_id', 'o.id')
        .select((eb) => eb.fn.max('a.attempted_at').as('at'))
        .where('a.error', failed ? 'is not' : 'is', null)
        .executeTakeFirst();
      return row?.at === null || row?.at === undefined ? null : Number(row.at);
    };
    return {
      ...counts,
      deliveredSince: attempts.filter((attempt) => attempt.error === null).length,
      failedSince: attempts.filter((attempt) => attempt.error !== null).length,
      lastDeliveredAt: await last(false),
      lastFailedAt: await last(true),
      latencies: attempts.map((attempt) => attempt.latency_ms),
    };
  }

  /** The dashboard's figures from `since` (ms) on. */
  async dashboard(appId: string, mode: AppMode, since: number): Promise<DashboardFigures> {
    const paidDay = dayOf('paid_time');
    const paid = await this.db
      .selectFrom('bills')
      .select((eb) => [
        paidDay.as('day'),
        'sub_channel',
        eb.fn.countAll<number>().as('count'),
        eb.fn.sum<number>('total_fee').as('fee'),
      ])
      .where('app_id', '=', appId)
      .where('mode', '=', mode)
      .where('status', '=', 'paid')
      .where('paid_time', '>=', since)
      .groupBy([paidDay, 'sub_channel'])
      .execute();
    const orderDay = dayOf('create_time');
    const orders = await this.db
      .selectFrom('orders')
      .select((eb) => [orderDay.as('day'), 'status', eb.fn.countAll<number>().as('count')])
      .where('app_id', '=', appId)
      .where('mode', '=', mode)
      .where('create_time', '>=', since)
      .groupBy([orderDay, 'status'])
      .execute();
    const refundDay = dayOf('finish_time');
    const refunds = await this.db
      .selectFrom('refunds')
      .select((eb) => [
        refundDay.as('day'),
        eb.fn.countAll<number>().as('count'),
        eb.fn.sum<number>('refund_fee').as('fee'),
      ])
      .where('app_id', '=', appId)
      .where('mode', '=', mode)
      .where('status', '=', 'succeeded')
      .where('finish_time', '>=', since)
      .groupBy(refundDay)
      .execute();
    const byDay = new Map<number, { day: number; created: number; paid: number }>();
    for (const row of orders) {
      const day = Number(row.day);
      const entry = byDay.get(day) ?? { day, created: 0, paid: 0 };
      entry.created += Number(row.count);
      if (row.status === 'paid') entry.paid += Number(row.count);
      byDay.set(day, entry);
    }
    const webhooks = await this.webhookCounts(appId, mode);
    return {
      paid: paid.map((row) => ({
        day: Number(row.day),
        subChannel: row.sub_channel,
        count: Number(row.count),
        fee: Number(row.fee),
      })),
      orders: [...byDay.values()],
      refunds: refunds.map((row) => ({
        day: Number(row.day),
        count: Number(row.count),
        fee: Number(row.fee),
      })),
      pendingWebhooks: webhooks.pending,
      failingWebhooks: webhooks.failing,
    };
  }
}
