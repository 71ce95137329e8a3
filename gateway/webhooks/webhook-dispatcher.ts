/**
 * Delivers the outbox: POSTs each due webhook (JSON body + Standard Webhooks headers), 10 s timeout, and only
 * the exact body `success` counts as delivered (a 3xx never does: redirects are not followed). Every attempt is
 * recorded. Failures are retried on BeeCloud's schedule; rows stay in the database until delivered, so a restarted
 * gateway resumes them.
 *
 * Sending goes through the gateway's outbound client (net/outbound-http.ts): internal targets refused on the
 * address connected to, any port, at most 4 KB of an answer read.
 *
 * Fair dispatch: one receiver that never answers must not delay every other merchant. Due webhooks are queued
 * per app and per receiver (scheme + host + port) and started round-robin across apps, with caps on deliveries in
 * flight per receiver, per app and in total. Each read of the outbox takes at most 64 due rows of one app's
 * receiver URL, so a backlog of thousands behind one hanging receiver does not hide the others' rows. A receiver that keeps timing out is backed off: one delivery at a
 * time and a growing pause between its attempts (its rows wait, uncharged; their retry schedule is unchanged).
 *
 * Several gateway instances may drain one outbox (PostgreSQL): each dispatcher claims the rows it sends (a lease
 * in its name, `OutboxStore.claimDue`), so no webhook is sent by two of them at the same moment, and the rows of an
 * instance that died are sent by the others once its leases run out. At least once: a delivery whose answer was
 * lost with its instance is sent again.
 */
import { randomUUID } from 'node:crypto';
import { standardWebhookSignature } from '../../sdk/sign.ts';
import type { GatewayStore } from '../storage/store.ts';
import type { NewAttempt, OutboxRow, OutboxStore } from '../storage/outbox-store.ts';
import { OutboundHttpClient, OutboundHttpError } from '../net/outbound-http.ts';
import { retryDelayMs } from './retry-schedule.ts';
import type { GatewayObserver } from '../core/observer.ts';
import { TransactionBatcher } from './transaction-batcher.ts';

export const webhookTimeoutMs = 10_000;
/** Bytes of a receiver's answer read and kept as the attempt's excerpt; the connection is dropped after them. */
export const responseExcerptLength = 4096;
/** Even with nothing scheduled, look at the outbox this often (rows written by another process, clock jumps). */
const idlePollMs = 30_000;
export const dispatchLimits = {
  /** Due rows looked at per pass … */
  dueBatch: 1000,
  /** … at most this many of one app's receiver URL (a hanging receiver's backlog never hides the others). */
  dueBatchPerReceiver: 64,
  /**
   * Deliveries in flight: in all, per app, per receiver. A receiver starts with `perReceiver` at once; each answer
   * it gives (any status) lets it have one more, up to `perReceiverAnswering`, and a timeout takes it back to
   * `perReceiver`. A delivery mostly waits (the receiver's answer, the store), so a backlog to one merchant that
   * answers drains 16 at a time over its keep-alive connections (at 4 it drained at 4 per round trip, whatever the
   * gateway had left: issue 15), while a receiver that hangs never holds more than 4 slots.
   */
  total: 64,
  perApp: 16,
  perReceiver: 4,
  perReceiverAnswering: 16,
  /** Consecutive timeouts after which a receiver gets one delivery at a time and a pause between attempts. */
  backOffAfterTimeouts: 3,
  firstPauseMs: 500,
  maxPauseMs: 30_000,
};

export interface WebhookDispatcherOptions {
  store: GatewayStore;
  retryScale: number;
  /** How long a receiver may take to answer (default 10 s). */
  timeoutMs?: number;
  now?: () => number;
  log?: (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void;
  /** The gateway's outbound client; without it the dispatcher makes its own. */
  outbound?: OutboundHttpClient;
  /** For the dispatcher's own client: allow loopback / private targets (local development). */
  allowPrivateTargets?: boolean;
  /** Overrides of the caps and back-off (tests). */
  limits?: Partial<typeof dispatchLimits>;
  /** How long a claimed delivery stays this dispatcher's (default: the timeout + 20 s). */
  leaseMs?: number;
  /**
   * Give back every lease at the first pass: for a store only this gateway uses (SQLite), where leases left are
   * those of its own previous run, killed mid-delivery.
   */
  releaseLeasesAtStart?: boolean;
  /** Told the outcome and timings of every attempt (metrics). */
  observer?: GatewayObserver;
}

export interface DeliveryResult {
  delivered: boolean;
  httpStatus: number | null;
  error: string | null;
  /** The receiver did not answer in time (counts towards its back-off). */
  timedOut?: boolean;
}

interface Outcome {
  attempt: NewAttempt;
  change: Parameters<OutboxStore['afterAttempt']>[1];
  leasedBy: string | null;
}

interface ReceiverState {
  active: number;
  /** Deliveries it may have at once: grows as it answers, back to the start after a timeout. */
  cap: number;
  consecutiveTimeouts: number;
  pausedUntil: number;
}

/** A receiver: where the connection goes (a bill's notify_url paths share their host's slots). */
export function receiverKey(targetUrl: string): string {
  try {
    const url = new URL(targetUrl);
    return `${url.protocol}//${url.host}`;
  } catch {
    return targetUrl;
  }
}

/** One app's deliveries to one receiver URL: what a read of the outbox takes at most `dueBatchPerReceiver` of. */
function queueKey(row: OutboxRow): string {
  return `${row.app_id} ${row.target_url}`;
}

export class WebhookDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = true;
  private rerun = false;
  private readonly inFlight = new Map<string, AbortController>();
  /**
   * Rows started and not finished (their lease being taken, their webhook sent, or their outcome written): a pass
   * that reads one of them again (its lease not yet committed) leaves it alone instead of starting it twice.
   */
  private readonly launched = new Set<string>();
  private readonly deliveries = new Set<Promise<void>>();
  private readonly receivers = new Map<string, ReceiverState>();
  private readonly appsActive = new Map<string, number>();
  /**
   * Due rows of the last pass not started yet (waiting for a slot): a finished delivery starts the next of them
   * without reading the outbox again; the outbox is read again once they are all started, on every wake (a new
   * webhook) and on the timer.
   */
  private readonly waitingRows = new Map<string, OutboxRow>();
  /** App + receiver URL queues the last read cut at `dueBatchPerReceiver`: more of their rows may be due. */
  private readonly cutQueues = new Set<string>();
  /**
   * Receiver keys of the last read's target URLs (startFairly looks at every waiting row on each finish): made anew
   * at each read, so it holds no more URLs than one read has rows.
   */
  private receiverKeys = new Map<string, string>();
  /**
   * Reads of an app under way: deliveries started together (their leases taken in one transaction) share one
   * read of their app instead of one each, and each read is fresh (a rotated webhook secret applies at once).
   */
  private readonly appReads = new Map<string, ReturnType<GatewayStore['apps']['findApp']>>();
  /** Round-robin position over apps, kept between passes. */
  private turn = 0;
  /** The earliest end of a receiver's pause that holds due rows back (0: none). */
  private pausedRowsWakeAt = 0;
  /** The time the last pass read the outbox with: rows due by then were seen. */
  private lastPassAt = 0;
  private readonly now: () => number;
  private readonly outbound: OutboundHttpClient;
  private readonly ownsOutbound: boolean;
  private readonly limits: typeof dispatchLimits;

  /** This dispatcher's name on the rows it leases. */
  readonly owner = `dispatcher-${randomUUID()}`;
  private releaseAtNextPass: boolean;
  /** The leases of the rows started in one turn, taken in one transaction. */
  private readonly claims: TransactionBatcher<OutboxRow, OutboxRow | undefined>;
  /** The outcomes of the deliveries that finish in one turn, written in one transaction. */
  private readonly outcomes: TransactionBatcher<Outcome, void>;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.now = options.now ?? Date.now;
    this.releaseAtNextPass = options.releaseLeasesAtStart ?? false;
    this.ownsOutbound = !options.outbound;
    this.limits = { ...dispatchLimits, ...options.limits };
    this.outbound =
      options.outbound ??
      new OutboundHttpClient({ allowPrivateTargets: options.allowPrivateTargets ?? false });
    const leaseMs = options.leaseMs ?? (options.timeoutMs ?? webhookTimeoutMs) + 20_000;
    this.claims = new TransactionBatcher(options.store, (tx, row) =>
      tx.outbox.claimRow(row.id, this.now(), { owner: this.owner, leaseMs }),
    );
    this.outcomes = new TransactionBatcher(options.store, async (tx, outcome) => {
      await tx.outbox.recordAttempt(outcome.attempt);
      await tx.outbox.afterAttempt(outcome.attempt.outboxId, outcome.change, outcome.leasedBy);
    });
  }

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /**
   * For /readyz: started, not stopped, and it looked at the outbox lately (it does at least every idle poll, so a
   * pass older than two of them means it is stuck).
   */
  isRunning(): boolean {
    return !this.stopped && (this.running || this.now() - this.lastPassAt <= 2 * idlePollMs);
  }

  /** Looks at the outbox now (call after committing an enqueued webhook). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    void this.run();
  }

  /** Stops scheduling and aborts deliveries in flight; their rows stay pending and are resent after a restart. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const controller of this.inFlight.values()) controller.abort();
    while (this.running || this.deliveries.size > 0) {
      await Promise.all([...this.deliveries, new Promise((resolve) => setTimeout(resolve, 5))]);
    }
    // What it held is due again at once for the other instances (or this gateway's next start).
    await this.options.store.outbox.releaseLeases(this.owner).catch(() => {});
    if (this.ownsOutbound) this.outbound.close();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      do {
        this.rerun = false;
        if (this.releaseAtNextPass) {
          await this.options.store.outbox.releaseLeases();
          this.releaseAtNextPass = false;
        }
        // A webhook goes out only once the commit that enqueued it is on disk (the store's group commit).
        await this.options.store.durable();
        const passAt = this.now();
        this.lastPassAt = passAt;
        const due = await this.options.store.outbox.due(
          passAt,
          this.limits.dueBatch,
          this.limits.dueBatchPerReceiver,
        );
        this.waitingRows.clear();
        for (const row of due) if (!this.launched.has(row.id)) this.waitingRows.set(row.id, row);
        this.cutQueues.clear();
        const keys = new Map<string, string>();
        const perQueue = new Map<string, number>();
        for (const row of due) {
          keys.set(row.target_url, this.receiverKeys.get(row.target_url) ?? receiverKey(row.target_url));
          const queue = queueKey(row);
          const count = (perQueue.get(queue) ?? 0) + 1;
          perQueue.set(queue, count);
          if (count >= this.limits.dueBatchPerReceiver) this.cutQueues.add(queue);
        }
        this.receiverKeys = keys;
        if (!this.stopped) this.startFairly();
      } while (this.rerun && !this.stopped);
    } catch (error) {
      this.options.log?.('warn', 'webhook dispatcher pass failed', { error: String(error) });
    } finally {
      this.running = false;
    }
    if (!this.stopped) await this.scheduleNext();
  }

  /**
   * True once a queue the read cut is down to its last quarter of a read (16 rows of 64) waiting: read the outbox for
   * its next rows now, while those still start as slots free (the read waits for the group commit's fsync, then
   * ranks every due row: milliseconds, tens of them on a busy disk, during which a backlog that waited for its last
   * row to start had nothing left to start).
   */
  private queueRunningLow(row: OutboxRow): boolean {
    const queue = queueKey(row);
    if (!this.cutQueues.has(queue)) return false;
    let waiting = 0;
    const low = Math.floor(this.limits.dueBatchPerReceiver / 4);
    for (const other of this.waitingRows.values()) {
      if (queueKey(other) === queue && (waiting += 1) > low) return false;
    }
    this.cutQueues.delete(queue);
    return true;
  }

  private receiverOf(targetUrl: string): string {
    return this.receiverKeys.get(targetUrl) ?? receiverKey(targetUrl);
  }

  /** The app of a delivery, read once for the deliveries that start at the same moment. */
  private appOf(appId: string): ReturnType<GatewayStore['apps']['findApp']> {
    let read = this.appReads.get(appId);
    if (!read) {
      read = this.options.store.apps.findApp(appId).finally(() => this.appReads.delete(appId));
      this.appReads.set(appId, read);
    }
    return read;
  }

  private receiver(key: string): ReceiverState {
    let state = this.receivers.get(key);
    if (!state) {
      state = { active: 0, cap: this.limits.perReceiver, consecutiveTimeouts: 0, pausedUntil: 0 };
      this.receivers.set(key, state);
    }
    return state;
  }

  private receiverCap(state: ReceiverState): number {
    return state.consecutiveTimeouts >= this.limits.backOffAfterTimeouts ? 1 : state.cap;
  }

  /** Starts due rows round-robin over apps, then over each app's receivers, within the caps. */
  private startFairly(): void {
    const due = [...this.waitingRows.values()];
    const now = this.now();
    this.pausedRowsWakeAt = 0;
    const byApp = new Map<string, Map<string, OutboxRow[]>>();
    for (const row of due) {
      if (this.launched.has(row.id)) continue;
      const key = this.receiverOf(row.target_url);
      const state = this.receivers.get(key);
      if (state && state.pausedUntil > now) {
        if (this.pausedRowsWakeAt === 0 || state.pausedUntil < this.pausedRowsWakeAt) {
          this.pausedRowsWakeAt = state.pausedUntil;
        }
        continue;
      }
      let queues = byApp.get(row.app_id);
      if (!queues) byApp.set(row.app_id, (queues = new Map()));
      let queue = queues.get(key);
      if (!queue) queues.set(key, (queue = []));
      queue.push(row);
    }
    const apps = [...byApp.keys()];
    // Counted from launch (claim, then send), not from the send: the rows started in this turn count too.
    let startedOne = true;
    while (startedOne && this.deliveries.size < this.limits.total && apps.length > 0) {
      startedOne = false;
      for (let i = 0; i < apps.length && this.deliveries.size < this.limits.total; i += 1) {
        const appId = apps[(this.turn + i) % apps.length]!;
        if ((this.appsActive.get(appId) ?? 0) >= this.limits.perApp) continue;
        for (const [key, queue] of byApp.get(appId)!) {
          const state = this.receiver(key);
          if (queue.length === 0 || state.active >= this.receiverCap(state)) continue;
          this.launch(queue.shift()!, appId, key, state);
          startedOne = true;
          break;
        }
      }
      this.turn += 1;
    }
  }

  private launch(row: OutboxRow, appId: string, key: string, state: ReceiverState): void {
    this.waitingRows.delete(row.id);
    this.launched.add(row.id);
    state.active += 1;
    this.appsActive.set(appId, (this.appsActive.get(appId) ?? 0) + 1);
    const delivery = this.claim(row)
      .then(async (claimed) => {
        // Another instance sends it (its lease), or it is no longer pending: nothing to do here.
        if (!claimed) return;
        const result = await this.deliver(claimed);
        if (result.timedOut) {
          state.consecutiveTimeouts += 1;
          state.cap = this.limits.perReceiver;
          const over = state.consecutiveTimeouts - this.limits.backOffAfterTimeouts;
          if (over >= 0) {
            state.pausedUntil =
              this.now() + Math.min(this.limits.firstPauseMs * 2 ** over, this.limits.maxPauseMs);
          }
        } else if (result.httpStatus !== null) {
          state.consecutiveTimeouts = 0;
          state.pausedUntil = 0;
          state.cap = Math.min(state.cap + 1, this.limits.perReceiverAnswering);
        }
      })
      .catch((error: unknown) => {
        this.options.log?.('warn', 'webhook delivery failed', { webhookId: row.id, error: String(error) });
      })
      .finally(() => {
        this.launched.delete(row.id);
        state.active -= 1;
        const active = (this.appsActive.get(appId) ?? 1) - 1;
        if (active === 0) this.appsActive.delete(appId);
        else this.appsActive.set(appId, active);
        if (state.active === 0 && state.consecutiveTimeouts === 0) this.receivers.delete(key);
        this.deliveries.delete(delivery);
        if (this.stopped) return;
        // The rows of the last read start as slots free, also while the next read is under way (rows started
        // meanwhile are `launched`: that read leaves them alone).
        if (this.waitingRows.size > 0) this.startFairly();
        // A pass under way starts what the freed slot allows once its read is back: no second pass for it.
        if (this.running) return;
        // Nothing waiting, or nothing could start (paused receivers): read the outbox and set the timer. (Not
        // "nothing being sent": deliveries taking their lease or writing their outcome are still going, and a
        // read for each such moment made a pass every 11 deliveries of a backlog instead of every ~50: issue 15.)
        if (this.waitingRows.size === 0 || this.deliveries.size === 0 || this.queueRunningLow(row))
          this.wake();
      });
    this.deliveries.add(delivery);
  }

  /**
   * Leases one row to this dispatcher just before it is sent (several instances may read the same due rows);
   * the rows started in the same turn are leased in one transaction.
   */
  private claim(row: OutboxRow): Promise<OutboxRow | undefined> {
    return this.claims.add(row);
  }

  private async scheduleNext(): Promise<void> {
    let delay = idlePollMs;
    try {
      const now = this.now();
      // The next row that was not due at the last pass (it may be due by now: then at once). Rows due then
      // are waiting for a free slot (a finished delivery starts them) or for the end of their receiver's pause.
      const nextAt = await this.options.store.outbox.nextDueAfter(this.lastPassAt);
      if (nextAt !== undefined) {
        delay = Math.min(idlePollMs, Math.max(0, nextAt - now));
      }
      if (this.pausedRowsWakeAt > 0) delay = Math.min(delay, Math.max(0, this.pausedRowsWakeAt - now));
    } catch {
      // The store is closing; the idle poll will notice if it is not.
    }
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), delay);
    this.timer.unref();
  }

  /** One attempt at one webhook; records it and moves the row to delivered, the next retry, or failed. */
  async deliver(row: OutboxRow): Promise<DeliveryResult> {
    const controller = new AbortController();
    this.inFlight.set(row.id, controller);
    const timeoutMs = this.options.timeoutMs ?? webhookTimeoutMs;
    const startedAt = this.now();
    let httpStatus: number | null = null;
    let excerpt = '';
    let error: string | null = null;
    let delivered = false;
    let timedOut = false;
    try {
      const app = await this.appOf(row.app_id);
      const timestampSeconds = Math.floor(this.now() / 1000);
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'spay-webhook/1',
        'webhook-id': row.id,
        'webhook-timestamp': String(timestampSeconds),
      };
      if (app) {
        headers['webhook-signature'] = standardWebhookSignature(
          app.webhookSecret,
          row.id,
          timestampSeconds,
          row.body,
        );
      }
      const answer = await this.outbound.send({
        url: row.target_url,
        method: 'POST',
        headers,
        body: row.body,
        timeoutMs,
        maxAnswerBytes: responseExcerptLength,
        onLargeAnswer: 'truncate',
        signal: controller.signal,
      });
      httpStatus = answer.status;
      excerpt = answer.body;
      const redirected = answer.status >= 300 && answer.status < 400;
      delivered = answer.body === 'success' && !answer.truncated && !redirected;
      if (!delivered)
        error = redirected
          ? `answered ${answer.status} (redirects are not followed)`
          : `answer was not "success"`;
    } catch (caught) {
      timedOut =
        caught instanceof OutboundHttpError &&
        (caught.code === 'TIMEOUT' || caught.code === 'CONNECT_TIMEOUT');
      error =
        controller.signal.aborted && this.stopped
          ? 'gateway stopping'
          : caught instanceof Error
            ? caught.message
            : String(caught);
    } finally {
      this.inFlight.delete(row.id);
    }
    if (this.stopped && !delivered) {
      // Shutting down mid-attempt: leave the row as it was so it is sent again after the restart.
      return { delivered, httpStatus, error, timedOut };
    }
    const finishedAt = this.now();
    const failedAttempts = row.attempt_count + 1;
    const retryIn = retryDelayMs(failedAttempts, this.options.retryScale);
    // Written with the outcomes of the other deliveries that finish in this turn (one transaction).
    await this.outcomes.add({
      attempt: {
        outboxId: row.id,
        attemptedAt: startedAt,
        httpStatus,
        latencyMs: finishedAt - startedAt,
        responseExcerpt: excerpt,
        error,
      },
      change: delivered
        ? { status: 'delivered', attemptCount: failedAttempts, deliveredAt: finishedAt }
        : retryIn === null
          ? { status: 'failed', attemptCount: failedAttempts }
          : { status: 'pending', attemptCount: failedAttempts, nextAttemptAt: finishedAt + retryIn },
      leasedBy: row.leased_by,
    });
    this.options.observer?.webhookAttempt(
      delivered ? 'delivered' : retryIn === null ? 'failed' : 'retrying',
      (finishedAt - startedAt) / 1000,
      Math.max(0, finishedAt - row.created_at) / 1000,
    );
    this.options.log?.(
      delivered ? 'info' : 'warn',
      delivered ? 'webhook delivered' : 'webhook attempt failed',
      {
        webhookId: row.id,
        transactionId: row.transaction_id,
        attempt: failedAttempts,
        httpStatus,
        error,
      },
    );
    return { delivered, httpStatus, error, timedOut };
  }
}
