/**
 * Webhooks are never lost: the gateway runs as a child process (`gateway/main.ts`), bills are paid while the
 * merchant's receiver fails, the gateway is SIGKILLed with deliveries pending, restarted on the same data
 * directory, and every webhook is then delivered. Also: SIGTERM stops it gracefully with the outbox intact.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBill, pressSandboxButton, testApp, type TestGateway } from '../testing/gateway-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';

const repoRoot = new URL('../../', import.meta.url).pathname;

interface GatewayProcess {
  url: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function spawnGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, SPAY_GATEWAY_HOST: '127.0.0.1', SPAY_GATEWAY_PORT: '0', SPAY_LOG: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`gateway exited before listening:\n${output}`)));
  });
  return { url, child, exited };
}

let receiver: WebhookReceiver;
let dataDir: string;
const app = testApp();
const running: GatewayProcess[] = [];

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  dataDir = await mkdtemp(join(tmpdir(), 'spay-crash-test-'));
  await writeFile(join(dataDir, 'app.json'), JSON.stringify({ ...app, webhookUrl: receiver.url }));
});

afterAll(async () => {
  for (const gateway of running) if (gateway.child.exitCode === null) gateway.child.kill('SIGKILL');
  await receiver?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function env(): Record<string, string> {
  return {
    SPAY_DATA_DIR: dataDir,
    SPAY_SEED_APP: join(dataDir, 'app.json'),
    SPAY_WIDGET_DIR: join(dataDir, 'no-widget'),
    SPAY_WEBHOOK_RETRY_SCALE: '0.01',
  };
}

async function payBills(url: string, count: number): Promise<string[]> {
  const gateway = { url, app } as TestGateway;
  const billNos: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const bill = await createBill(gateway, i % 2 ? 'UN_WEB' : 'ALI_WEB', { amount: 100 + i });
    await pressSandboxButton(`${url}/sandbox/cashier/${bill.id}/pay`);
    billNos.push((await (await fetch(`${url}/2/rest/bill_public/${bill.id}`)).json()).pay.bill_no as string);
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
    const first = await spawnGateway(env());
    running.push(first);
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
    const second = await spawnGateway(env());
    running.push(second);
    await expect.poll(() => successfullyDelivered(billNos), { timeout: 20_000 }).toEqual(billNos);
    const health = (await (await fetch(`${second.url}/healthz`)).json()) as { pending_webhooks: number };
    expect(health.pending_webhooks).toBe(0);

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });

  it('SIGTERM leaves undelivered webhooks in the outbox, and the next start sends them', async () => {
    successFrom = Number.POSITIVE_INFINITY;
    const first = await spawnGateway(env());
    running.push(first);
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
    const second = await spawnGateway(env());
    running.push(second);
    await expect.poll(() => successfullyDelivered(billNos), { timeout: 20_000 }).toEqual(billNos);
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
