/**
 * Reconciliation: asks the channel (`queryPayment`) about attempts that are still open some time after they were
 * created, so a lost notify still ends in a paid bill and one webhook (the booking is the notify's, idempotent).
 * The first question comes `afterMs` after creation, then backing off (×2 each time, at most `maxIntervalMs`).
 * It also retries `closePayment` (with the same back-off) for closed live attempts whose channel did not confirm
 * the close.
 * Runs for sandbox bills too: the sandbox answers from what its payer pages recorded.
 */
import { attemptOf, type CoreDeps } from './core-deps.ts';
import type { Payments } from './payments.ts';

export interface ReconciliationOptions {
  /** First question this long after an attempt's creation (default 30 s; set in `Payments`). */
  afterMs: number;
  /** The longest wait between two questions about one attempt (default 30 min). */
  maxIntervalMs: number;
  /** Attempts looked at per pass. */
  batchSize?: number;
}

export interface ReconciliationPass {
  asked: number;
  paid: number;
  closed: number;
  channelClosesRetried: number;
}

export class Reconciliation {
  constructor(
    private readonly deps: CoreDeps,
    private readonly payments: Payments,
    private readonly options: ReconciliationOptions,
  ) {}

  /** The wait before question number `count + 1`. */
  nextDelayMs(count: number): number {
    return Math.min(this.options.afterMs * 2 ** Math.min(count, 20), this.options.maxIntervalMs);
  }

  async runOnce(): Promise<ReconciliationPass> {
    const pass: ReconciliationPass = { asked: 0, paid: 0, closed: 0, channelClosesRetried: 0 };
    const now = this.deps.now();
    const due = await this.deps.store.bills.dueForReconciliation(now, this.options.batchSize ?? 100);
    for (const bill of due) {
      pass.asked += 1;
      const count = bill.reconcileCount + 1;
      try {
        const app = await this.deps.store.apps.findApp(bill.appId);
        if (app === undefined) continue;
        const adapter = this.deps.registry.adapterFor(app, bill.mode, bill.subChannel);
        const answer = await adapter.queryPayment(attemptOf(bill));
        if (answer.status === 'paid') {
          const booked = await this.payments.bookChannelPayment(bill.id, answer);
          if (booked?.outcome === 'paid') pass.paid += 1;
          if (booked?.outcome !== 'amount_mismatch') continue;
        } else if (answer.status === 'closed') {
          if (await this.payments.closeAttempt(bill.id, 'closed')) pass.closed += 1;
          continue;
        }
      } catch (error) {
        this.deps.log('warn', 'reconciliation query failed', { billId: bill.id, err: String(error) });
      }
      await this.deps.store.bills.scheduleReconciliation(bill.id, now + this.nextDelayMs(count), count);
    }
    const closes = await this.deps.store.bills.pendingChannelCloses(now, this.options.batchSize ?? 100);
    for (const bill of closes) {
      pass.channelClosesRetried += 1;
      if (await this.payments.closeAtChannel(bill)) continue;
      const count = bill.reconcileCount + 1;
      await this.deps.store.bills.scheduleChannelClose(bill.id, now + this.nextDelayMs(count), count);
    }
    return pass;
  }
}
