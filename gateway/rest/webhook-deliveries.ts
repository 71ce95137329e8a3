/**
 * The merchant's view of webhook deliveries: recent deliveries with their attempts, and resending — a delivery
 * goes back to `pending` with a fresh schedule (same webhook-id and body, so receivers that dedupe still do), to
 * the app's current webhook URL when it had none. The dispatcher sends it at once.
 */
import type { Selectable } from 'kysely';
import { webhookUrlFor, type App } from '../apps/app.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { GatewayDb, WebhookAttemptTable, WebhookOutboxTable } from '../storage/tables.ts';
import type { Paging } from './list-query.ts';
import type { RequestFields } from './request-fields.ts';
import { readPaging } from './list-query.ts';

export type TransactionType = 'PAY' | 'REFUND';

export interface DeliveryFilter {
  transactionType?: TransactionType;
  transactionId?: string;
  webhookId?: string;
  status?: WebhookOutboxTable['status'];
}

const STATUSES: readonly WebhookOutboxTable['status'][] = ['pending', 'delivered', 'failed', 'no_endpoint'];

export function readDeliveryFilter(fields: RequestFields): DeliveryFilter {
  const transactionType = fields.optionalString('transaction_type', { maxLength: 8 });
  if (transactionType !== undefined && transactionType !== 'PAY' && transactionType !== 'REFUND') {
    throw new BeeCloudError('PARAM_INVALID', 'transaction_type', 'must be PAY or REFUND');
  }
  const status = fields.optionalString('status', { maxLength: 16 });
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
    throw new BeeCloudError('PARAM_INVALID', 'status', `must be one of ${STATUSES.join(', ')}`);
  }
  return {
    transactionType,
    transactionId: fields.optionalString('transaction_id', { maxLength: 64 }),
    webhookId: fields.optionalString('id', { maxLength: 64 }),
    status: status as WebhookOutboxTable['status'] | undefined,
  };
}

export function readDeliveryListing(fields: RequestFields): DeliveryFilter & Paging {
  return { ...readDeliveryFilter(fields), ...readPaging(fields) };
}

export interface DeliveryRecord {
  id: string;
  transaction_type: string;
  transaction_id: string;
  target_url: string;
  status: string;
  attempt_count: number;
  created_at: number;
  next_attempt_at: number | null;
  delivered_at: number | null;
  body: string;
  attempts: {
    attempted_at: number;
    http_status: number | null;
    latency_ms: number;
    response_excerpt: string;
    error: string | null;
  }[];
}

function deliveryRecord(
  row: Selectable<WebhookOutboxTable>,
  attempts: Selectable<WebhookAttemptTable>[],
): DeliveryRecord {
  return {
    id: row.id,
    transaction_type: row.transaction_type,
    transaction_id: row.transaction_id,
    target_url: row.target_url,
    status: row.status,
    attempt_count: row.attempt_count,
    created_at: Number(row.created_at),
    next_attempt_at: row.status === 'pending' ? Number(row.next_attempt_at) : null,
    delivered_at: row.delivered_at === null ? null : Number(row.delivered_at),
    body: row.body,
    attempts: attempts.map((attempt) => ({
      attempted_at: Number(attempt.attempted_at),
      http_status: attempt.http_status,
      latency_ms: attempt.latency_ms,
      response_excerpt: attempt.response_excerpt,
      error: attempt.error,
    })),
  };
}

export class WebhookDeliveries {
  constructor(
    private readonly db: GatewayDb,
    private readonly now: () => number = Date.now,
  ) {}

  async list(appId: string, listing: DeliveryFilter & Paging): Promise<DeliveryRecord[]> {
    const rows = await this.filtered(appId, listing)
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(listing.limit)
      .offset(listing.skip)
      .execute();
    if (rows.length === 0) return [];
    const attempts = await this.db
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
      deliveryRecord(
        row,
        attempts.filter((attempt) => attempt.outbox_id === row.id),
      ),
    );
  }

  /** Puts the matching deliveries back in the queue; returns them. */
  async resend(app: App, filter: DeliveryFilter): Promise<DeliveryRecord[]> {
    if (filter.webhookId === undefined && filter.transactionId === undefined) {
      throw new BeeCloudError('MISS_PARAM', 'transaction_id', 'transaction_id or id is required');
    }
    const now = this.now();
    const ids = await this.db.transaction().execute(async (tx) => {
      const rows = await this.filtered(app.appId, filter, tx).selectAll().execute();
      for (const row of rows) {
        const targetUrl = row.target_url || webhookUrlFor(app, app.mode);
        if (!targetUrl) {
          throw new BeeCloudError('PARAM_INVALID', 'webhook_url', 'the app has no webhook URL to send to');
        }
        await tx
          .updateTable('webhook_outbox')
          .set({ status: 'pending', attempt_count: 0, next_attempt_at: now, target_url: targetUrl })
          .where('id', '=', row.id)
          .execute();
      }
      return rows.map((row) => row.id);
    });
    if (ids.length === 0) {
      const missing = filter.webhookId !== undefined ? 'id' : 'transaction_id';
      throw new BeeCloudError(
        filter.transactionType === 'REFUND' ? 'NO_SUCH_REFUND' : 'NO_SUCH_BILL',
        missing,
        'no webhook of this app matches',
      );
    }
    return this.list(app.appId, { webhookId: undefined, skip: 0, limit: 50, ...filter });
  }

  private filtered(appId: string, filter: DeliveryFilter, db: Pick<GatewayDb, 'selectFrom'> = this.db) {
    let q = db.selectFrom('webhook_outbox').where('app_id', '=', appId);
    if (filter.transactionType !== undefined) q = q.where('transaction_type', '=', filter.transactionType);
    if (filter.transactionId !== undefined) q = q.where('transaction_id', '=', filter.transactionId);
    if (filter.webhookId !== undefined) q = q.where('id', '=', filter.webhookId);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    return q;
  }
}
