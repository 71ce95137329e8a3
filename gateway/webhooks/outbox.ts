/**
 * The webhook outbox. `enqueueWebhook` writes the delivery in the caller's transaction (its stores), so a webhook exists
 * exactly when the state change that caused it was committed. After committing, call the dispatcher's `wake()`
 * (the bill service does this itself): the first delivery is due at once and goes out when woken.
 */
import { randomUUID } from 'node:crypto';
import { webhookUrlFor } from '../apps/app.ts';
import type { Stores } from '../storage/store.ts';
import { buildWebhookBody, type WebhookFacts } from './webhook-body.ts';
import { firstDeliveryDelayMs } from './retry-schedule.ts';

export interface EnqueueWebhookInput extends WebhookFacts {
  billId?: string;
  refundId?: string;
  /** Overrides the app's webhook URL (a bill's notify_url). */
  targetUrl?: string | null;
}

export interface EnqueuedWebhook {
  id: string;
  targetUrl: string;
  body: string;
  status: 'pending' | 'no_endpoint';
}

export function newWebhookId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

export async function enqueueWebhook(
  tx: Pick<Stores, 'outbox'>,
  input: EnqueueWebhookInput,
  options: { now: number },
): Promise<EnqueuedWebhook> {
  const id = newWebhookId();
  const targetUrl = input.targetUrl || webhookUrlFor(input.app, input.mode);
  const body = JSON.stringify(buildWebhookBody(input, options.now));
  const status = targetUrl ? 'pending' : 'no_endpoint';
  await tx.outbox.enqueue({
    id,
    app_id: input.app.appId,
    bill_id: input.billId ?? null,
    refund_id: input.refundId ?? null,
    transaction_type: input.transactionType,
    transaction_id: input.transactionId,
    target_url: targetUrl,
    body,
    status,
    attempt_count: 0,
    next_attempt_at: options.now + firstDeliveryDelayMs(),
    created_at: options.now,
    delivered_at: null,
  });
  return { id, targetUrl, body, status };
}
