/**
 * Payment → merchant webhook received, with the demo merchant's real webhook route (signature checks, order
 * store in SQLite). The gateway runs as a child process; each sandbox payment is timed from the moment its
 * `GET /2/rest/sandbox/notify` is sent to the moment the demo's order store marks the order paid, with the
 * shipped settings: the first attempt goes out as soon as the payment's transaction commits (the dispatcher is
 * woken after the commit); BeeCloud's 1 s, 2 s, 4 s … schedule applies to retries only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoServer } from '../demo-server/server.ts';
import { freePort } from '../e2e/stack.ts';
import { demoApp } from './lib/demo-app.ts';
import { startGatewayProcess } from './lib/gateway-process.ts';
import { createBill, sandboxPay } from './lib/rest-requests.ts';
import { summarize, type Summary } from './lib/stats.ts';

export interface WebhookLatencyResult {
  retryScale: number;
  payments: number;
  received: number;
  latencyMs: Summary;
}

export async function measureWebhookLatency(options: {
  retryScale: number;
  payments?: number;
  spacingMs?: number;
}): Promise<WebhookLatencyResult> {
  const payments = options.payments ?? 40;
  const spacingMs = options.spacingMs ?? 100;
  const dataDir = mkdtempSync(join(tmpdir(), 'spay-bench-webhook-latency-'));
  const demoPort = await freePort();
  const app = demoApp({ webhookUrl: `http://127.0.0.1:${demoPort}/webhook` });
  const gateway = await startGatewayProcess({ dataDir, app, webhookRetryScale: options.retryScale });
  const demo = await buildDemoServer({ dataDir, gatewayUrl: gateway.url, app });
  await demo.server.listen({ host: '127.0.0.1', port: demoPort });
  const paidAt = new Map<string, number>();
  const sentAt = new Map<string, number>();
  let allReceived: () => void = () => {};
  const done = new Promise<void>((resolve) => (allReceived = resolve));
  demo.orders.onChange((order) => {
    if (order.status === 'paid' && !paidAt.has(order.outTradeNo)) {
      paidAt.set(order.outTradeNo, Date.now());
      if (paidAt.size === payments) allReceived();
    }
  });
  try {
    const payingAll: Promise<unknown>[] = [];
    for (let i = 0; i < payments; i += 1) {
      const bill = await createBill(gateway.url, app, { totalFee: 100 + i, title: 'webhook latency' });
      demo.orders.createOrder({
        outTradeNo: bill.billNo,
        title: 'webhook latency',
        amount: bill.totalFee,
        optional: {},
        createdAt: Date.now(),
      });
      sentAt.set(bill.billNo, Date.now());
      payingAll.push(sandboxPay(gateway.url, app, bill.id));
      await new Promise((resolve) => setTimeout(resolve, spacingMs));
    }
    await Promise.all(payingAll);
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
    const latencies = [...paidAt].map(([billNo, at]) => at - sentAt.get(billNo)!);
    return {
      retryScale: options.retryScale,
      payments,
      received: paidAt.size,
      latencyMs: summarize(latencies),
    };
  } finally {
    await demo.server.close();
    await gateway.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
