/**
 * Operators' and merchants' view of the outbox: list webhooks with their attempts, and resend one (same
 * webhook-id and body, so receivers dedupe it) or all of a transaction. Used by the CLI and the REST route.
 */
import type { Selectable } from 'kysely';
import { AppStore } from '../apps/app-store.ts';
import { webhookUrlFor } from '../apps/app.ts';
import type { GatewayTx, WebhookAttemptTable, WebhookOutboxTable } from '../storage/tables.ts';

export interface WebhookRecord {
  id: string;
  app_id: string;
  bill_id: string | null;
  refund_id: string | null;
  transaction_type: string;
  transaction_id: string;
  target_url: string;
  status: string;
  attempt_count: number;
  next_attempt_at: number;
  created_at: number;
  delivered_at: number | null;
  attempts: Array<{
    attempted_at: number;
    http_status: number | null;
    latency_ms: number;
    response_excerpt: string;
    error: string | null;
  }>;
}

export interface WebhookFilter {
  appId?: string;
  transactionId?: string;
  status?: WebhookOutboxTable['status'];
  limit?: number;
}

function toRecord(
  row: Selectable<WebhookOutboxTable>,
  attempts: Selectable<WebhookAttemptTable>[],
): WebhookRecord {
  return {
    id: row.id,
    app_id: row.app_id,
    bill_id: row.bill_id,
    refund_id: row.refund_id,
    transaction_type: row.transaction_type,
    transaction_id: row.transaction_id,
    target_url: row.target_url,
    status: row.status,
    attempt_count: row.attempt_count,
    next_attempt_at: Number(row.next_attempt_at),
    created_at: Number(row.created_at),
    delivered_at: row.delivered_at === null ? null : Number(row.delivered_at),
    attempts: attempts.map((attempt) => ({
      attempted_at: Number(attempt.attempted_at),
      http_status: attempt.http_status,
      latency_ms: attempt.latency_ms,
      response_excerpt: attempt.response_excerpt,
      error: attempt.error,
    })),
  };
}

/** Webhooks newest first (default 20, at most 200), each with its attempts oldest first. */
export async function listWebhooks(db: GatewayTx, filter: WebhookFilter = {}): Promise<WebhookRecord[]> {
  let query = db.selectFrom('webhook_outbox').selectAll();
  if (filter.appId) query = query.where('app_id', '=', filter.appId);
  if (filter.transactionId) query = query.where('transaction_id', '=', filter.transactionId);
  if (filter.status) query = query.where('status', '=', filter.status);
  const rows = await query
    .orderBy('created_at', 'desc')
    .limit(Math.min(Math.max(filter.limit ?? 20, 1), 200))
    .execute();
  if (rows.length === 0) return [];
  const attempts = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where(
      'outbox_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('id')
    .execute();
  return rows.map((row) =>
    toRecord(
      row,
      attempts.filter((attempt) => attempt.outbox_id === row.id),
    ),
  );
}

/**
 * Schedules a webhook again now with a fresh retry schedule, whatever its status. A webhook that had no endpoint
 * takes the app's current webhook URL. Returns false when there is no such webhook (for that app).
 * After it returns true, wake the dispatcher (`ctx.webhooks.wake()`); a separate process (the CLI) relies on the
 * running gateway's periodic look at the outbox instead.
 */
export async function resendWebhook(
  db: GatewayTx,
  webhookId: string,
  options: { appId?: string; now?: number } = {},
): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_outbox')
    .selectAll()
    .where('id', '=', webhookId)
    .executeTakeFirst();
  if (!row || (options.appId && row.app_id !== options.appId)) return false;
  let targetUrl = row.target_url;
  if (!targetUrl) {
    const app = await new AppStore(db).findApp(row.app_id);
    const bill = row.bill_id
      ? await db.selectFrom('bills').select('mode').where('id', '=', row.bill_id).executeTakeFirst()
      : undefined;
    targetUrl = app ? webhookUrlFor(app, bill?.mode ?? app.mode) : '';
  }
  await db
    .updateTable('webhook_outbox')
    .set({
      status: targetUrl ? 'pending' : 'no_endpoint',
      target_url: targetUrl,
      attempt_count: 0,
      next_attempt_at: options.now ?? Date.now(),
      delivered_at: null,
    })
    .where('id', '=', webhookId)
    .execute();
  return true;
}

/** Resends every webhook of one transaction (bill_no or refund_no) of an app; returns how many. */
export async function resendTransactionWebhooks(
  db: GatewayTx,
  appId: string,
  transactionId: string,
  now = Date.now(),
): Promise<number> {
  const rows = await db
    .selectFrom('webhook_outbox')
    .select('id')
    .where('app_id', '=', appId)
    .where('transaction_id', '=', transactionId)
    .execute();
  for (const row of rows) await resendWebhook(db, row.id, { appId, now });
  return rows.length;
}
