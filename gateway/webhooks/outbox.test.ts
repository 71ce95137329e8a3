/**
 * What `enqueueWebhook` writes to the outbox (one row per webhook, in the caller's transaction) and the body it
 * carries (webhook-body.ts): read back from a real store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { webhookLegacySign, webhookSignature } from '../../sdk/sign.ts';
import type { App } from '../apps/app.ts';
import type { GatewayStore } from '../storage/store.ts';
import { openTestStore } from '../testing/test-database.ts';
import { testApp } from '../testing/gateway-harness.ts';
import { enqueueWebhook, type EnqueueWebhookInput } from './outbox.ts';
import { firstDeliveryDelayMs } from './retry-schedule.ts';

const NOW = 1_790_000_000_000;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function storeWithApp(webhookUrl: string): Promise<{ store: GatewayStore; app: App }> {
  const dir = await mkdtemp(join(tmpdir(), 'spay-outbox-test-'));
  const store = await openTestStore(dir);
  cleanups.push(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const seed = testApp({ webhookUrl });
  await store.apps.seedApp(seed);
  return { store, app: (await store.apps.findApp(seed.appId))! };
}

function refundFacts(app: App, extra: Partial<EnqueueWebhookInput> = {}): EnqueueWebhookInput {
  return {
    app,
    mode: 'test',
    transactionType: 'REFUND',
    transactionId: 'refund0001',
    channelType: 'WX',
    subChannelType: 'WX_NATIVE',
    transactionFee: 250,
    optional: null,
    messageDetail: { refund_id: 'R1' },
    channelTransactionId: 'T42',
    extraFields: { bill_no: 'order0001' },
    ...extra,
  };
}

describe('enqueueWebhook', () => {
  it('writes the webhook with its bill, refund, first delivery time (at once) and the signed BeeCloud body', async () => {
    const { store, app } = await storeWithApp('https://merchant.example/webhook');
    const enqueued = await enqueueWebhook(
      store,
      refundFacts(app, { billId: 'bill-1', refundId: 'refund-1' }),
      { now: NOW },
    );
    expect(enqueued.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(enqueued).toMatchObject({ targetUrl: 'https://merchant.example/webhook', status: 'pending' });
    const [row] = await store.outbox.all({ webhookId: enqueued.id });
    expect(row).toMatchObject({
      app_id: app.appId,
      bill_id: 'bill-1',
      refund_id: 'refund-1',
      transaction_type: 'REFUND',
      transaction_id: 'refund0001',
      target_url: 'https://merchant.example/webhook',
      status: 'pending',
      attempt_count: 0,
      next_attempt_at: NOW + firstDeliveryDelayMs(),
      created_at: NOW,
      delivered_at: null,
    });
    expect(row!.body).toBe(enqueued.body);
    expect(JSON.parse(enqueued.body)).toEqual({
      bill_no: 'order0001',
      sign: webhookLegacySign(app.appId, app.testSecret, NOW),
      signature: webhookSignature(app.appId, 'refund0001', 'REFUND', 'WX', 250, app.masterSecret),
      timestamp: NOW,
      channel_type: 'WX',
      sub_channel_type: 'WX_NATIVE',
      transaction_type: 'REFUND',
      transaction_id: 'refund0001',
      transaction_fee: 250,
      trade_success: true,
      message_detail: { refund_id: 'R1' },
      optional: {},
      channel_transaction_id: 'T42',
    });
  });

  it("keeps the merchant's optional, sends to a bill's notify_url, and parks a webhook with nowhere to go", async () => {
    const { store, app } = await storeWithApp('');
    const toNotifyUrl = await enqueueWebhook(
      store,
      refundFacts(app, { optional: { order: 7 }, targetUrl: 'https://merchant.example/notify' }),
      { now: NOW },
    );
    expect(toNotifyUrl).toMatchObject({ targetUrl: 'https://merchant.example/notify', status: 'pending' });
    expect(JSON.parse(toNotifyUrl.body).optional).toEqual({ order: 7 });
    const nowhere = await enqueueWebhook(store, refundFacts(app), { now: NOW });
    expect(nowhere).toMatchObject({ targetUrl: '', status: 'no_endpoint' });
    const [row] = await store.outbox.all({ webhookId: nowhere.id });
    expect(row).toMatchObject({ status: 'no_endpoint', bill_id: null, refund_id: null });
  });
});
