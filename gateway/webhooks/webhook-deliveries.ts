/**
 * Operators' and merchants' view of the outbox, used by the REST routes and the CLI: list webhook deliveries
 * with their attempts, and resend them — a delivery goes back to `pending` with a fresh schedule (same
 * webhook-id and body, so receivers that dedupe still do), to the app's current webhook URL for the bill's mode
 * when it had none. After a resend, wake the dispatcher (`ctx.webhooks.wake()`); a separate process (the CLI)
 * relies on the running gateway's periodic look at the outbox instead.
 */
import { webhookUrlFor } from '../apps/app.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { AttemptRow, DeliveryFilter, DeliveryStatus, OutboxRow } from '../storage/outbox-store.ts';
import type { GatewayStore } from '../storage/store.ts';

export type { DeliveryFilter, DeliveryStatus };

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'failed', 'no_endpoint'];

export interface DeliveryPage {
  skip: number;
  limit: number;
}

export interface DeliveryRecord {
  id: string;
  app_id: string;
  bill_id: string | null;
  refund_id: string | null;
  transaction_type: string;
  transaction_id: string;
  target_url: string;
  status: string;
  attempt_count: number;
  created_at: number;
  /** null unless the delivery is pending */
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

function deliveryRecord(row: OutboxRow, attempts: AttemptRow[]): DeliveryRecord {
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

/** Deliveries newest first, each with its attempts oldest first. */
export async function listDeliveries(
  store: GatewayStore,
  filter: DeliveryFilter,
  page: DeliveryPage,
): Promise<DeliveryRecord[]> {
  const rows = await store.outbox.list(filter, page);
  const attempts = await store.outbox.attemptsOf(rows.map((row) => row.id));
  return rows.map((row) =>
    deliveryRecord(
      row,
      attempts.filter((attempt) => attempt.outbox_id === row.id),
    ),
  );
}

export interface ResendOptions {
  now?: number;
  /**
   * When a delivery has nowhere to go (no URL of its own, none on the app): true refuses the whole resend with
   * PARAM_INVALID `webhook_url` and changes nothing; false leaves that delivery `no_endpoint` with a fresh count.
   */
  requireEndpoint?: boolean;
}

/** Schedules the matching deliveries again now, in one transaction; returns their ids (none when none match). */
export async function resendDeliveries(
  store: GatewayStore,
  filter: DeliveryFilter,
  options: ResendOptions = {},
): Promise<string[]> {
  const now = options.now ?? Date.now();
  return store.transaction(async (tx) => {
    const rows = await tx.outbox.all(filter);
    for (const row of rows) {
      let targetUrl = row.target_url;
      if (!targetUrl) {
        const app = await tx.apps.findApp(row.app_id);
        const bill = row.bill_id ? await tx.bills.findBill(row.bill_id) : undefined;
        targetUrl = app ? webhookUrlFor(app, bill?.mode ?? app.mode) : '';
      }
      if (!targetUrl && options.requireEndpoint) {
        throw new BeeCloudError('PARAM_INVALID', 'webhook_url', 'the app has no webhook URL to send to');
      }
      await tx.outbox.reschedule(row.id, targetUrl, now);
    }
    return rows.map((row) => row.id);
  });
}
