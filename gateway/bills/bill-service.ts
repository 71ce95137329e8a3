/**
 * The bill service: every state change of orders and their payment attempts. States only move forward
 * (open → paid | closed | expired), every transition is idempotent, and the PAY webhook is written to the outbox
 * in the same transaction as the payment.
 *
 * Rules of an order (app, bill_no): it may be attempted on several channels; the first paid attempt pays the
 * order and closes the others; money that still arrives for a closed or expired attempt is recorded with
 * `refund_required` and announced through `BillEvents.onLatePayment` for the refunds side.
 */
import { AppStore } from '../apps/app-store.ts';
import type { App } from '../apps/app.ts';
import { channelInfo, type ButtonChannel } from '../channels/channels.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import { targetRefusal } from '../net/target-policy.ts';
import type { GatewayDb, GatewayTx } from '../storage/tables.ts';
import { enqueueWebhook } from '../webhooks/outbox.ts';
import { newBillId } from './bill-id.ts';
import { billFromRow, type Bill, type OptionalMap } from './bill.ts';
import type { BillEvents } from './bill-events.ts';

/** QR bills expire after 2 hours unless the merchant sets bill_timeout. */
export const defaultQrBillTimeoutSeconds = 2 * 60 * 60;

export interface NewAttempt {
  app: App;
  channel: ButtonChannel;
  billNo: string;
  title: string;
  totalFee: number;
  returnUrl?: string | null;
  notifyUrl?: string | null;
  optional?: OptionalMap | null;
  openid?: string | null;
  billTimeoutSeconds?: number | null;
}

/** What a channel told us about a payment (parsed from its notify). */
export interface ChannelPayment {
  billId: string;
  tradeNo: string;
  totalFee: number;
  paidAt: number;
  detail: Record<string, unknown>;
}

export type PaymentOutcome = 'paid' | 'already_paid' | 'late_payment';

interface RecordedPayment {
  bill: Bill;
  outcome: PaymentOutcome;
  /** Sibling attempts this payment closed. */
  closed?: Bill[];
}

export interface BillQuery {
  appId: string;
  mode?: 'test' | 'live';
  channel?: string;
  subChannel?: string;
  billNo?: string;
  spayResult?: boolean;
  startTime?: number;
  endTime?: number;
  /** Default 10, at most 50 (BeeCloud's limits). */
  limit?: number;
  skip?: number;
}

export interface BillServiceOptions {
  db: GatewayDb;
  events: BillEvents;
  webhookRetryScale: number;
  /** Called after a commit that enqueued a webhook (the dispatcher's wake). */
  onWebhookEnqueued?: () => void;
  now?: () => number;
  /** Structured log of every state change. */
  log?: (fields: Record<string, unknown>, message: string) => void;
  /** Accept a notify_url on loopback / private addresses (local development; default false). */
  allowPrivateTargets?: boolean;
}

export class BillService {
  private readonly db: GatewayDb;
  private readonly events: BillEvents;
  private readonly now: () => number;

  constructor(private readonly options: BillServiceOptions) {
    this.db = options.db;
    this.events = options.events;
    this.now = options.now ?? Date.now;
  }

  /** Creates a payment attempt for an order, creating the order on its first attempt. */
  async createAttempt(input: NewAttempt): Promise<Bill> {
    if (input.notifyUrl) {
      const refusal = targetRefusal(input.notifyUrl, this.options.allowPrivateTargets ?? false);
      if (refusal) throw new BeeCloudError('PARAM_INVALID', 'notify_url', refusal);
    }
    const now = this.now();
    const info = channelInfo(input.channel);
    const timeout = input.billTimeoutSeconds ?? (info.kind === 'qr' ? defaultQrBillTimeoutSeconds : null);
    const bill = await this.db.transaction().execute(async (tx) => {
      const order = await tx
        .selectFrom('orders')
        .selectAll()
        .where('app_id', '=', input.app.appId)
        .where('bill_no', '=', input.billNo)
        .executeTakeFirst();
      if (!order) {
        await tx
          .insertInto('orders')
          .values({
            app_id: input.app.appId,
            bill_no: input.billNo,
            title: input.title,
            total_fee: input.totalFee,
            status: 'open',
            paid_bill_id: null,
            create_time: now,
          })
          .execute();
      } else {
        if (Number(order.total_fee) !== input.totalFee) {
          throw new BeeCloudError(
            'BILL_NO_DUPLICATE',
            'amount',
            `order ${input.billNo} already exists with amount ${order.total_fee}`,
          );
        }
        if (order.title !== input.title) {
          throw new BeeCloudError(
            'BILL_NO_DUPLICATE',
            'title',
            `order ${input.billNo} already exists with another title`,
          );
        }
        if (order.status === 'paid') {
          throw new BeeCloudError(
            'BILL_NO_DUPLICATE',
            'out_trade_no',
            `order ${input.billNo} is already paid`,
          );
        }
      }
      const id = newBillId();
      await tx
        .insertInto('bills')
        .values({
          id,
          app_id: input.app.appId,
          bill_no: input.billNo,
          mode: input.app.mode,
          channel: info.family,
          sub_channel: input.channel,
          title: input.title,
          total_fee: input.totalFee,
          return_url: input.returnUrl ?? null,
          notify_url: input.notifyUrl ?? null,
          optional: input.optional ? JSON.stringify(input.optional) : null,
          openid: input.openid ?? null,
          status: 'open',
          spay_result: 0,
          trade_no: null,
          channel_detail: null,
          create_time: now,
          paid_time: null,
          closed_time: null,
          expires_at: timeout === null ? null : now + timeout * 1000,
          refund_required: 0,
          version: 0,
        })
        .execute();
      return this.requireBill(tx, id);
    });
    this.events.billChanged(bill);
    this.options.log?.(
      {
        billId: bill.id,
        appId: bill.appId,
        billNo: bill.billNo,
        channel: bill.subChannel,
        totalFee: bill.totalFee,
      },
      'bill created',
    );
    return bill;
  }

  /**
   * Records a payment a channel reported (through its notify). Idempotent: the same payment again answers
   * `already_paid`. Refuses an amount that differs from the bill's.
   */
  async recordPayment(payment: ChannelPayment): Promise<{ bill: Bill; outcome: PaymentOutcome }> {
    let enqueued = false;
    const result = await this.db.transaction().execute(async (tx): Promise<RecordedPayment> => {
      const bill = await this.findBillIn(tx, payment.billId);
      if (!bill) throw new BeeCloudError('NO_SUCH_BILL', 'bill_id', `no bill ${payment.billId}`);
      if (payment.totalFee !== bill.totalFee) {
        throw new BeeCloudError(
          'CHANNEL_ERROR',
          'total_fee',
          `channel reported ${payment.totalFee} fen for a bill of ${bill.totalFee} fen`,
        );
      }
      if (bill.spayResult) {
        return { bill, outcome: 'already_paid' };
      }
      const order = await tx
        .selectFrom('orders')
        .selectAll()
        .where('app_id', '=', bill.appId)
        .where('bill_no', '=', bill.billNo)
        .executeTakeFirstOrThrow();
      const paidFields = {
        spay_result: 1,
        trade_no: payment.tradeNo,
        paid_time: payment.paidAt,
        channel_detail: JSON.stringify(payment.detail),
        version: bill.version + 1,
      };
      if (bill.status !== 'open' || order.status === 'paid') {
        await tx
          .updateTable('bills')
          .set({ ...paidFields, refund_required: 1 })
          .where('id', '=', bill.id)
          .execute();
        return { bill: await this.requireBill(tx, bill.id), outcome: 'late_payment' };
      }
      await tx
        .updateTable('bills')
        .set({ ...paidFields, status: 'paid' })
        .where('id', '=', bill.id)
        .where('status', '=', 'open')
        .execute();
      await tx
        .updateTable('orders')
        .set({ status: 'paid', paid_bill_id: bill.id })
        .where('app_id', '=', bill.appId)
        .where('bill_no', '=', bill.billNo)
        .execute();
      const siblings = await tx
        .selectFrom('bills')
        .select('id')
        .where('app_id', '=', bill.appId)
        .where('bill_no', '=', bill.billNo)
        .where('status', '=', 'open')
        .where('id', '!=', bill.id)
        .execute();
      const now = this.now();
      for (const { id } of siblings) {
        await tx
          .updateTable('bills')
          .set((eb) => ({ status: 'closed', closed_time: now, version: eb('version', '+', 1) }))
          .where('id', '=', id)
          .where('status', '=', 'open')
          .execute();
      }
      const app = await new AppStore(tx).findApp(bill.appId);
      if (!app) throw new BeeCloudError('APP_INVALID', 'appId', `no app ${bill.appId}`);
      const paid = await this.requireBill(tx, bill.id);
      await enqueueWebhook(
        tx,
        {
          app,
          mode: paid.mode,
          transactionType: 'PAY',
          transactionId: paid.billNo,
          channelType: paid.channel,
          subChannelType: paid.subChannel,
          transactionFee: paid.totalFee,
          optional: paid.optional,
          messageDetail: payment.detail,
          channelTransactionId: payment.tradeNo,
          billId: paid.id,
          targetUrl: paid.notifyUrl,
        },
        { now: this.now(), retryScale: this.options.webhookRetryScale },
      );
      enqueued = true;
      const closed: Bill[] = [];
      for (const { id } of siblings) closed.push(await this.requireBill(tx, id));
      return { bill: paid, outcome: 'paid', closed };
    });
    if (enqueued) this.options.onWebhookEnqueued?.();
    this.options.log?.(
      {
        billId: result.bill.id,
        appId: result.bill.appId,
        billNo: result.bill.billNo,
        outcome: result.outcome,
        tradeNo: payment.tradeNo,
        closedAttempts: result.closed?.map((bill) => bill.id) ?? [],
      },
      result.outcome === 'late_payment' ? 'late payment recorded for refund' : 'payment recorded',
    );
    if (result.outcome === 'paid') {
      this.events.billChanged(result.bill);
      for (const closed of result.closed ?? []) this.events.billChanged(closed);
    } else if (result.outcome === 'late_payment') {
      this.events.billChanged(result.bill);
      this.events.latePayment(result.bill);
    }
    return { bill: result.bill, outcome: result.outcome };
  }

  /**
   * Moves an open attempt to `closed` (payer cancelled, another attempt paid) or `expired`. Returns the bill when
   * it changed, undefined when it was no longer open (idempotent).
   */
  async closeAttempt(
    billId: string,
    to: 'closed' | 'expired' = 'closed',
    { announce = true }: { announce?: boolean } = {},
  ): Promise<Bill | undefined> {
    const now = this.now();
    const changed = await this.db.transaction().execute(async (tx) => {
      const result = await tx
        .updateTable('bills')
        .set((eb) => ({ status: to, closed_time: now, version: eb('version', '+', 1) }))
        .where('id', '=', billId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return undefined;
      return this.requireBill(tx, billId);
    });
    if (changed && announce) this.events.billChanged(changed);
    if (changed) this.options.log?.({ billId: changed.id, appId: changed.appId, status: to }, `bill ${to}`);
    return changed;
  }

  /** Expires every open attempt whose time is up; returns the expired bills. */
  async expireDueAttempts(): Promise<Bill[]> {
    const now = this.now();
    const due = await this.db
      .selectFrom('bills')
      .select('id')
      .where('status', '=', 'open')
      .where('expires_at', 'is not', null)
      .where('expires_at', '<=', now)
      .limit(500)
      .execute();
    const expired: Bill[] = [];
    for (const { id } of due) {
      const bill = await this.closeAttempt(id, 'expired');
      if (bill) expired.push(bill);
    }
    return expired;
  }

  /** A bill by id; an open attempt past its expiry is expired on the spot. */
  async findById(billId: string): Promise<Bill | undefined> {
    const bill = await this.findBillIn(this.db, billId);
    if (bill && bill.status === 'open' && bill.expiresAt !== null && bill.expiresAt <= this.now()) {
      return (await this.closeAttempt(bill.id, 'expired')) ?? (await this.findBillIn(this.db, billId));
    }
    return bill;
  }

  /** Every attempt of an order, oldest first. */
  async findByBillNo(appId: string, billNo: string): Promise<Bill[]> {
    const rows = await this.db
      .selectFrom('bills')
      .selectAll()
      .where('app_id', '=', appId)
      .where('bill_no', '=', billNo)
      .orderBy('create_time')
      .execute();
    return rows.map(billFromRow);
  }

  /** Bills of an app, newest first, with BeeCloud's filters; `limit` defaults to 10 and is capped at 50. */
  async queryBills(query: BillQuery): Promise<Bill[]> {
    const limit = Math.min(Math.max(query.limit ?? 10, 1), 50);
    const rows = await this.filtered(query)
      .selectAll()
      .orderBy('create_time', 'desc')
      .orderBy('id')
      .limit(limit)
      .offset(Math.max(query.skip ?? 0, 0))
      .execute();
    return rows.map(billFromRow);
  }

  async countBills(query: BillQuery): Promise<number> {
    const row = await this.filtered(query)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Paid attempts that must be refunded (late payments). */
  async billsAwaitingRefund(appId?: string): Promise<Bill[]> {
    let q = this.db.selectFrom('bills').selectAll().where('refund_required', '=', 1);
    if (appId) q = q.where('app_id', '=', appId);
    return (await q.orderBy('paid_time').execute()).map(billFromRow);
  }

  private filtered(query: BillQuery) {
    let q = this.db.selectFrom('bills').where('app_id', '=', query.appId);
    if (query.mode) q = q.where('mode', '=', query.mode);
    if (query.channel) q = q.where('channel', '=', query.channel);
    if (query.subChannel) q = q.where('sub_channel', '=', query.subChannel);
    if (query.billNo) q = q.where('bill_no', '=', query.billNo);
    if (query.spayResult !== undefined) q = q.where('spay_result', '=', query.spayResult ? 1 : 0);
    if (query.startTime !== undefined) q = q.where('create_time', '>=', query.startTime);
    if (query.endTime !== undefined) q = q.where('create_time', '<=', query.endTime);
    return q;
  }

  private async findBillIn(db: GatewayTx, billId: string): Promise<Bill | undefined> {
    const row = await db.selectFrom('bills').selectAll().where('id', '=', billId).executeTakeFirst();
    return row ? billFromRow(row) : undefined;
  }

  private async requireBill(db: GatewayTx, billId: string): Promise<Bill> {
    const bill = await this.findBillIn(db, billId);
    if (!bill) throw new Error(`bill ${billId} vanished inside its transaction`);
    return bill;
  }
}
