/**
 * The one path of every channel notify (the sandbox's and the real channels'): the adapter verifies and parses
 * it (`parseNotify`), the core records what it says, and the adapter words the answer (`notifyAnswer`).
 * payment → booked when its amount in fen is exactly the bill's (another amount is recorded and flagged, never
 * booked); payment_failed → nothing changes (the payer may try again); refund → settles the refund; ignored →
 * nothing. A notify that does not verify (`NotifyRejected`) gets the channel's failure answer.
 */
import type { AppMode } from '../apps/app.ts';
import type { Bill } from '../bills/bill.ts';
import {
  NotifyRejected,
  type ChannelAdapter,
  type ChannelNotice,
  type NotifyAnswer,
  type RawChannelNotify,
} from '../channels/channel.ts';
import { billIdFor, type CoreDeps } from './core-deps.ts';
import type { BookingResult, Payments } from './payments.ts';
import type { Refunds } from './refunds.ts';

/** Whose notifies an adapter speaks for: live notifies name their app in the URL; the sandbox's are test mode. */
export interface NotifyScope {
  mode: AppMode;
  appId?: string;
}

export type NoticeOutcome =
  | BookingResult
  | { outcome: 'payment_failed'; bill: Bill; reason: string }
  | { outcome: 'refund_settled' }
  | { outcome: 'ignored'; reason: string };

export interface NotifyHandling {
  answer: NotifyAnswer;
  outcome: NoticeOutcome | { outcome: 'rejected'; reason: string };
}

export class Notices {
  constructor(
    private readonly deps: CoreDeps,
    private readonly payments: Payments,
    private readonly refunds: Refunds,
  ) {}

  /** Verifies, records and answers one notify. Errors other than a rejection propagate (the channel retries). */
  async receive(adapter: ChannelAdapter, raw: RawChannelNotify, scope: NotifyScope): Promise<NotifyHandling> {
    let notice: ChannelNotice;
    try {
      notice = await adapter.parseNotify(raw);
    } catch (error) {
      if (!(error instanceof NotifyRejected)) throw error;
      this.deps.log('warn', 'channel notify rejected', { family: adapter.family, reason: error.reason });
      this.deps.observer.notifyRejected(adapter.family);
      return { answer: adapter.notifyAnswer(false), outcome: { outcome: 'rejected', reason: error.reason } };
    }
    const outcome = await this.record(notice, scope);
    this.deps.log('info', 'channel notify', {
      family: adapter.family,
      kind: notice.kind,
      outcome: outcome.outcome,
      ...('bill' in outcome ? { billId: outcome.bill.id } : {}),
    });
    return { answer: adapter.notifyAnswer(true), outcome };
  }

  /** Records a verified notice for bills of `scope`. */
  async record(notice: ChannelNotice, scope: NotifyScope): Promise<NoticeOutcome> {
    switch (notice.kind) {
      case 'ignored':
        return { outcome: 'ignored', reason: notice.reason };
      case 'refund': {
        const refund = await this.refunds.settleFromNotice(notice.outRefundNo, notice.result);
        return refund ? { outcome: 'refund_settled' } : { outcome: 'ignored', reason: 'no such refund' };
      }
      case 'payment_failed': {
        const bill = await this.billInScope(notice.outTradeNo, scope);
        if (bill === undefined) return { outcome: 'ignored', reason: 'no such bill' };
        return { outcome: 'payment_failed', bill, reason: notice.reason };
      }
      case 'payment': {
        const bill = await this.billInScope(notice.outTradeNo, scope);
        if (bill === undefined) return { outcome: 'ignored', reason: 'no such bill' };
        const booked = await this.payments.bookChannelPayment(bill.id, notice);
        return booked ?? { outcome: 'ignored', reason: 'no such bill' };
      }
    }
  }

  private async billInScope(outTradeNo: string, scope: NotifyScope): Promise<Bill | undefined> {
    const id = billIdFor(outTradeNo);
    const bill = id === undefined ? undefined : await this.deps.store.bills.findBill(id);
    if (bill === undefined || bill.mode !== scope.mode) return undefined;
    if (scope.appId !== undefined && bill.appId !== scope.appId) return undefined;
    return bill;
  }
}
