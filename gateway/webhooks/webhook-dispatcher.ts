/**
 * Delivers the outbox: POSTs each due webhook (JSON body + Standard Webhooks headers), 10 s timeout, and only
 * the exact body `success` counts as delivered. Every attempt is recorded. Failures are retried on BeeCloud's
 * schedule; rows stay in the database until delivered, so a restarted gateway resumes them.
 */
import { standardWebhookSignature } from '../../sdk/sign.ts';
import type { GatewayStore } from '../storage/store.ts';
import type { OutboxRow } from '../storage/outbox-store.ts';
import { retryDelayMs } from './retry-schedule.ts';

export const webhookTimeoutMs = 10_000;
const responseExcerptLength = 500;
/** Even with nothing scheduled, look at the outbox this often (rows written by another process, clock jumps). */
const idlePollMs = 30_000;
const maxConcurrentDeliveries = 8;

export interface WebhookDispatcherOptions {
  store: GatewayStore;
  retryScale: number;
  /** How long a receiver may take to answer (default 10 s). */
  timeoutMs?: number;
  now?: () => number;
  log?: (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void;
}

export interface DeliveryResult {
  delivered: boolean;
  httpStatus: number | null;
  error: string | null;
}

export class WebhookDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = true;
  private rerun = false;
  private readonly inFlight = new Map<string, AbortController>();
  private readonly now: () => number;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.stopped = false;
    this.wake();
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
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      do {
        this.rerun = false;
        const due = await this.options.store.outbox.due(this.now(), maxConcurrentDeliveries * 4);
        const queue = due.filter((row) => !this.inFlight.has(row.id));
        const workers = Array.from({ length: Math.min(maxConcurrentDeliveries, queue.length) }, async () => {
          for (let row = queue.shift(); row && !this.stopped; row = queue.shift()) await this.deliver(row);
        });
        await Promise.all(workers);
        if (due.length === maxConcurrentDeliveries * 4) this.rerun = true;
      } while (this.rerun && !this.stopped);
    } catch (error) {
      this.options.log?.('warn', 'webhook dispatcher pass failed', { error: String(error) });
    } finally {
      this.running = false;
    }
    if (!this.stopped) await this.scheduleNext();
  }

  private async scheduleNext(): Promise<void> {
    let delay = idlePollMs;
    try {
      const nextAt = await this.options.store.outbox.nextDueAt();
      if (nextAt !== undefined) {
        delay = Math.min(idlePollMs, Math.max(0, nextAt - this.now()));
      }
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
    const timeout = setTimeout(() => controller.abort(), timeoutMs);
    const startedAt = this.now();
    let httpStatus: number | null = null;
    let excerpt = '';
    let error: string | null = null;
    let delivered = false;
    try {
      const app = await this.options.store.apps.findApp(row.app_id);
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
      const response = await fetch(row.target_url, {
        method: 'POST',
        headers,
        body: row.body,
        signal: controller.signal,
        redirect: 'manual',
      });
      httpStatus = response.status;
      const text = await response.text();
      excerpt = text.slice(0, responseExcerptLength);
      delivered = text === 'success';
      if (!delivered) error = `answer was not "success"`;
    } catch (caught) {
      error =
        controller.signal.aborted && this.stopped
          ? 'gateway stopping'
          : controller.signal.aborted
            ? `no answer within ${timeoutMs} ms`
            : describeFetchError(caught);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(row.id);
    }
    if (this.stopped && !delivered) {
      // Shutting down mid-attempt: leave the row as it was so it is sent again after the restart.
      return { delivered, httpStatus, error };
    }
    const finishedAt = this.now();
    const failedAttempts = row.attempt_count + 1;
    const retryIn = retryDelayMs(failedAttempts, this.options.retryScale);
    await this.options.store.transaction(async (tx) => {
      await tx.outbox.recordAttempt({
        outboxId: row.id,
        attemptedAt: startedAt,
        httpStatus,
        latencyMs: finishedAt - startedAt,
        responseExcerpt: excerpt,
        error,
      });
      await tx.outbox.afterAttempt(
        row.id,
        delivered
          ? { status: 'delivered', attemptCount: failedAttempts, deliveredAt: finishedAt }
          : retryIn === null
            ? { status: 'failed', attemptCount: failedAttempts }
            : { status: 'pending', attemptCount: failedAttempts, nextAttemptAt: finishedAt + retryIn },
      );
    });
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
    return { delivered, httpStatus, error };
  }
}

function describeFetchError(caught: unknown): string {
  if (caught instanceof Error) {
    if (caught.name === 'AbortError' || caught.name === 'TimeoutError')
      return `no answer within ${webhookTimeoutMs} ms`;
    const cause = (caught as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? caught.message;
  }
  return String(caught);
}
