/**
 * The outbox store: webhook deliveries (`webhook_outbox`) and every attempt at them (`webhook_attempts`).
 * `enqueue` runs in the caller's transaction, so a webhook exists exactly when the change that caused it does.
 */
import type { Selectable } from 'kysely';
import type { GatewayTx, WebhookAttemptTable, WebhookOutboxTable } from './tables.ts';

export type OutboxRow = Selectable<WebhookOutboxTable>;
export type AttemptRow = Selectable<WebhookAttemptTable>;
export type DeliveryStatus = WebhookOutboxTable['status'];

export interface DeliveryFilter {
  appId?: string;
  transactionType?: 'PAY' | 'REFUND';
  /** bill_no or refund_no */
  transactionId?: string;
  webhookId?: string;
  status?: DeliveryStatus;
}

export interface NewAttempt {
  outboxId: string;
  attemptedAt: number;
  httpStatus: number | null;
  latencyMs: number;
  responseExcerpt: string;
  error: string | null;
}

export class OutboxStore {
  constructor(private readonly db: GatewayTx) {}

  async enqueue(row: OutboxRow): Promise<void> {
    await this.db.insertInto('webhook_outbox').values(row).execute();
  }

  /** Pending deliveries due at `now`, earliest first. */
  async due(now: number, limit: number): Promise<OutboxRow[]> {
    return this.db
      .selectFrom('webhook_outbox')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
  }

  /** When the earliest pending delivery is due; undefined when none is pending. */
  async nextDueAt(): Promise<number | undefined> {
    const next = await this.db
      .selectFrom('webhook_outbox')
      .select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return next?.at === null || next?.at === undefined ? undefined : Number(next.at);
  }

  /** The earliest due time among pending deliveries due after `after`; undefined when there is none. */
  async nextDueAfter(after: number): Promise<number | undefined> {
    const next = await this.db
      .selectFrom('webhook_outbox')
      .select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('status', '=', 'pending')
      .where('next_attempt_at', '>', after)
      .executeTakeFirst();
    return next?.at === null || next?.at === undefined ? undefined : Number(next.at);
  }

  async pendingCount(): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_outbox')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async recordAttempt(attempt: NewAttempt): Promise<void> {
    await this.db
      .insertInto('webhook_attempts')
      .values({
        outbox_id: attempt.outboxId,
        attempted_at: attempt.attemptedAt,
        http_status: attempt.httpStatus,
        latency_ms: attempt.latencyMs,
        response_excerpt: attempt.responseExcerpt,
        error: attempt.error,
      })
      .execute();
  }

  /** Moves a pending delivery on after an attempt (delivered, failed, or its next retry). */
  async afterAttempt(
    id: string,
    change:
      | { status: 'delivered'; attemptCount: number; deliveredAt: number }
      | { status: 'failed'; attemptCount: number }
      | { status: 'pending'; attemptCount: number; nextAttemptAt: number },
  ): Promise<void> {
    await this.db
      .updateTable('webhook_outbox')
      .set(
        change.status === 'delivered'
          ? { status: 'delivered', attempt_count: change.attemptCount, delivered_at: change.deliveredAt }
          : change.status === 'failed'
            ? { status: 'failed', attempt_count: change.attemptCount }
            : { attempt_count: change.attemptCount, next_attempt_at: change.nextAttemptAt },
      )
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  /** Deliveries newest first. */
  async list(filter: DeliveryFilter, page: { skip: number; limit: number }): Promise<OutboxRow[]> {
    return this.matching(filter)
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.skip)
      .execute();
  }

  async all(filter: DeliveryFilter): Promise<OutboxRow[]> {
    return this.matching(filter).selectAll().execute();
  }

  /** The attempts at these deliveries, oldest first. */
  async attemptsOf(outboxIds: string[]): Promise<AttemptRow[]> {
    if (outboxIds.length === 0) return [];
    return this.db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('outbox_id', 'in', outboxIds)
      .orderBy('id')
      .execute();
  }

  /** Schedules a delivery again now with a fresh count (same id and body). */
  async reschedule(id: string, targetUrl: string, now: number): Promise<void> {
    await this.db
      .updateTable('webhook_outbox')
      .set({
        status: targetUrl ? 'pending' : 'no_endpoint',
        target_url: targetUrl,
        attempt_count: 0,
        next_attempt_at: now,
        delivered_at: null,
      })
      .where('id', '=', id)
      .execute();
  }

  private matching(filter: DeliveryFilter) {
    let query = this.db.selectFrom('webhook_outbox');
    if (filter.appId !== undefined) query = query.where('app_id', '=', filter.appId);
    if (filter.transactionType !== undefined)
      query = query.where('transaction_type', '=', filter.transactionType);
    if (filter.transactionId !== undefined) query = query.where('transaction_id', '=', filter.transactionId);
    if (filter.webhookId !== undefined) query = query.where('id', '=', filter.webhookId);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    return query;
  }
}
