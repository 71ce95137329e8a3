/**
 * The bills store: orders `(app_id, mode, bill_no)` and their payment attempts (`bills`), with the REST payment
 * extras (`bill_extras`). Every transition is a conditional update that answers whether it happened, so the core
 * stays idempotent under retries and races. A rule that reads and then writes locks what it read first
 * (`lockOrder`, `lockBill`: `SELECT … FOR UPDATE` on PostgreSQL; on SQLite the one write transaction at a time is
 * the lock). Lock order, to stay free of deadlocks: the order row, then its attempts.
 */
import { sql, type Selectable } from 'kysely';
import type { BillStatus } from '../../sdk/rest-types.ts';
import type { AppMode } from '../apps/app.ts';
import type { Bill, BillStatusFields, OptionalMap } from '../bills/bill.ts';
import type { ButtonChannel, ChannelFamily } from '../channels/channels.ts';
import { runCompiledOnce } from './compiled-once.ts';
import { engineOf } from './dialect.ts';
import { recordConditions, type KeysetPaging, type RecordFilter, type RecordScope } from './record-filter.ts';
import type { BillTable, GatewayTx, OrderTable } from './tables.ts';

/** The columns a public status read takes (`findBillStatus`), and what they give. */
const statusColumns = [
  'id',
  'app_id',
  'bill_no',
  'title',
  'total_fee',
  'channel',
  'sub_channel',
  'status',
  'create_time',
  'trade_no',
  'expires_at',
  'version',
] as const;

function billStatusFromRow(
  row: Pick<Selectable<BillTable>, (typeof statusColumns)[number]>,
): BillStatusFields {
  return {
    id: row.id,
    appId: row.app_id,
    billNo: row.bill_no,
    channel: row.channel as ChannelFamily,
    subChannel: row.sub_channel as ButtonChannel,
    title: row.title,
    totalFee: Number(row.total_fee),
    status: row.status,
    tradeNo: row.trade_no,
    createTime: Number(row.create_time),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    version: row.version,
  };
}

/**
 * The whole bill. Its first 12 fields are billStatusFromRow's, written out again on purpose: built as
 * `{ ...billStatusFromRow(row), mode, … }` it cost 22 µs a call on Node 20 (an object spread followed by more
 * properties takes V8's slow path; this literal: 0.2 µs with `optional` to parse) — 5 % of the gateway's CPU
 * samples under the bill-creation load, and garbage that doubled the collector's share.
 */
export function billFromRow(row: Selectable<BillTable>): Bill {
  return {
    id: row.id,
    appId: row.app_id,
    billNo: row.bill_no,
    channel: row.channel as ChannelFamily,
    subChannel: row.sub_channel as ButtonChannel,
    title: row.title,
    totalFee: Number(row.total_fee),
    status: row.status,
    tradeNo: row.trade_no,
    createTime: Number(row.create_time),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    version: row.version,
    mode: row.mode,
    returnUrl: row.return_url,
    notifyUrl: row.notify_url,
    optional: row.optional === null ? null : (JSON.parse(row.optional) as OptionalMap),
    openid: row.openid,
    spayResult: row.spay_result === 1,
    channelDetail:
      row.channel_detail === null ? null : (JSON.parse(row.channel_detail) as Record<string, unknown>),
    paidTime: row.paid_time === null ? null : Number(row.paid_time),
    closedTime: row.closed_time === null ? null : Number(row.closed_time),
    refundRequired: row.refund_required === 1,
    reconcileCount: row.reconcile_count,
  };
}

export interface Order {
  appId: string;
  mode: AppMode;
  billNo: string;
  title: string;
  totalFee: number;
  status: OrderTable['status'];
  paidBillId: string | null;
}

export interface NewBill {
  id: string;
  appId: string;
  billNo: string;
  mode: AppMode;
  channel: ChannelFamily;
  subChannel: ButtonChannel;
  title: string;
  totalFee: number;
  returnUrl: string | null;
  notifyUrl: string | null;
  optional: OptionalMap | null;
  openid: string | null;
  createTime: number;
  expiresAt: number | null;
  reconcileAt: number | null;
}

export interface PaymentFacts {
  tradeNo: string;
  paidAt: number;
  detail: Record<string, unknown>;
}

export interface BillExtras {
  buyerId?: string;
  couponId?: string;
  analysis?: Record<string, unknown>;
  /** With a coupon: the order's amount before it (fen) and what it took off (fen). */
  billFee?: number;
  discount?: number;
}

/** What a bill's records show beyond the bill itself: its buyer and the coupon it was paid with. */
export interface BillExtrasView {
  buyerId: string | null;
  couponId: string | null;
  billFee: number | null;
  discount: number | null;
}

export interface BillListFilter extends RecordFilter {
  spayResult?: boolean;
  refundResult?: boolean;
  buyerId?: string;
}

export class BillStore {
  constructor(private readonly db: GatewayTx) {}

  private get rowLocks(): boolean {
    return engineOf(this.db) === 'postgres';
  }

  async findOrder(appId: string, mode: AppMode, billNo: string): Promise<Order | undefined> {
    return this.readOrder(appId, mode, billNo, false);
  }

  /**
   * The order, locked until the transaction ends: every rule about an order (a new attempt, booking a payment,
   * reserving a refund) takes this first, so two of them on one order run one after the other.
   */
  async lockOrder(appId: string, mode: AppMode, billNo: string): Promise<Order | undefined> {
    return this.readOrder(appId, mode, billNo, true);
  }

  private async readOrder(
    appId: string,
    mode: AppMode,
    billNo: string,
    lock: boolean,
  ): Promise<Order | undefined> {
    const row = await this.db
      .selectFrom('orders')
      .selectAll()
      .where('app_id', '=', appId)
      .where('mode', '=', mode)
      .where('bill_no', '=', billNo)
      .$if(lock && this.rowLocks, (query) => query.forUpdate())
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      appId: row.app_id,
      mode: row.mode,
      billNo: row.bill_no,
      title: row.title,
      totalFee: Number(row.total_fee),
      status: row.status,
      paidBillId: row.paid_bill_id,
    };
  }

  /** Creates the order unless it exists: `created` or `exists` (never an error for a duplicate). */
  async insertOrder(order: Omit<Order, 'status' | 'paidBillId'>, now: number): Promise<'created' | 'exists'> {
    const row = {
      app_id: order.appId,
      mode: order.mode,
      bill_no: order.billNo,
      title: order.title,
      total_fee: order.totalFee,
      status: 'open' as const,
      paid_bill_id: null,
      create_time: now,
    };
    // Compiled once (compiled-once.ts): the hot path of every bill creation.
    const result = await runCompiledOnce(this.db, 'insertOrder', row, (values) =>
      this.db
        .insertInto('orders')
        .values(values)
        .onConflict((oc) => oc.doNothing()),
    );
    return Number(result.numAffectedRows ?? 0) > 0 ? 'created' : 'exists';
  }

  async markOrderPaid(appId: string, mode: AppMode, billNo: string, billId: string): Promise<void> {
    await this.db
      .updateTable('orders')
      .set({ status: 'paid', paid_bill_id: billId })
      .where('app_id', '=', appId)
      .where('mode', '=', mode)
      .where('bill_no', '=', billNo)
      .execute();
  }

  /** Inserts an attempt and answers it as stored (one statement). */
  async insertBill(bill: NewBill): Promise<Bill> {
    const values = {
      id: bill.id,
      app_id: bill.appId,
      bill_no: bill.billNo,
      mode: bill.mode,
      channel: bill.channel,
      sub_channel: bill.subChannel,
      title: bill.title,
      total_fee: bill.totalFee,
      return_url: bill.returnUrl,
      notify_url: bill.notifyUrl,
      optional: bill.optional ? JSON.stringify(bill.optional) : null,
      openid: bill.openid,
      status: 'open' as const,
      spay_result: 0,
      trade_no: null,
      channel_detail: null,
      create_time: bill.createTime,
      paid_time: null,
      closed_time: null,
      expires_at: bill.expiresAt,
      refund_required: 0,
      version: 0,
      flagged_notice: null,
      channel_close_pending: 0,
      reconcile_at: bill.reconcileAt,
      reconcile_count: 0,
    };
    // Compiled once (compiled-once.ts): the hot path of every bill creation. Every column is given, so the row
    // stored is `values`: no `returning` (SQLite would build and hand back the 27 columns it was just given).
    const { numAffectedRows } = await runCompiledOnce(this.db, 'insertBill', values, (row) =>
      this.db.insertInto('bills').values(row),
    );
    if (Number(numAffectedRows ?? 0) !== 1) throw new Error(`bill ${bill.id} was not inserted`);
    const row = values;
    return billFromRow(row);
  }

  /** A bill by id, compiled once (compiled-once.ts): Kysely would build and compile the query on every read. */
  async findBill(id: string): Promise<Bill | undefined> {
    const { rows } = await runCompiledOnce(this.db, 'findBill', { id }, (values) =>
      this.db.selectFrom('bills').selectAll().where('id', '=', values.id),
    );
    const row = rows[0];
    return row ? billFromRow(row) : undefined;
  }

  /**
   * What a public status read needs of a bill (the widget's polls): 12 of the row's 26 columns, no JSON to parse,
   * compiled once.
   */
  async findBillStatus(id: string): Promise<BillStatusFields | undefined> {
    const { rows } = await runCompiledOnce(this.db, 'findBillStatus', { id }, (values) =>
      this.db.selectFrom('bills').select(statusColumns).where('id', '=', values.id),
    );
    const row = rows[0];
    return row ? billStatusFromRow(row) : undefined;
  }

  /** The attempt, locked until the transaction ends (take its order's lock first when you need both). */
  async lockBill(id: string): Promise<Bill | undefined> {
    const row = await this.db
      .selectFrom('bills')
      .selectAll()
      .where('id', '=', id)
      .$if(this.rowLocks, (query) => query.forUpdate())
      .executeTakeFirst();
    return row ? billFromRow(row) : undefined;
  }

  async requireBill(id: string): Promise<Bill> {
    const bill = await this.findBill(id);
    if (!bill) throw new Error(`bill ${id} vanished inside its transaction`);
    return bill;
  }

  /** Every attempt of an order, oldest first. */
  async attemptsOf(appId: string, mode: AppMode, billNo: string): Promise<Bill[]> {
    const rows = await this.db
      .selectFrom('bills')
      .selectAll()
      .where('app_id', '=', appId)
      .where('mode', '=', mode)
      .where('bill_no', '=', billNo)
      .orderBy('create_time')
      .execute();
    return rows.map(billFromRow);
  }

  /** Books the payment on an open attempt (open → paid); false when it was not open any more. */
  async markPaid(bill: Bill, payment: PaymentFacts): Promise<boolean> {
    const result = await this.db
      .updateTable('bills')
      .set({
        status: 'paid',
        spay_result: 1,
        trade_no: payment.tradeNo,
        paid_time: payment.paidAt,
        channel_detail: JSON.stringify(payment.detail),
        reconcile_at: null,
        version: bill.version + 1,
      })
      .where('id', '=', bill.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Records money that arrived for an attempt that is closed or expired (or whose order another paid). */
  async markLatePayment(bill: Bill, payment: PaymentFacts): Promise<boolean> {
    const result = await this.db
      .updateTable('bills')
      .set({
        spay_result: 1,
        trade_no: payment.tradeNo,
        paid_time: payment.paidAt,
        channel_detail: JSON.stringify(payment.detail),
        refund_required: 1,
        reconcile_at: null,
        version: bill.version + 1,
      })
      .where('id', '=', bill.id)
      .where('spay_result', '=', 0)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Keeps a verified notice whose amount differs from the bill's, for the operator (it is never booked). */
  async flagNotice(billId: string, notice: Record<string, unknown>): Promise<void> {
    await this.db
      .updateTable('bills')
      .set({ flagged_notice: JSON.stringify(notice) })
      .where('id', '=', billId)
      .execute();
  }

  async openSiblingIds(bill: Bill): Promise<string[]> {
    const rows = await this.db
      .selectFrom('bills')
      .select('id')
      .where('app_id', '=', bill.appId)
      .where('mode', '=', bill.mode)
      .where('bill_no', '=', bill.billNo)
      .where('status', '=', 'open')
      .where('id', '!=', bill.id)
      .execute();
    return rows.map((row) => row.id);
  }

  /**
   * open → closed | expired; false when the attempt was not open. `closeAtChannel` marks it for closing at its
   * channel (done after the commit, retried by reconciliation until the channel confirms).
   */
  async closeOpen(
    billId: string,
    to: 'closed' | 'expired',
    now: number,
    closeAtChannel: boolean,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('bills')
      .set((eb) => ({
        status: to,
        closed_time: now,
        // A live attempt keeps a reconciliation time: when its channel close is retried (see pendingChannelCloses).
        reconcile_at: closeAtChannel ? now : null,
        reconcile_count: 0,
        channel_close_pending: closeAtChannel ? 1 : 0,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', billId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async openPastExpiry(now: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('bills')
      .select('id')
      // Literals, as the partial index states them: SQLite answers from it only then.
      .where('status', '=', sql.lit('open'))
      .where('expires_at', 'is not', null)
      .where('expires_at', '<=', now)
      .limit(limit)
      .execute();
    return rows.map((row) => row.id);
  }

  /** Open attempts whose reconciliation is due, oldest due first. */
  async dueForReconciliation(now: number, limit: number): Promise<Bill[]> {
    const rows = await this.db
      .selectFrom('bills')
      .selectAll()
      // Literals, as the partial index states them: SQLite answers from it only then.
      .where('status', '=', sql.lit('open'))
      .where('reconcile_at', 'is not', null)
      .where('reconcile_at', '<=', now)
      .orderBy('reconcile_at')
      .limit(limit)
      .execute();
    return rows.map(billFromRow);
  }

  /**
   * Takes up to `limit` open attempts whose reconciliation is due and moves their next question `leaseMs` on, so
   * no other gateway instance asks about them meanwhile (rows another instance is taking are skipped, not waited
   * for). Run it in a transaction; answer the question, then `scheduleReconciliation`. An instance that dies
   * leaves them to be asked again when the lease is over.
   */
  async claimDueForReconciliation(now: number, limit: number, leaseMs: number): Promise<Bill[]> {
    const rows = await this.db
      .selectFrom('bills')
      .selectAll()
      // Literals, as the partial index states them: SQLite answers from it only then.
      .where('status', '=', sql.lit('open'))
      .where('reconcile_at', 'is not', null)
      .where('reconcile_at', '<=', now)
      .orderBy('reconcile_at')
      .limit(limit)
      .$if(this.rowLocks, (query) => query.forUpdate().skipLocked())
      .execute();
    if (rows.length === 0) return [];
    await this.db
      .updateTable('bills')
      .set({ reconcile_at: now + leaseMs })
      .where(
        'id',
        'in',
        rows.map((row) => row.id),
      )
      .where('status', '=', 'open')
      .execute();
    return rows.map(billFromRow);
  }

  async scheduleReconciliation(billId: string, at: number, count: number): Promise<void> {
    await this.db
      .updateTable('bills')
      .set({ reconcile_at: at, reconcile_count: count })
      .where('id', '=', billId)
      .where('status', '=', 'open')
      .execute();
  }

  /** Closed attempts still to be closed at their channel whose retry is due. */
  async pendingChannelCloses(now: number, limit: number): Promise<Bill[]> {
    const rows = await this.db
      .selectFrom('bills')
      .selectAll()
      // A literal, not a parameter: SQLite answers from the partial index only when the query states its condition.
      .where('channel_close_pending', '=', sql.lit(1))
      .where('reconcile_at', '<=', now)
      .orderBy('reconcile_at')
      .limit(limit)
      .execute();
    return rows.map(billFromRow);
  }

  /**
   * Takes the closed attempts whose channel close is due (as `pendingChannelCloses`) and moves their next try
   * `leaseMs` on, so no other gateway instance retries them meanwhile (rows it is taking are skipped). Run it in a
   * transaction; then `channelClosed` or `scheduleChannelClose`.
   */
  async claimChannelCloses(now: number, limit: number, leaseMs: number): Promise<Bill[]> {
    const rows = await this.db
      .selectFrom('bills')
      .selectAll()
      // A literal, not a parameter: SQLite answers from the partial index only when the query states its condition.
      .where('channel_close_pending', '=', sql.lit(1))
      .where('reconcile_at', '<=', now)
      .orderBy('reconcile_at')
      .limit(limit)
      .$if(this.rowLocks, (query) => query.forUpdate().skipLocked())
      .execute();
    if (rows.length === 0) return [];
    await this.db
      .updateTable('bills')
      .set({ reconcile_at: now + leaseMs })
      .where(
        'id',
        'in',
        rows.map((row) => row.id),
      )
      .where('channel_close_pending', '=', 1)
      .execute();
    return rows.map(billFromRow);
  }

  /** The next try at closing an attempt at its channel. */
  async scheduleChannelClose(billId: string, at: number, count: number): Promise<void> {
    await this.db
      .updateTable('bills')
      .set({ reconcile_at: at, reconcile_count: count })
      .where('id', '=', billId)
      .where('channel_close_pending', '=', 1)
      .execute();
  }

  async channelClosed(billId: string): Promise<void> {
    await this.db
      .updateTable('bills')
      .set({ channel_close_pending: 0, reconcile_at: null })
      .where('id', '=', billId)
      .execute();
  }

  /** Paid attempts whose money must go back (late payments), oldest first. */
  async awaitingRefund(): Promise<Bill[]> {
    const rows = await this.db
      .selectFrom('bills')
      .selectAll()
      .where('refund_required', '=', 1)
      .orderBy('paid_time')
      .execute();
    return rows.map(billFromRow);
  }

  /** Bills of an app and mode with BeeCloud's filters, newest first. */
  /**
   * Newest first (ties by id, also descending, so that one index — app, mode, create_time, id — gives the order
   * and a keyset position both). After a position, the list starts at the next bill: the bound on create_time
   * lets the database seek there in that index instead of walking the rows before it.
   */
  async list(scope: RecordScope, filter: BillListFilter, paging: KeysetPaging): Promise<Bill[]> {
    const after = paging.after;
    // The position's time joins the filter's end_time as ONE upper bound (the smaller): given two, SQLite seeks
    // with one of them only, and with end_time's it would walk every row before the position.
    const bounded =
      after === undefined
        ? filter
        : { ...filter, endTime: Math.min(filter.endTime ?? after.createTime, after.createTime) };
    let query = this.filtered(scope, bounded);
    if (after !== undefined) {
      query = query.where((eb) =>
        eb.or([eb('bills.create_time', '<', after.createTime), eb('bills.id', '<', after.id)]),
      );
    }
    const rows = await query
      .selectAll('bills')
      .orderBy('bills.create_time', 'desc')
      .orderBy('bills.id', 'desc')
      .limit(paging.limit)
      .offset(paging.skip)
      .execute();
    return rows.map(billFromRow);
  }

  async count(scope: RecordScope, filter: BillListFilter): Promise<number> {
    const row = await this.filtered(scope, filter)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Of these bills, those with a succeeded refund. */
  async refundedAmong(billIds: string[]): Promise<Set<string>> {
    if (billIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('refunds')
      .select('bill_id')
      .distinct()
      .where('bill_id', 'in', billIds)
      .where('status', '=', 'succeeded')
      .execute();
    return new Set(rows.map((row) => row.bill_id));
  }

  /** Keeps a bill's extras; nothing is written when it has none. */
  async saveExtras(billId: string, extras: BillExtras): Promise<void> {
    if (extras.buyerId === undefined && extras.couponId === undefined && extras.analysis === undefined)
      return;
    await this.db
      .insertInto('bill_extras')
      .values({
        bill_id: billId,
        buyer_id: extras.buyerId ?? null,
        coupon_id: extras.couponId ?? null,
        analysis: extras.analysis ? JSON.stringify(extras.analysis) : null,
        bill_fee: extras.billFee ?? null,
        discount: extras.discount ?? null,
      })
      .execute();
  }

  /** Buyer and coupon by bill id, for the bills that have extras. */
  async extrasOf(billIds: string[]): Promise<Map<string, BillExtrasView>> {
    if (billIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('bill_extras')
      .select(['bill_id', 'buyer_id', 'coupon_id', 'bill_fee', 'discount'])
      .where('bill_id', 'in', billIds)
      .execute();
    return new Map(
      rows.map((row) => [
        row.bill_id,
        {
          buyerId: row.buyer_id,
          couponId: row.coupon_id,
          billFee: row.bill_fee === null ? null : Number(row.bill_fee),
          discount: row.discount === null ? null : Number(row.discount),
        },
      ]),
    );
  }

  /** How many open attempts of the order were started with this coupon. */
  async openAttemptsWithCoupon(
    appId: string,
    mode: AppMode,
    billNo: string,
    couponId: string,
  ): Promise<number> {
    const row = await this.db
      .selectFrom('bills')
      .innerJoin('bill_extras', 'bill_extras.bill_id', 'bills.id')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('bills.app_id', '=', appId)
      .where('bills.mode', '=', mode)
      .where('bills.bill_no', '=', billNo)
      .where('bills.status', '=', 'open')
      .where('bill_extras.coupon_id', '=', couponId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /**
   * Gives every attempt of an order the buyer (history bills): `not_found` when the app has no such order,
   * `other_buyer` when an attempt already has another buyer (nothing changes then).
   */
  async attachBuyer(
    appId: string,
    mode: AppMode,
    billNo: string,
    buyerId: string,
  ): Promise<'attached' | 'not_found' | 'other_buyer'> {
    const attempts = await this.attemptsOf(appId, mode, billNo);
    if (attempts.length === 0) return 'not_found';
    const extras = await this.extrasOf(attempts.map((bill) => bill.id));
    for (const view of extras.values()) {
      if (view.buyerId !== null && view.buyerId !== buyerId) return 'other_buyer';
    }
    for (const bill of attempts) {
      if (extras.has(bill.id)) {
        await this.db
          .updateTable('bill_extras')
          .set({ buyer_id: buyerId })
          .where('bill_id', '=', bill.id)
          .execute();
      } else {
        await this.db
          .insertInto('bill_extras')
          .values({ bill_id: bill.id, buyer_id: buyerId, coupon_id: null, analysis: null })
          .execute();
      }
    }
    return 'attached';
  }

  /** buyer_id by bill id, for the bills that have one. */
  async buyerIds(billIds: string[]): Promise<Map<string, string>> {
    if (billIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('bill_extras')
      .select(['bill_id', 'buyer_id'])
      .where('bill_id', 'in', billIds)
      .execute();
    return new Map(
      rows.flatMap((row) => (row.buyer_id === null ? [] : [[row.bill_id, row.buyer_id] as const])),
    );
  }

  private filtered(scope: RecordScope, filter: BillListFilter) {
    return this.db.selectFrom('bills').where((eb) => {
      const conditions = recordConditions(eb, 'bills', scope, filter);
      if (filter.spayResult !== undefined) {
        // A literal, not a parameter: only then may either engine plan with the partial index of the paid bills
        // (migration 150), whatever value a cached statement is run with next.
        conditions.push(eb('bills.spay_result', '=', sql.lit(filter.spayResult ? 1 : 0)));
      }
      if (filter.buyerId !== undefined) {
        conditions.push(
          eb.exists(
            eb
              .selectFrom('bill_extras')
              .select('bill_extras.bill_id')
              .whereRef('bill_extras.bill_id', '=', 'bills.id')
              .where('bill_extras.buyer_id', '=', filter.buyerId),
          ),
        );
      }
      if (filter.refundResult !== undefined) {
        const refunded = eb.exists(
          eb
            .selectFrom('refunds')
            .select('refunds.id')
            .whereRef('refunds.bill_id', '=', 'bills.id')
            .where('refunds.status', '=', 'succeeded'),
        );
        conditions.push(filter.refundResult ? refunded : eb.not(refunded));
      }
      return eb.and(conditions);
    });
  }
}

export type { BillStatus };
