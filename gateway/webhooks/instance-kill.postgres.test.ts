/**
 * An instance SIGKILLed while it is sending webhooks (runs under `npm run test:postgres`): two gateway processes
 * on one PostgreSQL database; the first claims the payments' webhooks and dies mid-delivery; the second, started
 * after, sends every one of them once the first one's leases run out. At least once: the receiver saw the killed
 * attempts too, but each webhook is answered `success` once and ends delivered.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { paidRestBill } from '../rest/testing/rest-caller.ts';
import { openPostgresStore } from '../storage/postgres-store.ts';
import { testApp } from '../testing/gateway-harness.ts';
import { startGatewayProcess, type GatewayProcess } from '../testing/gateway-process.ts';
import { createTestDatabase } from '../testing/test-database.ts';
import { startWebhookReceiver } from '../testing/webhook-receiver.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function gatewayOn(databaseUrl: string, app: ReturnType<typeof testApp>): Promise<GatewayProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'spay-instance-kill-'));
  const gateway = await startGatewayProcess({
    dataDir,
    app,
    databaseUrl,
    widgetDir: join(dataDir, 'no-widget'),
    webhookRetryScale: 0.001,
    webhookLeaseMs: 2000,
  });
  cleanups.push(async () => {
    await gateway.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });
  return gateway;
}

it('delivers the webhooks a killed instance was sending, from the instance that is left', async () => {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const receiver = await startWebhookReceiver();
  cleanups.push(() => receiver.close());
  let answering = false;
  receiver.answer = () => (answering ? { status: 200, body: 'success' } : 'hang');
  const app = testApp({ webhookUrl: receiver.url });

  const doomed = await gatewayOn(database.url, app);
  const bills = [];
  for (let i = 0; i < 4; i += 1)
    bills.push(await paidRestBill({ url: doomed.url, app }, { total_fee: 10 + i, title: '断电' }));
  // A PAY webhook is in flight at the doomed instance (the receiver holds the request open), the others wait
  // behind it …
  const [hung] = await receiver.waitFor(1, 15_000);
  // … when it is killed.
  await doomed.kill('SIGKILL');
  const sentBeforeKill = receiver.received.length;
  answering = true;

  const survivor = await gatewayOn(database.url, app);
  const store = await openPostgresStore(database.url);
  try {
    await expect
      .poll(async () => (await store.outbox.all({ appId: app.appId })).map((row) => row.status), {
        timeout: 20_000,
      })
      .toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
  } finally {
    await store.close();
  }
  const afterKill = receiver.received.slice(sentBeforeKill);
  const transactions = afterKill.map((webhook) => JSON.parse(webhook.body).transaction_id as string);
  // Each payment's webhook once from the survivor, the one the killed instance was sending included.
  expect(transactions.sort()).toEqual(bills.map((bill) => bill.billNo).sort());
  expect(afterKill.map((webhook) => webhook.headers['webhook-id'])).toContain(hung!.headers['webhook-id']);
  expect(survivor.child.exitCode).toBeNull();
}, 90_000); // two gateway processes start: on a busy two-core machine each start alone can take 10 s
