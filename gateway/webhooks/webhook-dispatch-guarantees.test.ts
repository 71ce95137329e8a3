/**
 * What a merchant's webhook deliveries depend on, checked against the dispatcher itself: a real migrated store, a
 * real receiver on 127.0.0.1 and the dispatcher's clock in the test's hands (`now`), so every recorded time —
 * attempted_at, latency, delivered_at, the next retry, a receiver's pause — is asserted exactly. Light on purpose
 * (no gateway started): StrykerJS runs it against every mutant of webhook-dispatcher.ts (mutation-paths.json).
 */
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../sdk/webhook.ts';
import type { App } from '../apps/app.ts';
import type { WebhookAttemptOutcome } from '../core/observer.ts';
import { quietObserver } from '../core/observer.ts';
import { OutboundHttpClient } from '../net/outbound-http.ts';
import type { GatewayStore } from '../storage/store.ts';
import {
  enqueuePaidWebhook,
  frozenClock,
  outboxRow as row,
  type LoggedLine,
} from '../testing/outbox-fixtures.ts';
import { useTestResources } from '../testing/test-resources.ts';
import { retryDelayMs } from './retry-schedule.ts';
import { receiverKey, WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher.ts';

const { cleanups, openStore, receiver, seededApp } = useTestResources({
  prefix: 'spay-dispatch-guarantees-',
});

function enqueue(store: GatewayStore, app: App, now: number): Promise<string> {
  return enqueuePaidWebhook(store, app, { now });
}

function dispatcherFor(store: GatewayStore, options: Partial<WebhookDispatcherOptions> = {}) {
  const logged: LoggedLine[] = [];
  const observed: Array<{
    outcome: WebhookAttemptOutcome;
    attemptSeconds: number;
    sinceWrittenSeconds: number;
  }> = [];
  const dispatcher = new WebhookDispatcher({
    store,
    retryScale: 1000,
    allowPrivateTargets: true,
    log: (level, message, fields) => logged.push({ level, message, fields }),
    observer: {
      ...quietObserver,
      webhookAttempt: (outcome, attemptSeconds, sinceWrittenSeconds) =>
        observed.push({ outcome, attemptSeconds, sinceWrittenSeconds }),
    },
    ...options,
  });
  cleanups.push(() => dispatcher.stop());
  return { dispatcher, logged, observed };
}

describe('a delivery', () => {
  it('is not sent again before its retry is due by a pass that read it as due before its attempt failed', async () => {
    const store = await openStore();
    const app = await seededApp(store, 'http://127.0.0.1:9/webhook');
    const clock = frozenClock();
    const id = await enqueue(store, app, clock.at);
    const lease = { owner: 'dispatcher-one', leaseMs: 30_000 };
    // A pass reads it as due; it is claimed, attempted and rescheduled (retry in 1 s) before that copy is started.
    const [seen] = await store.outbox.due(clock.at, 10);
    await store.transaction((tx) => tx.outbox.claimRow(id, clock.at, lease));
    await store.transaction((tx) =>
      tx.outbox.afterAttempt(
        id,
        { status: 'pending', attemptCount: 1, nextAttemptAt: clock.at + 1000 },
        lease.owner,
      ),
    );
    expect(
      await store.transaction((tx) => tx.outbox.claimRow(seen!.id, clock.at + 10, lease)),
    ).toBeUndefined();
    expect(await store.transaction((tx) => tx.outbox.claimRow(id, clock.at + 1000, lease))).toMatchObject({
      id,
      attempt_count: 1,
      leased_by: lease.owner,
    });
  });
  it('carries the stored body, signed with the app webhook secret, and is recorded with its exact times', async () => {
    const store = await openStore();
    const merchant = await receiver();
    const app = await seededApp(store, merchant.url);
    const clock = frozenClock();
    const writtenAt = clock.at - 2000;
    const id = await enqueue(store, app, writtenAt);
    // The receiver takes 1.5 s by the dispatcher's clock to answer.
    merchant.answer = () => {
      clock.at += 1500;
      return { status: 200, body: 'success' };
    };
    const startedAt = clock.at;
    const { dispatcher, logged, observed } = dispatcherFor(store, { now: clock.now });
    dispatcher.start();
    await expect.poll(async () => (await row(store, id)).status, { timeout: 3000 }).toBe('delivered');

    const [webhook] = merchant.received;
    const stored = await row(store, id);
    expect(webhook!.body).toBe(stored.body);
    expect(webhook!.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'spay-webhook/1',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(startedAt / 1000)),
    });
    const verified = verifyWebhook(
      webhook!.body,
      webhook!.headers as Record<string, string>,
      { ...app, testMode: true },
      { requireStandardSignature: true, now: () => startedAt },
    );
    expect(verified).toMatchObject({ ok: true, checked: ['standard-signature', 'sign', 'signature'] });

    expect(stored).toMatchObject({
      status: 'delivered',
      attempt_count: 1,
      delivered_at: startedAt + 1500,
      leased_by: null,
      lease_until: null,
    });
    expect(await store.outbox.attemptsOf([id])).toMatchObject([
      {
        attempted_at: startedAt,
        http_status: 200,
        latency_ms: 1500,
        response_excerpt: 'success',
        error: null,
      },
    ]);
    expect(observed).toEqual([{ outcome: 'delivered', attemptSeconds: 1.5, sinceWrittenSeconds: 3.5 }]);
    expect(logged).toEqual([
      {
        level: 'info',
        message: 'webhook delivered',
        fields: {
          webhookId: id,
          transactionId: stored.transaction_id,
          attempt: 1,
          httpStatus: 200,
          error: null,
        },
      },
    ]);
  });

  it('that fails is due again after the next retry delay, then given up once the schedule is exhausted', async () => {
    const store = await openStore();
    const merchant = await receiver();
    merchant.answer = () => ({ status: 500, body: 'database down' });
    const app = await seededApp(store, merchant.url);
    const clock = frozenClock();
    const id = await enqueue(store, app, clock.at);
    const { dispatcher, logged, observed } = dispatcherFor(store, { now: clock.now, retryScale: 1 });
    dispatcher.start();
    await expect.poll(async () => (await row(store, id)).attempt_count, { timeout: 3000 }).toBe(1);
    expect(await row(store, id)).toMatchObject({
      status: 'pending',
      next_attempt_at: clock.at + retryDelayMs(1, 1)!,
      delivered_at: null,
      leased_by: null,
    });
    expect(await store.outbox.attemptsOf([id])).toMatchObject([
      {
        http_status: 500,
        response_excerpt: 'database down',
        error: 'answer was not "success"',
        latency_ms: 0,
      },
    ]);
    expect(observed).toEqual([{ outcome: 'retrying', attemptSeconds: 0, sinceWrittenSeconds: 0 }]);
    expect(logged).toMatchObject([
      {
        level: 'warn',
        message: 'webhook attempt failed',
        fields: { webhookId: id, attempt: 1, httpStatus: 500, error: 'answer was not "success"' },
      },
    ]);

    // The last retry of the schedule (18 failures so far: it waited 2^17 s) fails too: the webhook is given up, not rescheduled.
    await store.transaction((tx) =>
      tx.outbox.afterAttempt(id, { status: 'pending', attemptCount: 18, nextAttemptAt: clock.at }),
    );
    dispatcher.wake();
    await expect.poll(async () => (await row(store, id)).status, { timeout: 3000 }).toBe('failed');
    expect(await row(store, id)).toMatchObject({ attempt_count: 19, delivered_at: null });
    expect(observed.at(-1)).toEqual({ outcome: 'failed', attemptSeconds: 0, sinceWrittenSeconds: 0 });
    expect(logged.at(-1)).toMatchObject({ level: 'warn', fields: { attempt: 19, httpStatus: 500 } });
  });

  it('counts as delivered only for the exact body "success", under any status but a redirect', async () => {
    const store = await openStore();
    const merchant = await receiver();
    const app = await seededApp(store, merchant.url);
    const cases = [
      { status: 200, body: 'success', delivered: true },
      { status: 299, body: 'success', delivered: true },
      { status: 300, body: 'success', delivered: false },
      { status: 399, body: 'success', delivered: false },
      // BeeCloud reads the body only: "success" under any other status is an acknowledgement.
      { status: 400, body: 'success', delivered: true },
      { status: 500, body: 'success', delivered: true },
      { status: 200, body: 'success\n', delivered: false },
      { status: 200, body: 'SUCCESS', delivered: false },
    ];
    const ids: string[] = [];
    for (const _ of cases) ids.push(await enqueue(store, app, Date.now()));
    const answers = new Map(ids.map((id, index) => [id, cases[index]!]));
    merchant.answer = (_index, webhook) => {
      const { status, body } = answers.get(String(webhook.headers['webhook-id']))!;
      return { status, body };
    };
    const { dispatcher } = dispatcherFor(store);
    dispatcher.start();
    for (const [index, id] of ids.entries()) {
      const { status, body, delivered } = cases[index]!;
      await expect.poll(async () => (await row(store, id)).attempt_count, { timeout: 3000 }).toBe(1);
      expect((await row(store, id)).status).toBe(delivered ? 'delivered' : 'pending');
      expect(await store.outbox.attemptsOf([id])).toMatchObject([
        {
          http_status: status,
          response_excerpt: body,
          error: delivered
            ? null
            : status >= 300
              ? `answered ${status} (redirects are not followed)`
              : 'answer was not "success"',
        },
      ]);
    }
  });
});

describe('the dispatcher', () => {
  it('is running from start until stop, and not once its last look at the outbox is over a minute old', async () => {
    const store = await openStore();
    const clock = frozenClock();
    const start = clock.at;
    const { dispatcher } = dispatcherFor(store, { now: clock.now });
    expect(dispatcher.isRunning()).toBe(false);
    dispatcher.start();
    expect(dispatcher.isRunning()).toBe(true);
    // Once its first pass is over, it is running while that pass is at most two idle polls (60 s) old. The clock
    // moves only while isRunning() looks at it: the passes all read the start time.
    const lookedAt = (offset: number) => {
      clock.at = start + offset;
      const running = dispatcher.isRunning();
      clock.at = start;
      return running;
    };
    await expect.poll(() => lookedAt(60_001), { timeout: 3000 }).toBe(false);
    expect(lookedAt(60_000)).toBe(true);
    await dispatcher.stop();
    expect(dispatcher.isRunning()).toBe(false);
  });

  it('stops at once mid-delivery, giving back its lease: the webhook stays due, unattempted', async () => {
    const store = await openStore();
    const merchant = await receiver();
    merchant.answer = () => 'hang';
    const app = await seededApp(store, merchant.url);
    const clock = frozenClock();
    // Two webhooks to a receiver with one slot: one is in flight, the other waits; stopping does not start it.
    const ids = [await enqueue(store, app, clock.at), await enqueue(store, app, clock.at)];
    const { dispatcher, logged, observed } = dispatcherFor(store, {
      now: clock.now,
      timeoutMs: 15_000,
      limits: { perReceiver: 1 },
    });
    dispatcher.start();
    const [sent] = await merchant.waitFor(1);
    const id = String(sent!.headers['webhook-id']);
    const waiting = ids.find((other) => other !== id)!;
    // Leased for the timeout and 20 s more: another instance takes it over only once this one surely gave up.
    expect(await row(store, id)).toMatchObject({
      status: 'pending',
      leased_by: dispatcher.owner,
      lease_until: clock.at + 15_000 + 20_000,
    });
    const stopping = Date.now();
    await dispatcher.stop();
    // Well before the 15 s the receiver had to answer: the delivery in flight is aborted.
    expect(Date.now() - stopping).toBeLessThan(5000);
    expect(await row(store, id)).toMatchObject({
      status: 'pending',
      attempt_count: 0,
      leased_by: null,
      lease_until: null,
    });
    expect(await row(store, waiting)).toMatchObject({ status: 'pending', attempt_count: 0, leased_by: null });
    expect(merchant.received).toHaveLength(1);
    expect(await store.outbox.attemptsOf([id, waiting])).toEqual([]);
    expect(observed).toEqual([]);
    expect(logged).toEqual([]);
  });

  it('sends each webhook once when two dispatchers drain one outbox', async () => {
    const store = await openStore();
    const merchant = await receiver();
    const app = await seededApp(store, merchant.url);
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) ids.push(await enqueue(store, app, Date.now()));
    const one = dispatcherFor(store);
    const two = dispatcherFor(store);
    one.dispatcher.start();
    two.dispatcher.start();
    await expect
      .poll(async () => (await store.outbox.all({ status: 'delivered' })).length, { timeout: 3000 })
      .toBe(8);
    // Both read the same due rows; a row the other one claimed first is left to it, quietly.
    expect(merchant.received.map((webhook) => webhook.headers['webhook-id']).sort()).toEqual([...ids].sort());
    expect([...one.logged, ...two.logged].filter((entry) => entry.level === 'warn')).toEqual([]);
  });

  it('stopped before its first look at the outbox, sends nothing', async () => {
    const store = await openStore();
    const merchant = await receiver();
    const app = await seededApp(store, merchant.url);
    const id = await enqueue(store, app, Date.now());
    const { dispatcher } = dispatcherFor(store);
    dispatcher.wake();
    dispatcher.start();
    await dispatcher.stop();
    // stop() waits for the pass it interrupted and for every delivery started: none was.
    expect(merchant.received).toEqual([]);
    expect(await row(store, id)).toMatchObject({ status: 'pending', attempt_count: 0, leased_by: null });
  });

  it('at start, takes back the leases a killed run left when told to, and only then', async () => {
    for (const releaseLeasesAtStart of [true, false]) {
      const store = await openStore();
      const merchant = await receiver();
      const app = await seededApp(store, merchant.url);
      const leased = await enqueue(store, app, Date.now());
      const free = await enqueue(store, app, Date.now());
      // The previous run claimed it for ten minutes and was killed mid-delivery.
      await store.transaction((tx) =>
        tx.outbox.claimRow(leased, Date.now(), { owner: 'dispatcher-killed', leaseMs: 600_000 }),
      );
      const { dispatcher } = dispatcherFor(store, { releaseLeasesAtStart });
      dispatcher.start();
      await expect.poll(async () => (await row(store, free)).status, { timeout: 3000 }).toBe('delivered');
      if (releaseLeasesAtStart) {
        await expect.poll(async () => (await row(store, leased)).status, { timeout: 3000 }).toBe('delivered');
      } else {
        // The pass that sent the free row saw the leased one held by its owner.
        expect(await row(store, leased)).toMatchObject({ status: 'pending', leased_by: 'dispatcher-killed' });
        expect(merchant.received.map((webhook) => webhook.headers['webhook-id'])).toEqual([free]);
      }
      await dispatcher.stop();
    }
  });

  it('logs a pass that cannot read the outbox', async () => {
    const store = await openStore();
    await store.close();
    const { dispatcher, logged } = dispatcherFor(store);
    dispatcher.start();
    await expect.poll(() => logged.length, { timeout: 3000 }).toBeGreaterThan(0);
    expect(logged[0]).toMatchObject({ level: 'warn', message: 'webhook dispatcher pass failed' });
    expect(String(logged[0]!.fields.error)).not.toBe('');
  });

  it('sends a retry when it falls due, without being woken', async () => {
    const store = await openStore();
    const merchant = await receiver();
    merchant.answer = (index) =>
      index === 0 ? { status: 503, body: 'busy' } : { status: 200, body: 'success' };
    const app = await seededApp(store, merchant.url);
    const id = await enqueue(store, app, Date.now());
    // Retries after 0.2 s: the dispatcher's timer, set from the outbox's next due time, sends it.
    const { dispatcher } = dispatcherFor(store, { retryScale: 0.2 });
    dispatcher.start();
    await merchant.waitFor(2, 4000);
    const [first, second] = merchant.received;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(190);
    await expect.poll(async () => (await row(store, id)).status, { timeout: 3000 }).toBe('delivered');
    expect((await row(store, id)).attempt_count).toBe(2);
  });
});

describe('receivers', () => {
  it('are told apart by scheme, host and port, whatever the path', () => {
    expect(receiverKey('https://shop.example:8443/notify/pay?x=1')).toBe('https://shop.example:8443');
    expect(receiverKey('http://shop.example/a')).toBe(receiverKey('http://shop.example/b'));
    expect(receiverKey('http://shop.example/a')).not.toBe(receiverKey('https://shop.example/a'));
    expect(receiverKey('not a url')).toBe('not a url');
  });
});

describe('a receiver that keeps timing out', () => {
  it('gets one delivery at a time and a doubling pause, capped, until it answers again', async () => {
    const store = await openStore();
    const slow = await receiver();
    const probe = await receiver();
    const clock = frozenClock();
    const start = clock.at;
    const app = await seededApp(store, slow.url);
    const otherApp = await seededApp(store, probe.url);
    let answering = false;
    slow.answer = () => (answering ? { status: 200, body: 'success' } : 'hang');
    const { dispatcher } = dispatcherFor(store, {
      now: clock.now,
      timeoutMs: 150,
      limits: { perReceiver: 4, backOffAfterTimeouts: 3, firstPauseMs: 1000, maxPauseMs: 1500 },
    });
    const timedOut = async (ids: string[]) =>
      (await store.outbox.attemptsOf(ids)).filter((attempt) => attempt.error === 'no answer within 150 ms')
        .length;
    /**
     * At `at` on the dispatcher's clock, a pass with another app's webhook: once that one has arrived, the same
     * pass has claimed whatever of the slow receiver's rows it could start.
     */
    const passAt = async (at: number) => {
      clock.at = at;
      await enqueue(store, otherApp, start);
      const arrived = probe.received.length + 1;
      dispatcher.wake();
      await probe.waitFor(arrived, 3000);
    };

    const first = [
      await enqueue(store, app, start),
      await enqueue(store, app, start),
      await enqueue(store, app, start),
    ];
    dispatcher.start();
    await expect.poll(() => timedOut(first), { timeout: 3000 }).toBe(3);
    // Three timeouts in a row: paused 1 s (firstPauseMs), its due rows wait uncharged.
    const due = [await enqueue(store, app, start), await enqueue(store, app, start)];
    await passAt(start + 999);
    expect(slow.received).toHaveLength(3);
    for (const id of due) expect(await row(store, id)).toMatchObject({ attempt_count: 0, leased_by: null });

    // The pause is over: one delivery at a time, and a fourth timeout doubles the pause (2 s, capped at 1.5 s).
    await passAt(start + 1000);
    await expect.poll(() => timedOut(due), { timeout: 3000 }).toBe(1);
    expect(slow.received).toHaveLength(4);
    const [waiting] = (await Promise.all(due.map((id) => row(store, id)))).filter(
      (found) => found.attempt_count === 0,
    );
    expect(waiting).toMatchObject({ leased_by: null });
    await passAt(start + 1000 + 1499);
    expect(await row(store, waiting!.id)).toMatchObject({ attempt_count: 0, leased_by: null });
    expect(slow.received).toHaveLength(4);

    // It answers again: the webhook is delivered, and the receiver gets its four deliveries at a time back.
    answering = true;
    await passAt(start + 1000 + 1500);
    await expect
      .poll(async () => (await row(store, waiting!.id)).status, { timeout: 3000 })
      .toBe('delivered');
    answering = false;
    for (let i = 0; i < 4; i += 1) await enqueue(store, app, start);
    dispatcher.wake();
    await slow.waitFor(5 + 4, 3000);
  });
});

describe('fair dispatch', () => {
  it('takes turns over apps within the caps per app and in total', async () => {
    // Each app gets slots (in turns, whichever goes first); `perApp`: how many the two apps get, fewer first.
    for (const { limits, perApp } of [
      { limits: { total: 4, perApp: 2, perReceiver: 4 }, perApp: [2, 2] },
      { limits: { total: 3, perApp: 8, perReceiver: 8 }, perApp: [1, 2] },
      // The per-app cap alone binds: room in total and at each receiver for every webhook.
      { limits: { total: 16, perApp: 2, perReceiver: 8, perReceiverAnswering: 8 }, perApp: [2, 2] },
    ]) {
      const store = await openStore();
      const first = await receiver();
      const second = await receiver();
      first.answer = () => 'hang';
      second.answer = () => 'hang';
      const apps = [await seededApp(store, first.url), await seededApp(store, second.url)];
      const clock = frozenClock();
      // The first app's five webhooks are older: a dispatcher taking them in order would fill every slot with them.
      for (const app of apps) for (let i = 0; i < 5; i += 1) await enqueue(store, app, clock.at - 100 + i);
      const { dispatcher } = dispatcherFor(store, { now: clock.now, timeoutMs: 10_000, limits });
      dispatcher.start();
      const total = perApp[0]! + perApp[1]!;
      await expect.poll(() => first.received.length + second.received.length, { timeout: 3000 }).toBe(total);
      // Started in turns and claimed together: nothing more was taken.
      const leased = (await store.outbox.all({})).filter((found) => found.leased_by === dispatcher.owner);
      const counts = apps.map((app) => leased.filter((found) => found.app_id === app.appId).length);
      expect(counts.sort()).toEqual(perApp);
      expect([first.received.length, second.received.length].sort()).toEqual(perApp);
      await dispatcher.stop();
    }
  });
});

describe('stopping', () => {
  it("closes the dispatcher's own connections to receivers, and leaves the gateway's client alone", async () => {
    let open = 0;
    let lateAnswer: ((body: string) => void) | undefined;
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (request.url === '/slow') lateAnswer = (body) => response.end(body);
        else response.end('success');
      });
    });
    server.on('connection', (socket) => {
      open += 1;
      socket.on('close', () => (open -= 1));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const store = await openStore();
    const app = await seededApp(store, `${base}/webhook`);

    // Its own client: the kept-alive connection to the receiver is closed when it stops.
    const id = await enqueue(store, app, Date.now());
    const own = dispatcherFor(store).dispatcher;
    own.start();
    await expect.poll(async () => (await row(store, id)).status, { timeout: 3000 }).toBe('delivered');
    expect(open).toBe(1);
    await own.stop();
    await expect.poll(() => open, { timeout: 3000 }).toBe(0);

    // The gateway's client: a call of the gateway's in flight through it is not cut by the dispatcher stopping.
    const outbound = new OutboundHttpClient({ allowPrivateTargets: true });
    cleanups.push(async () => outbound.close());
    const next = await enqueue(store, app, Date.now());
    const shared = dispatcherFor(store, { outbound }).dispatcher;
    shared.start();
    await expect.poll(async () => (await row(store, next)).status, { timeout: 3000 }).toBe('delivered');
    const call = outbound.send({
      url: `${base}/slow`,
      method: 'POST',
      headers: {},
      body: '{}',
      timeoutMs: 5000,
    });
    await expect.poll(() => lateAnswer !== undefined, { timeout: 3000 }).toBe(true);
    await shared.stop();
    lateAnswer!('late');
    await expect(call).resolves.toMatchObject({ status: 200, body: 'late' });
  });
});
