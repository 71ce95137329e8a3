/**
 * Webhooks are never lost: the gateway runs as a child process (`gateway/main.ts`), bills are paid while the
 * merchant's receiver fails, the gateway is SIGKILLed with deliveries pending, restarted on the same data
 * directory, and every webhook is then delivered. Also: SIGTERM stops it gracefully with the outbox intact.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  billStatus,
  createBill,
  pressSandboxButton,
  testApp,
  type TestGateway,
} from '../testing/gateway-harness.ts';
import { startGatewayProcess, type GatewayProcess } from '../testing/gateway-process.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';

let receiver: WebhookReceiver;
let dataDir: string;
const app = testApp();
const running: GatewayProcess[] = [];

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  dataDir = await mkdtemp(join(tmpdir(), 'spay-crash-test-'));
});

afterAll(async () => {
  for (const gateway of running) await gateway.kill('SIGKILL');
  await receiver?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The gateway process on this test's data directory, its app sending webhooks to the receiver. */
async function startGateway(): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess({
    dataDir,
    app: { ...app, webhookUrl: receiver.url },
    widgetDir: join(dataDir, 'no-widget'),
    webhookRetryScale: 0.01,
    rateLimits: true,
  });
  running.push(gateway);
  return gateway;
}

async function payBills(url: string, count: number): Promise<string[]> {
  const gateway = { url, app } as TestGateway;
  const billNos: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const bill = await createBill(gateway, i % 2 ? 'UN_WEB' : 'ALI_WEB', { amount: 100 + i });
    await pressSandboxButton(`${url}/sandbox/cashier/${bill.id}/pay`);
    billNos.push(String((await billStatus(gateway, bill.id)).bill_no));
  }
  return billNos;
}

/** Receiver answers before this index fail; from it on they succeed. */
let successFrom = Number.POSITIVE_INFINITY;

function successfullyDelivered(billNos: string[]): string[] {
  const ok = new Set<string>();
  receiver.received.forEach((webhook, index) => {
    if (index >= successFrom) ok.add((JSON.parse(webhook.body) as { transaction_id: string }).transaction_id);
  });
  return billNos.filter((billNo) => ok.has(billNo));
}

describe('a gateway killed with webhooks pending', () => {
  it('delivers every webhook after it is restarted on the same data directory', async () => {
    receiver.answer = (index) =>
      index >= successFrom ? { status: 200, body: 'success' } : { status: 500, body: 'merchant down' };
    const first = await startGateway();
    const billNos = await payBills(first.url, 5);
    // Every bill's webhook has failed at least once: the deliveries are pending when the gateway dies.
    await expect
      .poll(() => new Set(receiver.received.map((w) => JSON.parse(w.body).transaction_id)).size, {
        timeout: 10_000,
      })
      .toBe(5);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    successFrom = receiver.received.length;
    const second = await startGateway();
    await expect.poll(() => successfullyDelivered(billNos), { timeout: 20_000 }).toEqual(billNos);
    const health = (await (await fetch(`${second.url}/readyz`)).json()) as { pending_webhooks: number };
    expect(health.pending_webhooks).toBe(0);

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });

  it('SIGTERM leaves undelivered webhooks in the outbox, and the next start sends them', async () => {
    successFrom = Number.POSITIVE_INFINITY;
    const first = await startGateway();
    const billNos = await payBills(first.url, 2);
    await expect
      .poll(
        () => billNos.every((no) => receiver.received.some((w) => JSON.parse(w.body).transaction_id === no)),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });

    successFrom = receiver.received.length;
    const second = await startGateway();
    await expect.poll(() => successfullyDelivered(billNos), { timeout: 20_000 }).toEqual(billNos);
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
