/**
 * Webhook delivery against a real local receiver: retries until the body is exactly `success`, every attempt
 * recorded, the receiver down for a while, and giving up once the schedule is exhausted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../e2e/stack.ts';
import {
  createBill,
  pressSandboxButton,
  startTestGateway,
  type TestGateway,
} from '../testing/gateway-harness.ts';
import { outboxDrained } from '../testing/outbox-drain.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gatewayFor(receiverUrl: string, retryScale: number): Promise<TestGateway> {
  const gateway = await startTestGateway({ app: { webhookUrl: receiverUrl }, webhookRetryScale: retryScale });
  cleanups.push(() => gateway.close());
  return gateway;
}

async function receiverOn(port = 0): Promise<WebhookReceiver> {
  const receiver = await startWebhookReceiver(port);
  cleanups.push(() => receiver.close());
  return receiver;
}

async function payOneBill(gateway: TestGateway): Promise<string> {
  const bill = await createBill(gateway, 'ALI_WEB', { amount: 321 });
  await pressSandboxButton(`${gateway.url}/sandbox/cashier/${bill.id}/pay`);
  return bill.id;
}

/** The gateway's outbox and its attempts (oldest first), read through its store (SQLite or PostgreSQL). */
async function outboxRows(gateway: TestGateway) {
  const outbox = await gateway.ctx.store.outbox.all({});
  const attempts = await gateway.ctx.store.outbox.attemptsOf(outbox.map((row) => row.id));
  return { outbox, attempts };
}

describe('webhook delivery', () => {
  it('retries until the receiver answers exactly "success", resending the same message', async () => {
    const receiver = await receiverOn();
    const answers = [
      { status: 500, body: 'oops' },
      { status: 200, body: 'ok' },
      { status: 200, body: 'Success' },
      { status: 200, body: 'success!' },
      'drop' as const,
      { status: 200, body: 'success' },
    ];
    receiver.answer = (index) => answers[index] ?? { status: 200, body: 'success' };
    const gateway = await gatewayFor(receiver.url, 0.002);
    await payOneBill(gateway);
    const deliveries = await receiver.waitFor(6);
    expect(new Set(deliveries.map((d) => d.headers['webhook-id'])).size).toBe(1);
    expect(new Set(deliveries.map((d) => d.body)).size).toBe(1);
    // The retries came later and later (2, 4, 8 … ms at this scale).
    expect(deliveries[5]!.receivedAt - deliveries[0]!.receivedAt).toBeGreaterThanOrEqual(2 + 4 + 8 + 16 + 32);
    await expect.poll(async () => (await outboxRows(gateway)).outbox[0]?.status).toBe('delivered');
    // Delivered is final: no row is pending, so no further attempt can come.
    await outboxDrained(gateway.ctx.store);
    expect(receiver.received).toHaveLength(6);
    const { outbox, attempts } = await outboxRows(gateway);
    expect(outbox[0]!.attempt_count).toBe(6);
    expect(attempts.map((a) => a.http_status)).toEqual([500, 200, 200, 200, null, 200]);
    expect(attempts.map((a) => a.response_excerpt)).toEqual([
      'oops',
      'ok',
      'Success',
      'success!',
      '',
      'success',
    ]);
    expect(attempts[4]!.error).not.toBeNull();
    expect(attempts.every((a) => a.latency_ms >= 0)).toBe(true);
  });

  it('keeps trying while the receiver is down and delivers once it is back', async () => {
    const port = await freePort();
    const gateway = await gatewayFor(`http://127.0.0.1:${port}/webhook`, 0.01);
    await payOneBill(gateway);
    await expect
      .poll(async () => (await outboxRows(gateway)).attempts.length, { timeout: 5000 })
      .toBeGreaterThanOrEqual(3);
    expect((await outboxRows(gateway)).attempts.every((a) => a.http_status === null)).toBe(true);
    const receiver = await receiverOn(port);
    const [delivery] = await receiver.waitFor(1, 10_000);
    expect(JSON.parse(delivery!.body)).toMatchObject({ transaction_type: 'PAY', transaction_fee: 321 });
    await expect.poll(async () => (await outboxRows(gateway)).outbox[0]?.status).toBe('delivered');
  });

  it('gives up after the last retry of the schedule (the first attempt and 18 retries)', async () => {
    const receiver = await receiverOn();
    receiver.answer = () => ({ status: 503, body: 'down for maintenance' });
    const gateway = await gatewayFor(receiver.url, 0.00001);
    await payOneBill(gateway);
    await expect
      .poll(async () => (await outboxRows(gateway)).outbox[0]?.status, { timeout: 10_000 })
      .toBe('failed');
    expect(receiver.received).toHaveLength(19);
    expect((await outboxRows(gateway)).attempts).toHaveLength(19);
  });

  it('keeps a webhook in the outbox when the app has no webhook URL', async () => {
    const gateway = await gatewayFor('', 0.001);
    await payOneBill(gateway);
    expect((await outboxRows(gateway)).outbox).toEqual([
      expect.objectContaining({ status: 'no_endpoint', attempt_count: 0 }),
    ]);
  });
});
