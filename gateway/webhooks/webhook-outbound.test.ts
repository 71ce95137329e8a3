/**
 * The dispatcher against hostile or broken receivers (issue 21): internal targets are refused at connect time,
 * a huge answer costs a few KB, a receiver on a fetch "bad port" (6000) gets its webhooks, and a receiver that
 * never answers does not delay another app's webhooks.
 */
import { createServer, type Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { App } from '../apps/app.ts';
import { openSqliteStore, type GatewayStore } from '../storage/store.ts';
import { enqueuePaidWebhook } from '../testing/outbox-fixtures.ts';
import { useTestResources } from '../testing/test-resources.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';
import { WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher.ts';

const { cleanups, openStore, seededApp } = useTestResources({
  prefix: 'spay-outbound-test-',
  open: openSqliteStore,
});

function enqueue(store: GatewayStore, app: App): Promise<string> {
  return enqueuePaidWebhook(store, app);
}

function startDispatcher(store: GatewayStore, options: Partial<WebhookDispatcherOptions> = {}) {
  const dispatcher = new WebhookDispatcher({
    store,
    retryScale: 1000,
    allowPrivateTargets: true,
    ...options,
  });
  cleanups.push(() => dispatcher.stop());
  dispatcher.start();
  return dispatcher;
}

async function attemptsOf(store: GatewayStore, id: string) {
  return store.outbox.attemptsOf([id]);
}

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return (server.address() as { port: number }).port;
}

describe('webhook targets (SSRF)', () => {
  it('refuses to connect to loopback, private and link-local targets unless allowed', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const store = await openStore();
    const port = new URL(receiver.url).port;
    const targets = [
      receiver.url,
      `http://localhost:${port}/webhook`,
      `http://2130706433:${port}/webhook`,
      `http://0:${port}/webhook`,
      `http://[::ffff:127.0.0.1]:${port}/webhook`,
      'http://169.254.169.254/latest/meta-data/',
    ];
    const ids: string[] = [];
    for (const target of targets) ids.push(await enqueue(store, await seededApp(store, target)));
    startDispatcher(store, { allowPrivateTargets: false });
    for (const id of ids) {
      await expect.poll(async () => (await attemptsOf(store, id)).length, { timeout: 5000 }).toBe(1);
      const [attempt] = await attemptsOf(store, id);
      expect(attempt).toMatchObject({ http_status: null, response_excerpt: '' });
      expect(attempt!.error).toMatch(/^refused target/);
    }
    expect(receiver.received).toHaveLength(0);
  });
});

describe('webhook answers', () => {
  it('reads at most 4 KB of a huge answer and drops the connection', async () => {
    let bytesSent = 0;
    let closedEarly = false;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'text/plain' });
      const total = 400 * 1024 * 1024;
      const pump = () => {
        while (bytesSent < total) {
          bytesSent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      response.on('close', () => (closedEarly = bytesSent < total));
      pump();
    });
    const port = await listen(server);
    const store = await openStore();
    const id = await enqueue(store, await seededApp(store, `http://127.0.0.1:${port}/webhook`));
    startDispatcher(store);
    await expect.poll(async () => (await attemptsOf(store, id)).length, { timeout: 10_000 }).toBe(1);
    const [attempt] = await attemptsOf(store, id);
    expect(attempt!.http_status).toBe(200);
    expect(attempt!.response_excerpt).toBe('x'.repeat(4096));
    expect(attempt!.error).toMatch(/not "success"/);
    await expect.poll(() => closedEarly, { timeout: 5000 }).toBe(true);
    // The socket buffers hold a few MB at most; the 400 MB were never sent.
    expect(bytesSent).toBeLessThan(32 * 1024 * 1024);
  });

  it('counts a redirect as a failed delivery and does not follow it', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(307, { location: receiver.url }).end('success');
    });
    const port = await listen(server);
    const store = await openStore();
    const id = await enqueue(store, await seededApp(store, `http://127.0.0.1:${port}/webhook`));
    startDispatcher(store);
    await expect.poll(async () => (await attemptsOf(store, id)).length, { timeout: 5000 }).toBe(1);
    // The 307 answered "success", yet a redirect is never a delivery: the webhook stays due for a retry.
    expect((await attemptsOf(store, id))[0]).toMatchObject({
      http_status: 307,
      response_excerpt: 'success',
      error: 'answered 307 (redirects are not followed)',
    });
    expect(await store.outbox.all({ webhookId: id })).toMatchObject([
      { status: 'pending', attempt_count: 1 },
    ]);
    expect(receiver.received).toHaveLength(0);
  });
});

describe('webhook ports', () => {
  it('delivers to a receiver on port 6000 (a fetch "bad port")', async () => {
    let receiver: WebhookReceiver | undefined;
    for (const port of [6000, 6665, 6666, 6667, 6668, 6669, 10080]) {
      try {
        receiver = await startWebhookReceiver(port);
        break;
      } catch {
        // Busy: try the next bad port.
      }
    }
    if (!receiver) throw new Error('every bad port is busy');
    cleanups.push(() => receiver.close());
    const store = await openStore();
    const id = await enqueue(store, await seededApp(store, receiver.url));
    startDispatcher(store);
    await receiver.waitFor(1);
    await expect.poll(async () => (await attemptsOf(store, id)).length, { timeout: 5000 }).toBe(1);
    expect((await attemptsOf(store, id))[0]).toMatchObject({ http_status: 200, error: null });
  });
});

describe('fair dispatch', () => {
  it("delivers another app's webhook at once while one receiver hangs on forty deliveries", async () => {
    const hanging = await startWebhookReceiver();
    hanging.answer = () => 'hang';
    cleanups.push(() => hanging.close());
    const healthy = await startWebhookReceiver();
    cleanups.push(() => healthy.close());
    const store = await openStore();
    const slowApp = await seededApp(store, hanging.url);
    for (let i = 0; i < 40; i += 1) await enqueue(store, slowApp);
    const dispatcher = startDispatcher(store, { timeoutMs: 3000 });
    await hanging.waitFor(1);
    const otherApp = await seededApp(store, healthy.url);
    const enqueuedAt = Date.now();
    // The first delivery is due at once and goes out when the dispatcher is woken, while older rows wait for slots.
    await enqueue(store, otherApp);
    dispatcher.wake();
    const [arrived] = await healthy.waitFor(1, 2500);
    expect(arrived!.receivedAt - enqueuedAt).toBeLessThan(1000);
    // The hanging receiver holds only a few of the dispatcher's connections.
    expect(hanging.received.length).toBeLessThanOrEqual(4);
  });

  it("sees another app's webhook behind a hanging receiver's backlog larger than one read of the outbox", async () => {
    const hanging = await startWebhookReceiver();
    hanging.answer = () => 'hang';
    cleanups.push(() => hanging.close());
    const healthy = await startWebhookReceiver();
    cleanups.push(() => healthy.close());
    const store = await openStore();
    const slowApp = await seededApp(store, hanging.url);
    for (let i = 0; i < 30; i += 1) await enqueue(store, slowApp);
    const otherApp = await seededApp(store, healthy.url);
    // Due after all thirty: a read of 20 due rows, earliest first, would hold only the hanging receiver's.
    const others: string[] = [];
    for (let i = 0; i < 12; i += 1) others.push(await enqueue(store, otherApp));
    startDispatcher(store, { timeoutMs: 5000, limits: { dueBatch: 20, dueBatchPerReceiver: 5 } });
    // All twelve: the other app's queue was cut at 5 rows a read, and it is read again as each cut queue drains.
    await healthy.waitFor(12, 3000);
    expect(new Set(healthy.received.map((webhook) => webhook.headers['webhook-id']))).toEqual(
      new Set(others),
    );
    expect(hanging.received.length).toBeLessThanOrEqual(4);
  });

  it('backs off a receiver that keeps timing out: one delivery at a time, with a growing pause', async () => {
    const hanging = await startWebhookReceiver();
    hanging.answer = () => 'hang';
    cleanups.push(() => hanging.close());
    const store = await openStore();
    const app = await seededApp(store, hanging.url);
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) ids.push(await enqueue(store, app));
    startDispatcher(store, { timeoutMs: 200, limits: { firstPauseMs: 50 } });
    await hanging.waitFor(9, 10_000);
    const times = hanging.received.map((webhook) => webhook.receivedAt);
    // The first four at once (the per-receiver cap); the two started as the first two timed out overlap; once
    // three timed out in a row, one at a time, each after the timeout and a pause that doubles.
    expect(times[3]! - times[0]!).toBeLessThan(150);
    const gaps = [7, 8].map((i) => times[i]! - times[i - 1]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(200 + 50 * 2 ** 4 - 30);
    expect(gaps[1]).toBeGreaterThan(gaps[0]!);
    // Rows held back by the pause are not charged an attempt.
    const rows = await store.outbox.all({});
    const attempts = await store.outbox.attemptsOf(rows.map((row) => row.id));
    expect(rows.reduce((sum, row) => sum + row.attempt_count, 0)).toBe(attempts.length);
    expect(attempts.length).toBeLessThanOrEqual(hanging.received.length);
  });
  it('sends a receiver that answers more deliveries at once, up to 16, where one that hangs gets 4', async () => {
    // A merchant whose server answers `success` after 40 ms: its backlog goes out over more connections as it
    // answers (a backlog drains 16 at a time, not 4).
    let inFlight = 0;
    let mostAtOnce = 0;
    const arrived = new Set<string>();
    let allArrived: () => void = () => {};
    const everyWebhook = new Promise<void>((resolve) => (allArrived = resolve));
    const server: Server = createServer((request, response) => {
      inFlight += 1;
      mostAtOnce = Math.max(mostAtOnce, inFlight);
      request.resume();
      request.on('end', () => {
        setTimeout(() => {
          inFlight -= 1;
          arrived.add(String(request.headers['webhook-id']));
          response.end('success');
          if (arrived.size === 60) allArrived();
        }, 40);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const address = server.address() as { port: number };
    const store = await openStore();
    const app = await seededApp(store, `http://127.0.0.1:${address.port}/webhook`);
    for (let i = 0; i < 60; i += 1) await enqueue(store, app);
    startDispatcher(store);
    await everyWebhook;
    expect(mostAtOnce).toBeGreaterThan(4);
    expect(mostAtOnce).toBeLessThanOrEqual(16);
    await expect.poll(async () => (await store.outbox.all({ status: 'delivered' })).length).toBe(60);
  });
});
