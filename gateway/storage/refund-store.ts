/**
 * The refunds store: refunds and pre-refunds of paid bills. A refund_no is unique per app among refunds that are
 * not denied; `insert` answers `duplicate` instead of failing when another writer took the number first.
 */
import type { Selectable } from 'kysely';
import type { Refund, RefundStatus } from '../refunds/refund.ts';
import { engineOf } from './dialect.ts';
import { recordConditions, type Paging, type RecordFilter, type RecordScope } from './record-filter.ts';
import type { GatewayTx, RefundTable } from './tables.ts';

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

export type NewRefundRow = Omit<
  Refund,
  'denyReason' | 'channelRefundNo' | 'channelDetail' | 'updateTime' | 'finishTime'
>;

export interface RefundListFilter extends RecordFilter {
  refundNo?: string;
  needApproval?: boolean;
}

export class RefundStore {
  constructor(private readonly db: GatewayTx) {}

  /** Writes a new refund; `duplicate` when its refund_no is already taken by a refund that is not denied. */
  async insert(refund: NewRefundRow): Promise<'inserted' | 'duplicate'> {
    const result = await this.db
      .insertInto('refunds')
      .values({
        id: refund.id,
        app_id: refund.appId,
        bill_id: refund.billId,
        bill_no: refund.billNo,
        refund_no: refund.refundNo,
        mode: refund.mode,
        channel: refund.channel,
        sub_channel: refund.subChannel,
        title: refund.title,
        total_fee: refund.totalFee,
        refund_fee: refund.refundFee,
        optional: refund.optional === null ? null : JSON.stringify(refund.optional),
        status: refund.status,
        need_approval: refund.needApproval ? 1 : 0,
        deny_reason: null,
        late_payment: refund.latePayment ? 1 : 0,
        channel_refund_no: null,
        channel_detail: null,
        create_time: refund.createTime,
        update_time: refund.createTime,
        finish_time: null,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? 'inserted' : 'duplicate';
  }

  async findById(id: string): Promise<Refund | undefined> {
    const row = await this.db.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? refundFromRow(row) : undefined;
  }

  async find(scope: RecordScope, id: string): Promise<Refund | undefined> {
    const refund = await this.findById(id);
    return refund && refund.appId === scope.appId && refund.mode === scope.mode ? refund : undefined;
  }

  /** The refund with this refund_no that is not denied, else the latest denied one. */
  async findByRefundNo(scope: RecordScope, refundNo: string): Promise<Refund | undefined> {
    const rows = await this.db
      .selectFrom('refunds')
      .selectAll()
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .where('refund_no', '=', refundNo)
      .orderBy('create_time', 'desc')
      .execute();
    const refunds = rows.map(refundFromRow);
    return refunds.find((refund) => refund.status !== 'denied') ?? refunds[0];
  }

  /** Whether the app has a refund with this refund_no that is not denied (and if so, whether it is a pre-refund). */
  async liveRefundNo(appId: string, refundNo: string): Promise<{ needApproval: boolean } | undefined> {
    const row = await this.db
      .selectFrom('refunds')
      .select('need_approval')
      .where('app_id', '=', appId)
      .where('refund_no', '=', refundNo)
      .where('status', '!=', 'denied')
      .executeTakeFirst();
    return row ? { needApproval: row.need_approval === 1 } : undefined;
  }

  /** Fen of a bill spoken for by refunds in these statuses. */
  async reservedFee(billId: string, statuses: readonly RefundStatus[]): Promise<number> {
    const row = await this.db
      .selectFrom('refunds')
      .select((eb) => eb.fn.sum<number>('refund_fee').as('reserved'))
      .where('bill_id', '=', billId)
      .where('status', 'in', [...statuses])
      .executeTakeFirst();
    return Number(row?.reserved ?? 0);
  }

  async hasLatePaymentRefund(billId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('refunds')
      .select('id')
      .where('bill_id', '=', billId)
      .where('late_payment', '=', 1)
      .where('status', '!=', 'failed')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** pending_approval → processing | denied; false when it was not pending any more. */
  async decide(id: string, to: 'processing' | 'denied', now: number, denyReason?: string): Promise<boolean> {
    const result = await this.db
      .updateTable('refunds')
      .set(
        to === 'denied'
          ? { status: 'denied', deny_reason: denyReason ?? null, update_time: now, finish_time: now }
          : { status: 'processing', update_time: now },
      )
      .where('id', '=', id)
      .where('status', '=', 'pending_approval')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Keeps what the channel answered to a refund that is still processing. */
  async noteChannelAnswer(
    id: string,
    channelRefundNo: string | null,
    detail: Record<string, unknown>,
    now: number,
  ): Promise<void> {
    await this.db
      .updateTable('refunds')
      .set({ channel_refund_no: channelRefundNo, channel_detail: JSON.stringify(detail), update_time: now })
      .where('id', '=', id)
      .where('status', '=', 'processing')
      .execute();
  }

  /** processing → succeeded | failed; false when it was not processing any more (already settled). */
  async settle(
    id: string,
    to: 'succeeded' | 'failed',
    channelRefundNo: string | null,
    detail: Record<string, unknown>,
    now: number,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('refunds')
      .set({
        status: to,
        ...(channelRefundNo !== null ? { channel_refund_no: channelRefundNo } : {}),
        channel_detail: JSON.stringify(detail),
        update_time: now,
        finish_time: now,
      })
      .where('id', '=', id)
      .where('status', '=', 'processing')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Takes the refunds still processing whose last change is at or before `before`, marking them changed at `now`,
   * so that no other gateway instance settles them meanwhile (rows it is taking are skipped, not waited for). Run
   * it in a transaction.
   */
  async claimProcessing(before: number, now: number): Promise<Refund[]> {
    const rows = await this.db
      .selectFrom('refunds')
      .selectAll()
      .where('status', '=', 'processing')
      .where('update_time', '<=', before)
      .$if(engineOf(this.db) === 'postgres', (query) => query.forUpdate().skipLocked())
      .execute();
    if (rows.length === 0) return [];
    await this.db
      .updateTable('refunds')
      .set({ update_time: now })
      .where(
        'id',
        'in',
        rows.map((row) => row.id),
      )
      .where('status', '=', 'processing')
      .execute();
    return rows.map((row) => refundFromRow({ ...row, update_time: now }));
  }

  async list(scope: RecordScope, filter: RefundListFilter, paging: Paging): Promise<Refund[]> {
    const rows = await this.filtered(scope, filter)
      .selectAll()
      .orderBy('create_time', 'desc')
      .orderBy('id')
      .limit(paging.limit)
      .offset(paging.skip)
      .execute();
    return rows.map(refundFromRow);
  }

  async count(scope: RecordScope, filter: RefundListFilter): Promise<number> {
    const row = await this.filtered(scope, filter)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  private filtered(scope: RecordScope, filter: RefundListFilter) {
    return this.db.selectFrom('refunds').where((eb) => {
      const conditions = recordConditions(eb, 'refunds', scope, filter);
      if (filter.refundNo !== undefined) conditions.push(eb('refunds.refund_no', '=', filter.refundNo));
      if (filter.needApproval !== undefined) {
        conditions.push(eb('refunds.need_approval', '=', filter.needApproval ? 1 : 0));
      }
      return eb.and(conditions);
    });
  }
}
