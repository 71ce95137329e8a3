/**
 * The refund service: refunds and pre-refunds of paid bills, their approval, and the automatic refund of money
 * that arrived for a closed or expired attempt.
 *
 * A refund is written as `processing` first (its refund_no and amount are reserved in the database), then sent
 * to the channel adapter, then completed: `succeeded` plus the REFUND webhook in one transaction, or `failed`.
 * A gateway that stops between the two resumes `processing` refunds at its next start (`resumeUnfinished`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { App } from '../apps/app.ts';
import { AppStore } from '../apps/app-store.ts';
import type { BillEvents } from '../bills/bill-events.ts';
import { billFromRow, type Bill, type OptionalMap } from '../bills/bill.ts';
import type { ChannelAdapter } from '../channels/channel-adapter.ts';
import { BeeCloudError, resultName } from '../errors/result-codes.ts';
import { channelFilterMatches } from '../rest/channel-filter.ts';
import type { GatewayDb } from '../storage/tables.ts';
import { enqueueWebhook } from '../webhooks/outbox.ts';
import { RESERVING_STATUSES, refundFromRow, type Refund } from './refund.ts';
import { RefundRecords } from './refund-records.ts';
import type { RefundApprovalRequest, RefundRequest } from './refund-request.ts';
import { asGatewayTx, withRefundTables, type RefundTx } from './refund-tables.ts';

export interface RefundServiceOptions {
  db: GatewayDb;
  /** The adapter that took the bill's payment; undefined when the app has no adapter for the bill's mode. */
  channelFor(app: App, bill: Bill): ChannelAdapter | undefined;
  webhookRetryScale: number;
  /** Called after a commit that enqueued a webhook (the dispatcher's wake). */
  onWebhookEnqueued?: () => void;
  log?: (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void;
  now?: () => number;
}

/** What a new refund row takes beyond its bill's fields. */
interface NewRefund {
  refundNo: string;
  refundFee: number;
  /** JSON text of the refund's optional map. */
  optional: string | null;
  needApproval: boolean;
  latePayment: boolean;
}

/** One id's answer in PUT /2/rest/refund's result_map: "OK" or the reason. */
export type ApprovalResults = Record<string, string>;

function refundDate(now: number): string {
  // BeeCloud's refund dates are China dates (UTC+8).
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

export class RefundService {
  private readonly db: RefundTx;
  private readonly now: () => number;
  readonly records: RefundRecords;

  constructor(private readonly options: RefundServiceOptions) {
    this.db = withRefundTables(options.db);
    this.records = new RefundRecords(options.db);
    this.now = options.now ?? Date.now;
  }

  /** POST /2/rest/refund: a refund (sent to the channel at once) or, with need_approval, a pre-refund. */
  async createRefund(app: App, request: RefundRequest): Promise<Refund> {
    const now = this.now();
    const { refund, bill } = await this.reserve(app, request, now);
    if (refund.status === 'pending_approval') return refund;
    return this.sendToChannel(app, refund, bill);
  }

  /** Writes the refund as `pending_approval` or `processing` after every check, in one transaction. */
  private async reserve(
    app: App,
    request: RefundRequest,
    now: number,
  ): Promise<{ refund: Refund; bill: Bill }> {
    try {
      return await this.reserveIn(app, request, now);
    } catch (error) {
      // Another process wrote the same refund_no between our check and our insert: the unique index said no.
      if (
        error instanceof Error &&
        (error as Error & { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'
      ) {
        const code = request.needApproval ? 'PREREFUND_DUPLICATE' : 'ALREADY_REFUNDING';
        throw new BeeCloudError(code, 'refund_no', `refund ${request.refundNo} already exists`);
      }
      throw error;
    }
  }

  private async reserveIn(
    app: App,
    request: RefundRequest,
    now: number,
  ): Promise<{ refund: Refund; bill: Bill }> {
    return this.db.transaction().execute(async (tx) => {
      const attempts = (
        await tx
          .selectFrom('bills')
          .selectAll()
          .where('app_id', '=', app.appId)
          .where('bill_no', '=', request.billNo)
          .where('mode', '=', app.mode)
          .execute()
      ).map(billFromRow);
      if (attempts.length === 0)
        throw new BeeCloudError('NO_SUCH_BILL', 'bill_no', `no bill ${request.billNo}`);
      const paid = attempts.find((attempt) => attempt.status === 'paid');
      if (paid === undefined) {
        throw new BeeCloudError('BILL_UNSUCCESS', 'bill_no', `bill ${request.billNo} has not been paid`);
      }
      if (!channelFilterMatches(request.channel, paid.channel, paid.subChannel)) {
        throw new BeeCloudError(
          'CHANNEL_INVALID',
          'channel',
          `bill ${request.billNo} was paid through ${paid.subChannel}`,
        );
      }
      const duplicate = await tx
        .selectFrom('refunds')
        .select(['need_approval'])
        .where('app_id', '=', app.appId)
        .where('refund_no', '=', request.refundNo)
        .where('status', '!=', 'denied')
        .executeTakeFirst();
      if (duplicate) {
        const code =
          request.needApproval || duplicate.need_approval === 1 ? 'PREREFUND_DUPLICATE' : 'ALREADY_REFUNDING';
        throw new BeeCloudError(code, 'refund_no', `refund ${request.refundNo} already exists`);
      }
      const reserved = await this.reservedFee(tx, paid.id);
      const refundable = paid.totalFee - reserved;
      if (request.refundFee > refundable) {
        throw new BeeCloudError(
          'REFUND_AMOUNT_TOO_LARGE',
          'refund_fee',
          `${request.refundFee} fen is more than the ${refundable} fen that may still be refunded of ${paid.totalFee} fen`,
        );
      }
      const refund = await this.insertRefund(
        tx,
        paid,
        {
          refundNo: request.refundNo,
          refundFee: request.refundFee,
          optional: request.optional ? JSON.stringify(request.optional) : null,
          needApproval: request.needApproval,
          latePayment: false,
        },
        now,
      );
      return { refund, bill: paid };
    });
  }

  /** PUT /2/rest/refund: approves (sends to the channel) or denies pre-refunds, one answer per id. */
  async decidePreRefunds(app: App, approval: RefundApprovalRequest): Promise<ApprovalResults> {
    const results: ApprovalResults = {};
    let found = 0;
    for (const id of approval.ids) {
      const refund = await this.records.findRefund(app.appId, app.mode, id);
      if (
        refund === undefined ||
        !channelFilterMatches(approval.channel, refund.channel, refund.subChannel)
      ) {
        results[id] = 'NO_SUCH_REFUND';
        continue;
      }
      found += 1;
      if (!refund.needApproval || refund.status !== 'pending_approval') {
        results[id] = `NOT_PENDING_APPROVAL: refund ${refund.refundNo} is ${refund.status}`;
        continue;
      }
      results[id] = approval.agree
        ? await this.approve(app, refund)
        : await this.deny(refund, approval.denyReason);
    }
    if (found === 0)
      throw new BeeCloudError('NO_SUCH_REFUND', 'ids', 'none of the ids is a refund of this app and channel');
    return results;
  }

  /**
   * Refunds a payment that arrived for an attempt that was already closed or expired (once per bill). Automatic
   * in the sandbox (test mode) only: a live late payment stays marked for the merchant to refund.
   */
  async refundLatePayment(bill: Bill): Promise<Refund | undefined> {
    if (!bill.refundRequired || !bill.spayResult || bill.mode !== 'test') return undefined;
    const now = this.now();
    const created = await this.db.transaction().execute(async (tx) => {
      const existing = await tx
        .selectFrom('refunds')
        .select('id')
        .where('bill_id', '=', bill.id)
        .where('late_payment', '=', 1)
        .where('status', '!=', 'failed')
        .executeTakeFirst();
      if (existing) return undefined;
      return this.insertRefund(
        tx,
        bill,
        {
          refundNo: `${refundDate(now)}LATE${randomBytes(8).toString('hex').toUpperCase()}`,
          refundFee: bill.totalFee,
          optional: null,
          needApproval: false,
          latePayment: true,
        },
        now,
      );
    });
    if (created === undefined) return undefined;
    const app = await new AppStore(this.options.db).findApp(bill.appId);
    if (app === undefined) return created;
    try {
      return await this.sendToChannel(app, created, bill);
    } catch (error) {
      this.options.log?.('warn', 'late payment refund failed', { billId: bill.id, error: String(error) });
      return this.records.findRefund(bill.appId, bill.mode, created.id);
    }
  }

  /**
   * At start: completes refunds left `processing` by a stopped gateway (the channel's refund is idempotent by
   * refund_no) and refunds late payments that were not refunded yet.
   */
  async resumeUnfinished(): Promise<void> {
    await this.retryProcessing(0);
    const late = await this.db.selectFrom('bills').selectAll().where('refund_required', '=', 1).execute();
    for (const row of late) await this.refundLatePayment(billFromRow(row));
  }

  /**
   * Sends again the refunds still `processing` whose last change is older than `olderThanMs` (the channel did not
   * answer). Channels refund idempotently by refund_no, so a refund is never paid out twice.
   */
  async retryProcessing(olderThanMs: number): Promise<void> {
    const stuck = await this.db
      .selectFrom('refunds')
      .selectAll()
      .where('status', '=', 'processing')
      .where('update_time', '<=', this.now() - olderThanMs)
      .execute();
    const apps = new AppStore(this.options.db);
    for (const row of stuck) {
      const refund = refundFromRow(row);
      const app = await apps.findApp(refund.appId);
      const bill = await this.findBill(refund.billId);
      if (app === undefined || bill === undefined) continue;
      try {
        await this.sendToChannel(app, refund, bill);
      } catch (error) {
        this.options.log?.('warn', 'resuming a refund failed', { refundId: refund.id, error: String(error) });
      }
    }
  }

  /** Starts refunding late payments as the bill service announces them. Returns the unsubscribe function. */
  listenForLatePayments(events: BillEvents): () => void {
    return events.onLatePayment((bill) => {
      this.refundLatePayment(bill).catch((error: unknown) => {
        this.options.log?.('warn', 'late payment refund failed', { billId: bill.id, error: String(error) });
      });
    });
  }

  private async approve(app: App, refund: Refund): Promise<string> {
    const now = this.now();
    const moved = await this.db
      .updateTable('refunds')
      .set({ status: 'processing', update_time: now })
      .where('id', '=', refund.id)
      .where('status', '=', 'pending_approval')
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0)
      return `NOT_PENDING_APPROVAL: refund ${refund.refundNo} changed meanwhile`;
    const bill = await this.findBill(refund.billId);
    if (bill === undefined) return 'NO_SUCH_BILL';
    try {
      const done = await this.sendToChannel(app, { ...refund, status: 'processing' }, bill);
      return done.status === 'succeeded' ? 'OK' : 'CHANNEL_ERROR: the channel refused the refund';
    } catch (error) {
      if (error instanceof BeeCloudError) return `${resultName(error.code)}: ${error.detail}`;
      throw error;
    }
  }

  private async deny(refund: Refund, reason: string | undefined): Promise<string> {
    const now = this.now();
    const moved = await this.db
      .updateTable('refunds')
      .set({ status: 'denied', deny_reason: reason ?? null, update_time: now, finish_time: now })
      .where('id', '=', refund.id)
      .where('status', '=', 'pending_approval')
      .executeTakeFirst();
    return Number(moved.numUpdatedRows) === 0
      ? `NOT_PENDING_APPROVAL: refund ${refund.refundNo} changed meanwhile`
      : 'OK';
  }

  /** Sends a `processing` refund to the channel and records the outcome (with the REFUND webhook on success). */
  private async sendToChannel(app: App, refund: Refund, bill: Bill): Promise<Refund> {
    const adapter = this.options.channelFor(app, bill);
    if (adapter === undefined) {
      throw new BeeCloudError(
        'PAY_FACTOR_NOT_SET',
        'channel',
        `${bill.subChannel} has no ${bill.mode} credentials on this gateway`,
      );
    }
    let answer: Awaited<ReturnType<ChannelAdapter['refund']>>;
    try {
      answer = await adapter.refund(bill, { refundNo: refund.refundNo, refundFee: refund.refundFee });
    } catch (error) {
      // The channel could not be reached: the refund stays `processing` and is retried at the next start.
      this.options.log?.('warn', 'channel refund call failed', { refundId: refund.id, error: String(error) });
      throw new BeeCloudError(
        'CHANNEL_ERROR',
        'refund_no',
        `the channel did not answer the refund: ${String(error)}`,
      );
    }
    const now = this.now();
    let enqueued = false;
    const done = await this.db.transaction().execute(async (tx) => {
      const moved = await tx
        .updateTable('refunds')
        .set({
          status: answer.accepted ? 'succeeded' : 'failed',
          ...(answer.accepted ? { channel_refund_no: answer.channelRefundNo } : {}),
          channel_detail: JSON.stringify(answer.detail),
          update_time: now,
          finish_time: now,
        })
        .where('id', '=', refund.id)
        .where('status', '=', 'processing')
        .executeTakeFirst();
      // Only the transition to `succeeded` announces the refund (a second completion changes nothing).
      if (answer.accepted && Number(moved.numUpdatedRows) === 1 && !refund.latePayment) {
        await enqueueWebhook(
          asGatewayTx(tx),
          {
            app,
            mode: bill.mode,
            transactionType: 'REFUND',
            transactionId: refund.refundNo,
            channelType: bill.channel,
            subChannelType: bill.subChannel,
            transactionFee: refund.refundFee,
            optional: (refund.optional ?? bill.optional) as OptionalMap | null,
            messageDetail: answer.detail,
            channelTransactionId: answer.channelRefundNo,
            extraFields: { bill_no: bill.billNo, refund_fee: refund.refundFee, total_fee: bill.totalFee },
            billId: bill.id,
            refundId: refund.id,
            targetUrl: bill.notifyUrl,
          },
          { now, retryScale: this.options.webhookRetryScale },
        );
        enqueued = true;
      }
      return this.requireRefund(tx, refund.id);
    });
    if (enqueued) this.options.onWebhookEnqueued?.();
    if (done.status === 'failed') {
      throw new BeeCloudError('CHANNEL_ERROR', 'refund_no', `the channel refused refund ${refund.refundNo}`);
    }
    return done;
  }

  /** Writes a new refund of a paid bill: `pending_approval` for a pre-refund, else `processing`. */
  private async insertRefund(tx: RefundTx, bill: Bill, refund: NewRefund, now: number): Promise<Refund> {
    const id = randomUUID();
    await tx
      .insertInto('refunds')
      .values({
        id,
        app_id: bill.appId,
        bill_id: bill.id,
        bill_no: bill.billNo,
        refund_no: refund.refundNo,
        mode: bill.mode,
        channel: bill.channel,
        sub_channel: bill.subChannel,
        title: bill.title,
        total_fee: bill.totalFee,
        refund_fee: refund.refundFee,
        optional: refund.optional,
        status: refund.needApproval ? 'pending_approval' : 'processing',
        need_approval: refund.needApproval ? 1 : 0,
        deny_reason: null,
        late_payment: refund.latePayment ? 1 : 0,
        channel_refund_no: null,
        channel_detail: null,
        create_time: now,
        update_time: now,
        finish_time: null,
      })
      .execute();
    return this.requireRefund(tx, id);
  }

  private async reservedFee(tx: RefundTx, billId: string): Promise<number> {
    const row = await tx
      .selectFrom('refunds')
      .select((eb) => eb.fn.sum<number>('refund_fee').as('reserved'))
      .where('bill_id', '=', billId)
      .where('status', 'in', [...RESERVING_STATUSES])
      .executeTakeFirst();
    return Number(row?.reserved ?? 0);
  }

  private async findBill(billId: string): Promise<Bill | undefined> {
    const row = await this.db.selectFrom('bills').selectAll().where('id', '=', billId).executeTakeFirst();
    return row ? billFromRow(row) : undefined;
  }

  private async requireRefund(tx: RefundTx, id: string): Promise<Refund> {
    const row = await tx.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return refundFromRow(row);
  }
}
