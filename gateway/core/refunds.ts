/**
 * Refunds, the core's use cases for money going back: refunds and pre-refunds of paid bills, their approval, the
 * automatic refund of money that arrived for a closed or expired attempt, and the settling of refunds a channel
 * finishes later (by notify, or by `queryRefund` in the refund-resume timer).
 *
 * A refund is written as `processing` first (its refund_no and amount are reserved), then sent to the channel
 * adapter (`refund`, idempotent by out_refund_no = the refund id without dashes), then settled: `succeeded` plus
 * the REFUND webhook in one transaction, or `failed`; a channel that answers `processing` settles it later.
 * A gateway that stops between the two resumes at its next start.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { App } from '../apps/app.ts';
import type { BillEvents } from '../bills/bill-events.ts';
import type { Bill, OptionalMap } from '../bills/bill.ts';
import { outTradeNoFor, type ChannelRefundRequest, type RefundResult } from '../channels/channel.ts';
import { channelFilterMatches, type ChannelFilter } from '../channels/channels.ts';
import type { Refund } from '../refunds/refund.ts';
import { RESERVING_STATUSES } from '../refunds/refund.ts';
import type { Paging, RecordScope } from '../storage/record-filter.ts';
import type { RefundListFilter } from '../storage/refund-store.ts';
import type { Stores } from '../storage/store.ts';
import { enqueueWebhook } from '../webhooks/outbox.ts';
import { attemptOf, billIdFor, channelUrlsFor, type CoreDeps } from './core-deps.ts';
import { DomainError } from './domain-error.ts';

export interface RefundOrder {
  refundNo: string;
  billNo: string;
  refundFee: number;
  channel?: ChannelFilter;
  optional?: Record<string, unknown>;
  needApproval: boolean;
}

export interface RefundApproval {
  /** Only refunds on this channel (REST's required `channel`); absent = any channel (the console). */
  channel: ChannelFilter | undefined;
  ids: string[];
  agree: boolean;
  denyReason?: string;
}

/**
 * Work an edge adds to the transaction that records a refund or a decision (the console's audit entry), so it
 * exists exactly when the change does.
 */
export type WithinRefundChange = (tx: Stores, refund: Refund) => Promise<void>;

/** One id's answer to an approval: done, or why not. */
export type ApprovalOutcome =
  | { ok: true }
  | { ok: false; refusal: 'no_such_refund' | 'not_pending' }
  | { ok: false; refusal: 'refused'; error: DomainError };

function refundDate(now: number): string {
  // BeeCloud's refund dates are China dates (UTC+8).
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

/** A refund processing unchanged this long is settled by the timer (its instance died or the channel never answered). */
export const stuckRefundAgeMs = 30_000;

export class Refunds {
  constructor(private readonly deps: CoreDeps) {}

  /** A refund (sent to the channel at once) or, with needApproval, a pre-refund waiting for approval. */
  async createRefund(app: App, order: RefundOrder, within?: WithinRefundChange): Promise<Refund> {
    const { refund, bill } = await this.reserve(app, order, within);
    if (refund.status === 'pending_approval') return refund;
    return this.sendToChannel(app, refund, bill, { throwOnFailure: true });
  }

  private async reserve(
    app: App,
    order: RefundOrder,
    within?: WithinRefundChange,
  ): Promise<{ refund: Refund; bill: Bill }> {
    const now = this.deps.now();
    const duplicate = () =>
      new DomainError(
        order.needApproval ? 'prerefund_duplicate' : 'refund_duplicate',
        'refund_no',
        `refund ${order.refundNo} already exists`,
      );
    return this.deps.store.transaction(async (tx) => {
      // The order is locked first: refunds of one bill reserve one after the other, so what they sum to never
      // passes what was paid, however many arrive at once at however many gateway instances.
      const locked = await tx.bills.lockOrder(app.appId, app.mode, order.billNo);
      const attempts = locked ? await tx.bills.attemptsOf(app.appId, app.mode, order.billNo) : [];
      if (attempts.length === 0) throw new DomainError('bill_unknown', 'bill_no', `no bill ${order.billNo}`);
      const paid = attempts.find((attempt) => attempt.status === 'paid');
      if (paid === undefined) {
        throw new DomainError('bill_not_paid', 'bill_no', `bill ${order.billNo} has not been paid`);
      }
      if (!channelFilterMatches(order.channel, paid.channel, paid.subChannel)) {
        throw new DomainError(
          'bill_channel_mismatch',
          'channel',
          `bill ${order.billNo} was paid through ${paid.subChannel}`,
        );
      }
      const existing = await tx.refunds.liveRefundNo(app.appId, order.refundNo);
      if (existing) {
        throw new DomainError(
          order.needApproval || existing.needApproval ? 'prerefund_duplicate' : 'refund_duplicate',
          'refund_no',
          `refund ${order.refundNo} already exists`,
        );
      }
      const reserved = await tx.refunds.reservedFee(paid.id, RESERVING_STATUSES);
      const refundable = paid.totalFee - reserved;
      if (order.refundFee > refundable) {
        throw new DomainError(
          'refund_too_large',
          'refund_fee',
          `${order.refundFee} fen is more than the ${refundable} fen that may still be refunded of ${paid.totalFee} fen`,
        );
      }
      const id = randomUUID();
      const inserted = await tx.refunds.insert({
        ...this.refundOf(paid, id, now),
        refundNo: order.refundNo,
        refundFee: order.refundFee,
        optional: order.optional ?? null,
        status: order.needApproval ? 'pending_approval' : 'processing',
        needApproval: order.needApproval,
        latePayment: false,
      });
      // Another writer took the refund_no between the check and the insert.
      if (inserted === 'duplicate') throw duplicate();
      const refund = await tx.refunds.findById(id);
      if (!refund) throw new Error(`refund ${id} vanished inside its transaction`);
      if (within) await within(tx, refund);
      return { refund, bill: paid };
    });
  }

  private refundOf(bill: Bill, id: string, now: number) {
    return {
      id,
      appId: bill.appId,
      billId: bill.id,
      billNo: bill.billNo,
      mode: bill.mode,
      channel: bill.channel,
      subChannel: bill.subChannel,
      title: bill.title,
      totalFee: bill.totalFee,
      createTime: now,
    };
  }

  /** Approves (sends to the channel) or denies pre-refunds, one outcome per id. */
  async decidePreRefunds(
    app: App,
    approval: RefundApproval,
    within?: WithinRefundChange,
  ): Promise<Record<string, ApprovalOutcome>> {
    const results: Record<string, ApprovalOutcome> = {};
    let found = 0;
    const scope = { appId: app.appId, mode: app.mode };
    for (const id of approval.ids) {
      const refund = await this.deps.store.refunds.find(scope, id);
      if (
        refund === undefined ||
        !channelFilterMatches(approval.channel, refund.channel, refund.subChannel)
      ) {
        results[id] = { ok: false, refusal: 'no_such_refund' };
        continue;
      }
      found += 1;
      if (!refund.needApproval || refund.status !== 'pending_approval') {
        results[id] = { ok: false, refusal: 'not_pending' };
        continue;
      }
      results[id] = approval.agree
        ? await this.approve(app, refund, within)
        : await this.deny(refund, approval.denyReason, within);
    }
    if (found === 0) {
      throw new DomainError(
        'refund_unknown',
        'refund_ids',
        'none of the ids is a refund of this app and channel',
      );
    }
    return results;
  }

  /** Moves a pending refund on, with the edge's work in the same transaction. */
  private async decide(
    refund: Refund,
    to: 'processing' | 'denied',
    reason: string | undefined,
    within: WithinRefundChange | undefined,
  ): Promise<boolean> {
    const now = this.deps.now();
    if (!within) return this.deps.store.refunds.decide(refund.id, to, now, reason);
    return this.deps.store.transaction(async (tx) => {
      const moved = await tx.refunds.decide(refund.id, to, now, reason);
      if (moved) await within(tx, { ...refund, status: to, denyReason: reason ?? null, updateTime: now });
      return moved;
    });
  }

  private async approve(app: App, refund: Refund, within?: WithinRefundChange): Promise<ApprovalOutcome> {
    const moved = await this.decide(refund, 'processing', undefined, within);
    if (!moved) return { ok: false, refusal: 'not_pending' };
    const bill = await this.deps.store.bills.findBill(refund.billId);
    if (bill === undefined) return { ok: false, refusal: 'no_such_refund' };
    try {
      // A refund the channel declines or cannot take throws a DomainError, answered below as a refusal.
      await this.sendToChannel(app, { ...refund, status: 'processing' }, bill, { throwOnFailure: true });
      return { ok: true };
    } catch (error) {
      if (error instanceof DomainError) return { ok: false, refusal: 'refused', error };
      throw error;
    }
  }

  private async deny(
    refund: Refund,
    reason: string | undefined,
    within?: WithinRefundChange,
  ): Promise<ApprovalOutcome> {
    const moved = await this.decide(refund, 'denied', reason, within);
    if (moved) this.deps.observer.refundSettled({ ...refund, status: 'denied' }, 'denied');
    return moved ? { ok: true } : { ok: false, refusal: 'not_pending' };
  }

  /**
   * Refunds a payment that arrived for an attempt that was already closed or expired (once per bill). Automatic
   * in the sandbox (test mode) only: a live late payment stays marked for the merchant to refund.
   */
  async refundLatePayment(bill: Bill): Promise<Refund | undefined> {
    if (!bill.refundRequired || !bill.spayResult || bill.mode !== 'test') return undefined;
    const now = this.deps.now();
    const created = await this.deps.store.transaction(async (tx) => {
      // Locked: two instances hearing of the same late payment refund it once.
      await tx.bills.lockBill(bill.id);
      if (await tx.refunds.hasLatePaymentRefund(bill.id)) return undefined;
      const id = randomUUID();
      const inserted = await tx.refunds.insert({
        ...this.refundOf(bill, id, now),
        refundNo: `${refundDate(now)}LATE${randomBytes(8).toString('hex').toUpperCase()}`,
        refundFee: bill.totalFee,
        optional: null,
        status: 'processing',
        needApproval: false,
        latePayment: true,
      });
      return inserted === 'inserted' ? tx.refunds.findById(id) : undefined;
    });
    if (created === undefined) return undefined;
    const app = await this.deps.store.apps.findApp(bill.appId);
    if (app === undefined) return created;
    try {
      return await this.sendToChannel(app, created, bill, { throwOnFailure: false });
    } catch (error) {
      this.deps.log('warn', 'late payment refund failed', { billId: bill.id, err: String(error) });
      return this.deps.store.refunds.findById(created.id);
    }
  }

  /**
   * At start: settles refunds left `processing` and refunds late payments that were not refunded yet. On SQLite
   * (one gateway) every processing refund is one its killed run left; on PostgreSQL another instance may be
   * sending one right now, so only those unchanged for `stuckRefundAgeMs` are taken, as by the timer.
   */
  async resumeUnfinished(): Promise<void> {
    await this.settleProcessing(this.deps.store.engine === 'sqlite' ? 0 : stuckRefundAgeMs);
    for (const bill of await this.deps.store.bills.awaitingRefund()) await this.refundLatePayment(bill);
  }

  /**
   * Refunds still `processing` whose last change is older than `olderThanMs`: sent again when the channel never
   * answered (channels refund idempotently by out_refund_no), else asked about with `queryRefund`.
   */
  async settleProcessing(olderThanMs: number): Promise<void> {
    const now = this.deps.now();
    // Claimed, not just read: with several gateway instances each stuck refund is settled by one of them.
    const stuck = await this.deps.store.transaction((tx) =>
      tx.refunds.claimProcessing(now - olderThanMs, now),
    );
    for (const refund of stuck) {
      const app = await this.deps.store.apps.findApp(refund.appId);
      const bill = await this.deps.store.bills.findBill(refund.billId);
      if (app === undefined || bill === undefined) continue;
      try {
        if (refund.channelDetail === null) {
          await this.sendToChannel(app, refund, bill, { throwOnFailure: false });
        } else {
          const adapter = this.deps.registry.adapterFor(app, bill.mode, bill.subChannel);
          const result = await adapter.queryRefund(attemptOf(bill), this.channelRequest(refund));
          await this.applyResult(app, refund, bill, result);
        }
      } catch (error) {
        this.deps.log('warn', 'settling a refund failed', { refundId: refund.id, err: String(error) });
      }
    }
  }

  /** A verified refund notice from a channel: settles the refund it names. */
  async settleFromNotice(outRefundNo: string, result: RefundResult): Promise<Refund | undefined> {
    const id = billIdFor(outRefundNo);
    const refund = id === undefined ? undefined : await this.deps.store.refunds.findById(id);
    if (refund === undefined) return undefined;
    const app = await this.deps.store.apps.findApp(refund.appId);
    const bill = await this.deps.store.bills.findBill(refund.billId);
    if (app === undefined || bill === undefined) return undefined;
    return this.applyResult(app, refund, bill, result);
  }

  /** Starts refunding late payments as payments announce them. Returns the unsubscribe function. */
  listenForLatePayments(events: BillEvents): () => void {
    return events.onLatePayment((bill) => {
      this.refundLatePayment(bill).catch((error: unknown) => {
        this.deps.log('warn', 'late payment refund failed', { billId: bill.id, err: String(error) });
      });
    });
  }

  find(scope: RecordScope, id: string): Promise<Refund | undefined> {
    return this.deps.store.refunds.find(scope, id);
  }

  findByRefundNo(scope: RecordScope, refundNo: string): Promise<Refund | undefined> {
    return this.deps.store.refunds.findByRefundNo(scope, refundNo);
  }

  list(scope: RecordScope, filter: RefundListFilter, paging: Paging): Promise<Refund[]> {
    return this.deps.store.refunds.list(scope, filter, paging);
  }

  count(scope: RecordScope, filter: RefundListFilter): Promise<number> {
    return this.deps.store.refunds.count(scope, filter);
  }

  private channelRequest(refund: Refund): ChannelRefundRequest {
    return {
      outRefundNo: outTradeNoFor(refund.id),
      refundFee: refund.refundFee,
      reason: null,
      // UnionPay keys a refund by orderId + txnTime: the same time on every retry and query.
      requestedAt: refund.createTime,
    };
  }

  /** Sends a `processing` refund to the channel and applies its answer. */
  private async sendToChannel(
    app: App,
    refund: Refund,
    bill: Bill,
    { throwOnFailure }: { throwOnFailure: boolean },
  ): Promise<Refund> {
    const adapter = this.deps.registry.adapterFor(app, bill.mode, bill.subChannel);
    let result: RefundResult;
    try {
      result = await adapter.refund(
        attemptOf(bill),
        this.channelRequest(refund),
        channelUrlsFor(this.deps.publicUrl(), app, bill),
      );
    } catch (error) {
      // The channel could not be reached: the refund stays `processing` and is sent again later.
      this.deps.log('warn', 'channel refund call failed', { refundId: refund.id, err: String(error) });
      throw new DomainError(
        'channel_unavailable',
        'refund_no',
        `the channel did not answer the refund: ${String(error)}`,
      );
    }
    const done = await this.applyResult(app, refund, bill, result);
    if (throwOnFailure && done.status === 'failed') {
      throw new DomainError('refund_refused', 'refund_no', `the channel refused refund ${refund.refundNo}`);
    }
    return done;
  }

  /** Records what the channel said: succeeded (+ REFUND webhook), failed, or still processing. */
  private async applyResult(app: App, refund: Refund, bill: Bill, result: RefundResult): Promise<Refund> {
    const now = this.deps.now();
    const detail: Record<string, unknown> = {
      channel: bill.mode === 'test' ? 'SANDBOX' : bill.channel,
      bill_id: bill.id,
      trade_no: bill.tradeNo,
      refund_no: refund.refundNo,
      refund_fee: refund.refundFee,
    };
    let enqueued = false;
    let settledNow: 'succeeded' | 'failed' | undefined;
    const settled = await this.deps.store.transaction(async (tx) => {
      settledNow = undefined;
      if (result.status === 'processing') {
        await tx.refunds.noteChannelAnswer(
          refund.id,
          result.channelRefundNo,
          { ...detail, status: 'processing' },
          now,
        );
      } else if (result.status === 'failed') {
        if (await tx.refunds.settle(refund.id, 'failed', null, { ...detail, error: result.reason }, now)) {
          settledNow = 'failed';
        }
      } else {
        const channelDetail = { ...detail, channel_refund_no: result.channelRefundNo };
        const moved = await tx.refunds.settle(
          refund.id,
          'succeeded',
          result.channelRefundNo,
          channelDetail,
          now,
        );
        if (moved) settledNow = 'succeeded';
        // Only the transition to `succeeded` announces the refund (a second settling changes nothing).
        if (moved && !refund.latePayment) {
          await enqueueWebhook(
            tx,
            {
              app,
              mode: bill.mode,
              transactionType: 'REFUND',
              transactionId: refund.refundNo,
              channelType: bill.channel,
              subChannelType: bill.subChannel,
              transactionFee: refund.refundFee,
              optional: (refund.optional ?? bill.optional) as OptionalMap | null,
              messageDetail: channelDetail,
              channelTransactionId: result.channelRefundNo,
              extraFields: { bill_no: bill.billNo, refund_fee: refund.refundFee, total_fee: bill.totalFee },
              billId: bill.id,
              refundId: refund.id,
              targetUrl: bill.notifyUrl,
            },
            { now },
          );
          enqueued = true;
        }
      }
      const current = await tx.refunds.findById(refund.id);
      if (!current) throw new Error(`refund ${refund.id} vanished inside its transaction`);
      return current;
    });
    if (enqueued) this.deps.webhooksEnqueued();
    if (settledNow) this.deps.observer.refundSettled(settled, settledNow);
    return settled;
  }
}
