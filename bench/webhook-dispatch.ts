/**
 * Webhook dispatch rate: a backlog of paid bills' webhooks is written first (a gateway built in this process,
 * its dispatcher never started), then the gateway process starts on that data directory and drains the outbox
 * to a local receiver. Deliveries per second = webhooks delivered / (last success − first arrival). Run twice:
 * the receiver answers `success` to every delivery, then fails 10 % of answers (HTTP 500) so retries join in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeedApp } from '../gateway/apps/app.ts';
import { buildGateway } from '../gateway/server.ts';
import { startWebhookReceiver } from '../gateway/testing/webhook-receiver.ts';
import { demoApp } from './lib/demo-app.ts';
import { startGatewayProcess } from './lib/gateway-process.ts';
import { payBody, signedAuth } from './lib/rest-requests.ts';
import { round } from './lib/stats.ts';

export interface DispatchResult {
  /** Where the outbox is kept (absent in runs before PostgreSQL was measured: SQLite). */
  engine?: 'sqlite' | 'postgres';
  failingShare: number;
  webhooks: number;
  delivered: number;
  attempts: number;
  failedAnswers: number;
  seconds: number;
  deliveriesPerSecond: number;
  attemptsPerSecond: number;
}

/**
 * Webhooks in each run's backlog: 6,000 since the evening of 2026-12-03 (2,000 before, 500 before that). A smaller
 * backlog drained in about a second or less, much of it the gateway's first moments (a receiver's 4 deliveries at
 * once growing to 16, V8 compiling the hot paths), so the figure said little about the dispatcher's pace; a larger
 * one also shows a pass whose cost grows with the backlog (it did until migration 170: bench/README.md).
 */
export const dispatchBacklog = 6000;

/** Writes `count` paid bills (and so `count` pending PAY webhooks) into dataDir without sending any. */
async function writeBacklog(
  dataDir: string,
  app: SeedApp,
  count: number,
  databaseUrl: string | undefined,
): Promise<void> {
  const gateway = await buildGateway({
    dataDir,
    databaseUrl,
    seedApps: [app],
    logger: false,
    widgetDir: dataDir,
    rateLimit: false,
    allowPrivateTargets: true,
  });
  // A few bills at a time (their commits share the group commit's fsyncs): the backlog is the setting, not the
  // measurement, and 2,000 bills one after the other took minutes on a busy machine.
  const writeOne = async (i: number) => {
    const created = await gateway.app.inject({
      method: 'POST',
      url: '/2/rest/bill',
      payload: payBody(app, { totalFee: 1 + i, title: 'dispatch bench' }),
    });
    const id = String(created.json<{ id: string }>().id);
    const auth = signedAuth(app, 'test');
    const paid = await gateway.app.inject({
      method: 'GET',
      url: `/2/rest/sandbox/notify/${app.appId}/${id}`,
      query: { app_id: auth.app_id, timestamp: String(auth.timestamp), app_sign: auth.app_sign },
    });
    if (paid.json<{ result_code: number }>().result_code !== 0) throw new Error(`backlog: ${paid.body}`);
  };
  try {
    for (let first = 0; first < count; first += 16) {
      const batch: Promise<void>[] = [];
      for (let i = first; i < Math.min(count, first + 16); i += 1) batch.push(writeOne(i));
      await Promise.all(batch);
    }
  } finally {
    await gateway.close();
  }
}

export async function measureDispatch(options: {
  webhooks?: number;
  failingShare: number;
  /** `postgres://…` of an empty database: the outbox on PostgreSQL (default SQLite in a temp folder). */
  databaseUrl?: string;
}): Promise<DispatchResult> {
  const webhooks = options.webhooks ?? dispatchBacklog;
  const receiver = await startWebhookReceiver();
  let failedAnswers = 0;
  receiver.answer = () => {
    if (Math.random() < options.failingShare) {
      failedAnswers += 1;
      return { status: 500, body: 'fail' };
    }
    return { status: 200, body: 'success' };
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'spay-bench-dispatch-'));
  const app = demoApp({ webhookUrl: receiver.url });
  try {
    await writeBacklog(dataDir, app, webhooks, options.databaseUrl);
    const delivered = new Set<string>();
    let lastSuccessAt = 0;
    let allDelivered: () => void = () => {};
    const done = new Promise<void>((resolve) => (allDelivered = resolve));
    const answer = receiver.answer;
    receiver.answer = (index, webhook) => {
      const decided = answer(index, webhook);
      if (typeof decided === 'object' && decided.body === 'success') {
        delivered.add(String(webhook.headers['webhook-id']));
        lastSuccessAt = Date.now();
        if (delivered.size === webhooks) allDelivered();
      }
      return decided;
    };
    // Retries after a failure wait 2 s × 0.001: the figure is the dispatcher's pace, not BeeCloud's schedule.
    const gateway = await startGatewayProcess({
      dataDir,
      app,
      webhookRetryScale: 0.001,
      databaseUrl: options.databaseUrl,
      startTimeoutMs: 90_000,
    });
    try {
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 60_000).unref())]);
    } finally {
      await gateway.kill('SIGTERM');
    }
    const firstArrival = receiver.received[0]?.receivedAt ?? 0;
    const seconds = Math.max(0.001, (lastSuccessAt - firstArrival) / 1000);
    return {
      engine: options.databaseUrl ? 'postgres' : 'sqlite',
      failingShare: options.failingShare,
      webhooks,
      delivered: delivered.size,
      attempts: receiver.received.length,
      failedAnswers,
      seconds: round(seconds, 2),
      deliveriesPerSecond: round(delivered.size / seconds),
      attemptsPerSecond: round(receiver.received.length / seconds),
    };
  } finally {
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
