/**
 * Several gateway instances drain one outbox (PostgreSQL under `npm run test:postgres`; on SQLite the one
 * gateway): every webhook is delivered, none by two instances, and the deliveries an instance had claimed when
 * it died are sent by the others once its leases run out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../apps/app.ts';
import type { TestGateway } from '../testing/gateway-harness.ts';
import { startGatewayInstances } from '../testing/gateway-instances.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';
import { enqueueWebhook } from './outbox.ts';

let instances: TestGateway[];
let close: () => Promise<void>;
let receiver: WebhookReceiver;
let app: App;
let counter = 0;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  ({ instances, close } = await startGatewayInstances(3, {
    app: { webhookUrl: receiver.url },
    rateLimit: false,
    webhookRetryScale: 0.001,
  }));
  app = (await instances[0]!.ctx.store.apps.findApp(instances[0]!.app.appId))!;
});

afterAll(async () => {
  await close?.();
  await receiver?.close();
});

/** Writes `count` PAY webhooks in one transaction (as if that many payments committed at once); their ids. */
async function enqueue(count: number): Promise<string[]> {
  const now = Date.now();
  return instances[0]!.ctx.store.transaction(async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      counter += 1;
      const { id } = await enqueueWebhook(
        tx,
        {
          app,
          mode: 'test',
          transactionType: 'PAY',
          transactionId: `LEASE${now}${counter}`,
          channelType: 'ALI',
          subChannelType: 'ALI_WEB',
          transactionFee: 100,
          optional: null,
          messageDetail: {},
          channelTransactionId: `T${counter}`,
        },
        { now },
      );
      ids.push(id);
    }
    return ids;
  });
}

function receivedIds(ids: string[]): string[] {
  const wanted = new Set(ids);
  return receiver.received
    .map((webhook) => String(webhook.headers['webhook-id']))
    .filter((id) => wanted.has(id));
}

async function outboxStatuses(ids: string[]): Promise<string[]> {
  const rows = await instances[1]!.ctx.store.outbox.all({ appId: app.appId });
  return rows.filter((row) => ids.includes(row.id)).map((row) => row.status);
}

describe('one outbox, several dispatching instances', () => {
  it('delivers every webhook once when all instances drain the outbox at the same time', async () => {
    const ids = await enqueue(60);
    for (const gateway of new Set(instances)) gateway.ctx.webhooks.wake();
    await expect.poll(() => receivedIds(ids).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(60);
    await expect.poll(async () => (await outboxStatuses(ids)).every((s) => s === 'delivered')).toBe(true);
    const received = receivedIds(ids);
    expect(received).toHaveLength(60);
    expect(new Set(received).size).toBe(60);
    const attempts = await instances[2]!.ctx.store.outbox.attemptsOf(ids);
    expect(attempts).toHaveLength(60);
  });

  it('sends what a dead instance had claimed once its leases run out, and not before', async () => {
    const ids = await enqueue(5);
    const leaseMs = 1500;
    const claimedAt = Date.now();
    // An instance claims the deliveries and dies before sending them (it never answers for its leases).
    const claimed = await instances[0]!.ctx.store.transaction((tx) =>
      tx.outbox.claimDue(Date.now(), 100, { owner: 'dispatcher-that-died', leaseMs }),
    );
    expect(claimed.map((row) => row.id).sort()).toEqual([...ids].sort());
    for (const gateway of new Set(instances)) gateway.ctx.webhooks.wake();

    await expect.poll(() => receivedIds(ids).length, { timeout: 15_000 }).toBe(5);
    const deliveries = receiver.received.filter((webhook) =>
      ids.includes(String(webhook.headers['webhook-id'])),
    );
    expect(deliveries.every((webhook) => webhook.receivedAt >= claimedAt + leaseMs)).toBe(true);
    expect(new Set(receivedIds(ids)).size).toBe(5);
    await expect.poll(async () => (await outboxStatuses(ids)).every((s) => s === 'delivered')).toBe(true);
  });
});
