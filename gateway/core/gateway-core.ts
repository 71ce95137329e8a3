/**
 * The payments core: every use case of the gateway (payments, notices, refunds, reconciliation) over the stores
 * and the channel registry, plus the background work that keeps them moving (expiry sweep, refund settling,
 * reconciliation, the late-payment refund). Edges (button/, rest/, sandbox/, the CLIs) only translate HTTP or
 * argv into calls on it.
 */
import { BillEvents } from '../bills/bill-events.ts';
import type { GatewayStore } from '../storage/store.ts';
import type { ChannelRegistry } from './channel-registry.ts';
import type { CoreDeps, CoreLog } from './core-deps.ts';
import { CounterPayments } from './counter-payments.ts';
import { Notices } from './notices.ts';
import { quietObserver, type GatewayObserver } from './observer.ts';
import { Payments } from './payments.ts';
import { Reconciliation } from './reconciliation.ts';
import { Refunds, stuckRefundAgeMs } from './refunds.ts';
import { Subscriptions, type SubscriptionOptions } from './subscriptions.ts';
import { Transfers, type TransferOptions } from './transfers.ts';
import { Coupons } from './coupons.ts';
import { Users } from './users.ts';

export interface CoreTimings {
  /** How often open attempts past their expiry are closed (default 5 s). */
  expirySweepMs?: number;
  /** First reconciliation of an open attempt this long after creation (default 30 s), then backing off. */
  reconcileAfterMs?: number;
  /** Longest wait between two reconciliation questions about one attempt (default 30 min). */
  reconcileMaxIntervalMs?: number;
  /** How often reconciliation looks for due attempts (default 5 s). */
  reconcilePassMs?: number;
  /** How often refunds left processing are settled (default 60 s), for those unchanged for 30 s. */
  refundSettleMs?: number;
}

export interface GatewayCoreOptions extends CoreTimings {
  store: GatewayStore;
  registry: ChannelRegistry;
  webhooksEnqueued(): void;
  webhookRetryScale: number;
  publicUrl(): string;
  log: CoreLog;
  now?: () => number;
  /** Accept notify URLs on loopback / private addresses (local development only). */
  allowPrivateTargets?: boolean;
  /** Told about committed bill and refund changes and rejected notifies (default: nothing listens). */
  observer?: GatewayObserver;
  /** The sandbox's transfer balance and settling times (core/transfers.ts). */
  transfers?: TransferOptions;
  /** SMS passcode lifetime, the sandbox bank's review time, charge retries, the scheduler's pass (core/subscriptions.ts). */
  subscriptions?: SubscriptionOptions;
}

export class GatewayCore {
  readonly events = new BillEvents();
  readonly payments: Payments;
  /** Payment codes scanned by a till, REVERT, card payments (offline and international REST). */
  readonly counterPayments: CounterPayments;
  readonly refunds: Refunds;
  readonly notices: Notices;
  readonly reconciliation: Reconciliation;
  readonly transfers: Transfers;
  readonly users: Users;
  readonly coupons: Coupons;
  readonly subscriptions: Subscriptions;
  readonly registry: ChannelRegistry;
  private readonly timers: NodeJS.Timeout[] = [];
  private stopListening: (() => void) | undefined;

  constructor(private readonly options: GatewayCoreOptions) {
    const deps: CoreDeps = {
      store: options.store,
      registry: options.registry,
      events: this.events,
      webhooksEnqueued: options.webhooksEnqueued,
      webhookRetryScale: options.webhookRetryScale,
      publicUrl: options.publicUrl,
      log: options.log,
      now: options.now ?? Date.now,
      allowPrivateTargets: options.allowPrivateTargets ?? false,
      observer: options.observer ?? quietObserver,
    };
    const reconcileAfterMs = options.reconcileAfterMs ?? 30_000;
    this.registry = options.registry;
    this.payments = new Payments(deps, { reconcileAfterMs });
    this.counterPayments = new CounterPayments(deps, this.payments);
    this.refunds = new Refunds(deps);
    this.notices = new Notices(deps, this.payments, this.refunds);
    this.transfers = new Transfers(deps, options.transfers);
    this.users = new Users(deps);
    this.coupons = new Coupons(deps);
    this.subscriptions = new Subscriptions(deps, options.subscriptions);
    this.reconciliation = new Reconciliation(deps, this.payments, {
      afterMs: reconcileAfterMs,
      maxIntervalMs: options.reconcileMaxIntervalMs ?? 30 * 60_000,
    });
  }

  /** Starts the background work; resumes refunds a stopped gateway left half done. */
  start(): void {
    const { log } = this.options;
    this.stopListening = this.refunds.listenForLatePayments(this.events);
    this.every(this.options.expirySweepMs ?? 5000, () => this.payments.expireDueAttempts(), 'expiry sweep');
    this.every(this.options.reconcilePassMs ?? 5000, () => this.reconciliation.runOnce(), 'reconciliation');
    this.every(
      this.options.refundSettleMs ?? 60_000,
      () => this.refunds.settleProcessing(stuckRefundAgeMs),
      'settling unanswered refunds',
    );
    this.every(
      this.options.transfers?.settlePassMs ?? 1000,
      () => this.transfers.settleDue(),
      'settling sandbox card transfers',
    );
    this.every(
      this.options.subscriptions?.passMs ?? 5000,
      () => this.subscriptions.runScheduler(),
      'subscription reviews and charges',
    );
    // Used signs and nonces (replay refusal) only matter inside their timestamp window.
    this.every(
      60_000,
      () => this.options.store.seenSignatures.deleteExpired(Date.now()),
      'deleting expired signs and nonces',
    );
    this.refunds.resumeUnfinished().catch((error: unknown) => {
      log('warn', 'resuming unfinished refunds failed', { err: String(error) });
    });
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.stopListening?.();
    this.stopListening = undefined;
  }

  private every(ms: number, work: () => Promise<unknown>, what: string): void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      work()
        .catch((error: unknown) => this.options.log('warn', `${what} failed`, { err: String(error) }))
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
