/**
 * How the dispatcher's passes, caps and timers decide when a merchant's webhooks go out, against the dispatcher
 * itself: a real migrated store, real receivers on 127.0.0.1 and the dispatcher's clock in the test's hands. The
 * companion of webhook-dispatch-guarantees.test.ts (what is sent and recorded); here: when each webhook goes out, to
 * which receiver, how many at once, and what the dispatcher leaves alone (leases of others, a closed store). Light
 * on purpose: StrykerJS runs it against every mutant of webhook-dispatcher.ts (mutation-paths.json).
 */
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { App } from '../apps/app.ts';
import type { OutboxStore } from '../storage/outbox-store.ts';
import type { GatewayStore } from '../storage/store.ts';
import {
  enqueuePaidWebhook,
  frozenClock,
  outboxRow as row,
  type LoggedLine,
} from '../testing/outbox-fixtures.ts';
import { useTestResources } from '../testing/test-resources.ts';
import type { WebhookReceiver } from '../testing/webhook-receiver.ts';
import { WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher.ts';

const { cleanups, openStore, receiver, seededApp } = useTestResources({ prefix: 'spay-dispatch-passes-' });

function webhookIds(merchant: WebhookReceiver): string[] {
  return merchant.received.map((webhook) => String(webhook.headers['webhook-id']));
}

/** The dispatcher's clock: real time, shifted by `offset` ms (a clock the test can step). */
function steppedClock() {
  const clock = { offset: 0, now: () => Date.now() + clock.offset };
  return clock;
}

function dispatcherFor(store: GatewayStore, options: Partial<WebhookDispatcherOptions> = {}) {
  const logged: LoggedLine[] = [];
  const dispatcher = new WebhookDispatcher({
    store,
    retryScale: 1000,
    allowPrivateTargets: true,
    log: (level, message, fields) => logged.push({ level, message, fields }),
    ...options,
  });
  cleanups.push(() => dispatcher.stop());
  return { dispatcher, logged };
}

/**
 * The store as the dispatcher sees it, with its reads of due webhooks counted; `hold` makes each read return only
 * once the test releases it (a slow outbox read), with what was due when it was made.
 */
function watchedStore(store: GatewayStore) {
  const reads = { count: 0, hold: undefined as Promise<void> | undefined };
  const outbox = new Proxy(store.outbox, {
    get(target, property, receiverObject) {
      if (property === 'due') {
        return async (...args: Parameters<OutboxStore['due']>) => {
          reads.count += 1;
          const due = await target.due(...args);
          if (reads.hold) await reads.hold;
          return due;
        };
      }
      const value: unknown = Reflect.get(target, property, receiverObject);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: { ...store, outbox } as GatewayStore, reads };
}

/**
 * The store with the dispatcher's leases taken (`claimRow`, inside its transactions) and its reads of apps
 * (`findApp`, for the webhook secret) counted: what a delivery costs the database besides the outbox reads.
 */
function countedStore(store: GatewayStore) {
  const counts = { claims: [] as string[], appReads: 0 };
  const apps = new Proxy(store.apps, {
    get(target, property, receiverObject) {
      if (property === 'findApp') {
        return (appId: string) => {
          counts.appReads += 1;
          return target.findApp(appId);
        };
      }
      const value: unknown = Reflect.get(target, property, receiverObject);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const counting = (outbox: OutboxStore) =>
    new Proxy(outbox, {
      get(target, property, receiverObject) {
        if (property === 'claimRow') {
          return (...args: Parameters<OutboxStore['claimRow']>) => {
            counts.claims.push(args[0]);
            return target.claimRow(...args);
          };
        }
        const value: unknown = Reflect.get(target, property, receiverObject);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const counted: GatewayStore = {
    ...store,
    apps,
    transaction: (work) =>
      store.transaction((stores) => work({ ...stores, outbox: counting(stores.outbox) })),
  };
  return { store: counted, counts };
}

/** A merchant's server that holds each webhook until the test answers it. */
async function heldReceiver() {
  const held: Array<{ id: string; answer: (status: number, body: string) => void }> = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      held.push({
        id: String(request.headers['webhook-id']),
        answer: (status, body) => response.writeHead(status, { 'content-type': 'text/plain' }).end(body),
      });
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
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/notify`, held };
}

/**
 * A pass of the dispatcher over another app's webhook to its own receiver: once that one has arrived, the pass has
 * started whatever else it could.
 */
function enqueue(store: GatewayStore, app: App, now: number, targetUrl?: string): Promise<string> {
  return enqueuePaidWebhook(store, app, { now, targetUrl });
}

async function probePass(
  store: GatewayStore,
  dispatcher: WebhookDispatcher,
  probe: { app: App; merchant: WebhookReceiver },
  now: number,
) {
  const arrived = probe.merchant.received.length + 1;
  await enqueue(store, probe.app, now);
  dispatcher.wake();
  await probe.merchant.waitFor(arrived, 3000);
}

describe('waking the dispatcher', () => {
  it('before it starts or after it stops, it leaves the outbox alone', async () => {
    const store = await openStore();
    const merchant = await receiver();
    const app = await seededApp(store, merchant.url);
    const id = await enqueue(store, app, Date.now());
    const { dispatcher, logged } = dispatcherFor(store);
    // The gateway wakes it after every commit, also before it is started: nothing is looked at then.
    dispatcher.wake();
    expect(dispatcher.isRunning()).toBe(false);
    await dispatcher.stop();
    expect(merchant.received).toEqual([]);
    expect(await row(store, id)).toMatchObject({ status: 'pending', attempt_count: 0, leased_by: null });

    // Stopped, then the store closes (gateway shutdown); a webhook committed meanwhile wakes it: no pass, no error.
    const second = dispatcherFor(store);
    second.dispatcher.start();
    await expect.poll(async () => (await row(store, id)).status, { timeout: 3000 }).toBe('delivered');
    await second.dispatcher.stop();
    await store.close();
    second.dispatcher.wake();
    await second.dispatcher.stop();
    expect(second.logged.filter((entry) => entry.level === 'warn')).toEqual([]);
    expect(logged).toEqual([]);
  });

  it('while it reads the outbox, sends a webhook committed during that read at once', async () => {
    const opened = await openStore();
    const { store, reads } = watchedStore(opened);
    const merchant = await receiver();
    const app = await seededApp(opened, merchant.url);
    // The clock stands still: the webhook is due at the very time of the pass that missed it, so no timer of the
    // outbox's next due time would send it (only the idle poll, 30 s later).
    const clock = frozenClock();
    let release: () => void = () => {};
    reads.hold = new Promise<void>((resolve) => (release = resolve));
    const { dispatcher } = dispatcherFor(store, { now: clock.now });
    dispatcher.start();
    await expect.poll(() => reads.count, { timeout: 3000 }).toBe(1);
    const id = await enqueue(opened, app, clock.at);
    dispatcher.wake();
    reads.hold = undefined;
    release();
    await merchant.waitFor(1, 3000);
    expect(webhookIds(merchant)).toEqual([id]);
    await expect.poll(async () => (await row(opened, id)).status, { timeout: 3000 }).toBe('delivered');
  });

  it('reads the outbox only when something may be due, not in a loop', async () => {
    const opened = await openStore();
    const { store, reads } = watchedStore(opened);
    const merchant = await receiver();
    merchant.answer = (index) =>
      index === 0 ? { status: 503, body: 'busy' } : { status: 200, body: 'success' };
    const app = await seededApp(opened, merchant.url);
    const { dispatcher } = dispatcherFor(store, { retryScale: 0.5 });

    // Nothing in the outbox: one look at start, then the idle poll (30 s).
    dispatcher.start();
    await expect.poll(() => reads.count, { timeout: 3000 }).toBe(1);
    const idleSince = reads.count;
    // Not a wait for a state: the absence of reads over a quarter of a second is what is checked.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(reads.count).toBe(idleSince);

    // A webhook whose first attempt fails: it is read again when its retry falls due (0.5 s later), not before.
    const id = await enqueue(opened, app, Date.now());
    const before = reads.count;
    dispatcher.wake();
    await expect.poll(async () => (await row(opened, id)).status, { timeout: 4000 }).toBe('delivered');
    expect(merchant.received).toHaveLength(2);
    // The wake, the pass after the failed attempt, the retry's timer, the pass after the delivery: a few reads.
    expect(reads.count - before).toBeLessThanOrEqual(6);
  });

  it("drains one merchant's backlog with one read of the outbox per read's worth of rows, each sent once", async () => {
    const opened = await openStore();
    const { store, reads } = watchedStore(opened);
    const merchant = await receiver();
    const app = await seededApp(opened, merchant.url);
    const now = Date.now();
    for (let i = 0; i < 120; i += 1) await enqueue(opened, app, now);
    const { dispatcher, logged } = dispatcherFor(store, { limits: { dueBatchPerReceiver: 20 } });
    dispatcher.start();
    await merchant.waitFor(120, 10_000);
    await expect.poll(async () => (await opened.outbox.pendingCount()) === 0, { timeout: 5000 }).toBe(true);
    expect(new Set(webhookIds(merchant)).size).toBe(120);
    expect(merchant.received).toHaveLength(120);
    // 120 rows, 20 a read: 6 reads that start rows, and a few more (measured: 8 on SQLite, 15–18 on PostgreSQL,
    // whose leases commit later, so a read meets rows just started). Not a read each time every delivery in
    // progress is taking its lease or writing its outcome: 28 and 43 before.
    expect(reads.count).toBeLessThanOrEqual(24);
    expect(logged.filter((entry) => entry.level === 'warn')).toEqual([]);
  });
  it("reads a cut queue's next rows once a quarter of the last read is left waiting, not before nor after", async () => {
    const opened = await openStore();
    const { store, reads } = watchedStore(opened);
    const merchant = await heldReceiver();
    const app = await seededApp(opened, merchant.url);
    const clock = frozenClock();
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) ids.push(await enqueue(opened, app, clock.at - 100 + i));
    const { dispatcher } = dispatcherFor(store, {
      now: clock.now,
      timeoutMs: 10_000,
      limits: { perReceiver: 1, perReceiverAnswering: 1, dueBatchPerReceiver: 8 },
    });
    dispatcher.start();
    const arrived = (count: number) => expect.poll(() => merchant.held.length, { timeout: 3000 }).toBe(count);
    // One at a time, the merchant answering each when the test says: the first read took 8 of the 12 (cut).
    // Five answered, three of the eight left (the sixth starting, two waiting): no second read yet.
    for (let sent = 1; sent <= 5; sent += 1) {
      await arrived(sent);
      expect(reads.count).toBe(1);
      merchant.held[sent - 1]!.answer(200, 'success');
    }
    // Two of the eight left waiting (a quarter): the next rows are read now, before the queue runs dry.
    await expect.poll(() => reads.count, { timeout: 3000 }).toBe(2);
    // That read took the last rows (fewer than 8: not cut): no read again until they have all started.
    for (let sent = 6; sent <= 11; sent += 1) {
      await arrived(sent);
      expect(reads.count).toBe(2);
      merchant.held[sent - 1]!.answer(200, 'success');
    }
    await arrived(12);
    await expect.poll(() => reads.count, { timeout: 3000 }).toBe(3);
    merchant.held[11]!.answer(200, 'success');
    await expect.poll(async () => (await opened.outbox.pendingCount()) === 0, { timeout: 3000 }).toBe(true);
    expect(merchant.held.map((webhook) => webhook.id)).toEqual(ids);
  });

  it('while a read is under way, starts the last read’s rows as slots free and neither starts them twice nor reads again for it', async () => {
    const opened = await openStore();
    const counted = countedStore(opened);
    const { store, reads } = watchedStore(counted.store);
    const merchant = await heldReceiver();
    const app = await seededApp(opened, merchant.url);
    const clock = frozenClock();
    const first = await enqueue(opened, app, clock.at - 3);
    const second = await enqueue(opened, app, clock.at - 2);
    const { dispatcher } = dispatcherFor(store, {
      now: clock.now,
      timeoutMs: 10_000,
      limits: { perReceiver: 1, perReceiverAnswering: 1 },
    });
    dispatcher.start();
    await expect.poll(() => merchant.held.length, { timeout: 3000 }).toBe(1);
    // A new webhook wakes the dispatcher; its read (the second and the third webhook due) is slow to come back.
    let release: () => void = () => {};
    reads.hold = new Promise<void>((resolve) => (release = resolve));
    const third = await enqueue(opened, app, clock.at - 1);
    dispatcher.wake();
    await expect.poll(() => reads.count, { timeout: 3000 }).toBe(2);
    // Meanwhile the first is answered: the second (of the first read) starts at once, without another read.
    merchant.held[0]!.answer(200, 'success');
    await expect.poll(() => merchant.held.length, { timeout: 3000 }).toBe(2);
    reads.hold = undefined;
    release();
    // The slow read brings the second (already started) and the third: the third goes once the second is answered.
    merchant.held[1]!.answer(200, 'success');
    await expect.poll(() => merchant.held.length, { timeout: 3000 }).toBe(3);
    merchant.held[2]!.answer(200, 'success');
    await expect.poll(async () => (await opened.outbox.pendingCount()) === 0, { timeout: 3000 }).toBe(true);
    await dispatcher.stop();
    // Four reads: the first, the slow one, one when the third started (nothing left waiting), one when it ended.
    // The first answer, during the slow read, made no read of its own once that read was back.
    expect(reads.count).toBe(4);
    expect(merchant.held.map((webhook) => webhook.id)).toEqual([first, second, third]);
    // One lease taken per webhook: the second, read again while it was being sent, was not started a second time.
    expect(counted.counts.claims).toEqual([first, second, third]);
  });

  it('reads the app once for the deliveries started together, and afresh for the next ones', async () => {
    const opened = await openStore();
    const { store, counts } = countedStore(opened);
    const merchant = await heldReceiver();
    const app = await seededApp(opened, merchant.url);
    for (let i = 0; i < 4; i += 1) await enqueue(opened, app, Date.now());
    const { dispatcher } = dispatcherFor(store, { timeoutMs: 10_000, limits: { perReceiver: 4 } });
    dispatcher.start();
    // Four started in one turn (their leases in one transaction): one read of their app for the four signatures.
    await expect.poll(() => merchant.held.length, { timeout: 3000 }).toBe(4);
    expect(counts.appReads).toBe(1);
    for (const webhook of merchant.held) webhook.answer(200, 'success');
    await expect.poll(async () => (await opened.outbox.pendingCount()) === 0, { timeout: 3000 }).toBe(true);
    // A later webhook reads the app again (a webhook secret rotated meanwhile signs it), not the first read kept.
    await enqueue(opened, app, Date.now());
    dispatcher.wake();
    await expect.poll(() => merchant.held.length, { timeout: 3000 }).toBe(5);
    expect(counts.appReads).toBe(2);
  });
});

describe('stopping', () => {
  it('waits for a pass reading the outbox to end, and that pass starts nothing', async () => {
    const opened = await openStore();
    const { store, reads } = watchedStore(opened);
    const merchant = await receiver();
    const app = await seededApp(opened, merchant.url);
    const id = await enqueue(opened, app, Date.now() - 1);
    let release: () => void = () => {};
    reads.hold = new Promise<void>((resolve) => (release = resolve));
    const { dispatcher, logged } = dispatcherFor(store);
    dispatcher.start();
    await expect.poll(() => reads.count, { timeout: 3000 }).toBe(1);
    let stopped = false;
    const stopping = dispatcher.stop().then(() => {
      stopped = true;
    });
    // The read is held, so stop() cannot have ended: a gateway closing its store after stop() would pull the store
    // from under the pass. (The code under test never ends it early; the tenth of a second only gives a stop that
    // does not wait the time to show it.)
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(merchant.received).toEqual([]);
    expect(await row(opened, id)).toMatchObject({ status: 'pending', attempt_count: 0, leased_by: null });
    expect(logged.filter((entry) => entry.level === 'warn')).toEqual([]);
  });
});

describe('leases', () => {
  it('of a killed run are taken back at the first pass only, never those the dispatcher holds since', async () => {
    const store = await openStore();
    const hanging = await receiver();
    hanging.answer = () => 'hang';
    const probeMerchant = await receiver();
    const probe = { app: await seededApp(store, probeMerchant.url), merchant: probeMerchant };
    const app = await seededApp(store, hanging.url);
    const clock = frozenClock();
    const id = await enqueue(store, app, clock.at);
    const { dispatcher } = dispatcherFor(store, {
      now: clock.now,
      timeoutMs: 10_000,
      releaseLeasesAtStart: true,
    });
    dispatcher.start();
    await hanging.waitFor(1, 3000);
    const held = { leased_by: dispatcher.owner, lease_until: clock.at + 30_000 };
    expect(await row(store, id)).toMatchObject(held);
    // Later passes leave the lease of the delivery in flight alone: another instance must not take it over.
    await probePass(store, dispatcher, probe, clock.at);
    await probePass(store, dispatcher, probe, clock.at);
    expect(await row(store, id)).toMatchObject({ status: 'pending', attempt_count: 0, ...held });
  });

  it('are each instance’s own: one stopping gives back only the webhooks it holds', async () => {
    const store = await openStore();
    const hanging = await receiver();
    hanging.answer = () => 'hang';
    const app = await seededApp(store, hanging.url);
    const first = await enqueue(store, app, Date.now());
    const one = dispatcherFor(store, { timeoutMs: 10_000 }).dispatcher;
    one.start();
    await hanging.waitFor(1, 3000);
    const second = await enqueue(store, app, Date.now());
    const two = dispatcherFor(store, { timeoutMs: 10_000 }).dispatcher;
    two.start();
    await hanging.waitFor(2, 3000);
    expect(one.owner).toMatch(/^dispatcher-[0-9a-f-]{36}$/);
    expect(two.owner).not.toBe(one.owner);
    expect(await row(store, first)).toMatchObject({ leased_by: one.owner });
    expect(await row(store, second)).toMatchObject({ leased_by: two.owner });
    await one.stop();
    expect(await row(store, first)).toMatchObject({ status: 'pending', leased_by: null, lease_until: null });
    expect(await row(store, second)).toMatchObject({ status: 'pending', leased_by: two.owner });
  });
});

describe('failures', () => {
  it('a pass that cannot read the outbox is logged with the reason', async () => {
    const store = await openStore();
    await store.close();
    const { dispatcher, logged } = dispatcherFor(store);
    dispatcher.start();
    await expect.poll(() => logged.length, { timeout: 3000 }).toBeGreaterThan(0);
    expect(logged[0]).toMatchObject({ level: 'warn', message: 'webhook dispatcher pass failed' });
    expect(String(logged[0]!.fields.error)).toMatch(/destroyed/);
  });

  it('a delivery whose outcome cannot be written is logged, naming the webhook', async () => {
    const store = await openStore();
    const merchant = await heldReceiver();
    const app = await seededApp(store, merchant.url);
    const id = await enqueue(store, app, Date.now());
    const { dispatcher, logged } = dispatcherFor(store, { timeoutMs: 10_000 });
    dispatcher.start();
    await expect.poll(() => merchant.held.length, { timeout: 3000 }).toBe(1);
    // The store goes away while the receiver thinks; its answer cannot be recorded.
    await store.close();
    merchant.held[0]!.answer(200, 'success');
    await expect
      .poll(() => logged.find((entry) => entry.message === 'webhook delivery failed'), { timeout: 3000 })
      .toBeDefined();
    const failed = logged.find((entry) => entry.message === 'webhook delivery failed')!;
    expect(failed).toMatchObject({ level: 'warn', fields: { webhookId: id } });
    expect(String(failed.fields.error)).toMatch(/destroyed/);
    expect(logged.filter((entry) => entry.message === 'webhook delivered')).toEqual([]);
  });
});

describe('a receiver', () => {
  it('that answers gets one more delivery at a time per answer, up to perReceiverAnswering', async () => {
    const store = await openStore();
    const merchant = await receiver();
    // The first four answers come at once; then the merchant's server hangs on every webhook.
    merchant.answer = (index) => (index < 4 ? { status: 200, body: 'success' } : 'hang');
    const probeMerchant = await receiver();
    const probe = { app: await seededApp(store, probeMerchant.url), merchant: probeMerchant };
    const app = await seededApp(store, merchant.url);
    for (let i = 0; i < 12; i += 1) await enqueue(store, app, Date.now());
    const { dispatcher } = dispatcherFor(store, {
      timeoutMs: 10_000,
      limits: { perReceiver: 2, perReceiverAnswering: 3 },
    });
    dispatcher.start();
    await merchant.waitFor(7, 3000);
    await probePass(store, dispatcher, probe, Date.now());
    // Two at first, three once it answered: four answered, then three left hanging — never more.
    expect(merchant.received).toHaveLength(7);
    const delivered = await store.outbox.all({ status: 'delivered' });
    expect(delivered.filter((found) => found.app_id === app.appId)).toHaveLength(4);
  });

  it('that timed out goes back to its first slots', async () => {
    const store = await openStore();
    const merchant = await receiver();
    merchant.answer = (index) => (index < 2 ? { status: 200, body: 'success' } : 'hang');
    const probeMerchant = await receiver();
    const probe = { app: await seededApp(store, probeMerchant.url), merchant: probeMerchant };
    const app = await seededApp(store, merchant.url);
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) ids.push(await enqueue(store, app, Date.now()));
    const { dispatcher } = dispatcherFor(store, {
      timeoutMs: 1000,
      limits: { perReceiver: 2, perReceiverAnswering: 4, backOffAfterTimeouts: 100 },
    });
    dispatcher.start();
    // Two answers: four at a time, all four left hanging. Each timeout takes it back to two at a time, so
    // the next two start only once two of the four are over.
    const timedOut = async () =>
      (await store.outbox.attemptsOf(ids)).filter((attempt) => attempt.error === 'no answer within 1000 ms')
        .length;
    await expect.poll(timedOut, { timeout: 4000 }).toBe(4);
    await merchant.waitFor(8, 3000);
    await probePass(store, dispatcher, probe, Date.now());
    expect(merchant.received).toHaveLength(2 + 4 + 2);
  });

  it('that answered and went quiet starts again from its first slots', async () => {
    const store = await openStore();
    const merchant = await receiver();
    let answering = true;
    merchant.answer = () => (answering ? { status: 200, body: 'success' } : 'hang');
    const probeMerchant = await receiver();
    const probe = { app: await seededApp(store, probeMerchant.url), merchant: probeMerchant };
    const app = await seededApp(store, merchant.url);
    for (let i = 0; i < 6; i += 1) await enqueue(store, app, Date.now());
    const { dispatcher } = dispatcherFor(store, {
      timeoutMs: 10_000,
      limits: { perReceiver: 2, perReceiverAnswering: 4 },
    });
    dispatcher.start();
    await expect
      .poll(async () => (await store.outbox.all({ status: 'delivered' })).length, { timeout: 3000 })
      .toBe(6);
    // Its six answers are forgotten once it has nothing in flight: a new backlog, now hanging, gets two slots.
    answering = false;
    for (let i = 0; i < 4; i += 1) await enqueue(store, app, Date.now());
    dispatcher.wake();
    await merchant.waitFor(6 + 2, 3000);
    await probePass(store, dispatcher, probe, Date.now());
    expect(merchant.received).toHaveLength(6 + 2);
  });

  it('whose connection drops neither resets nor adds to its run of timeouts', async () => {
    const store = await openStore();
    const merchant = await receiver();
    // Timeout, timeout, dropped connection, timeout: three timeouts in a row as far as its back-off goes.
    merchant.answer = (index) =>
      index === 2 ? 'drop' : index < 4 ? 'hang' : { status: 200, body: 'success' };
    const probeMerchant = await receiver();
    const probe = { app: await seededApp(store, probeMerchant.url), merchant: probeMerchant };
    const app = await seededApp(store, merchant.url);
    const clock = frozenClock();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await enqueue(store, app, clock.at - 10 + i));
    const { dispatcher } = dispatcherFor(store, {
      now: clock.now,
      timeoutMs: 150,
      limits: { perReceiver: 1, backOffAfterTimeouts: 3, firstPauseMs: 60_000 },
    });
    dispatcher.start();
    await expect.poll(async () => (await store.outbox.attemptsOf(ids)).length, { timeout: 4000 }).toBe(4);
    const attempts = await store.outbox.attemptsOf(ids.slice(0, 4));
    expect(attempts.filter((attempt) => attempt.error === 'no answer within 150 ms')).toHaveLength(3);
    // Paused (the clock stands still, the pause never ends): the fifth waits, unattempted and unleased.
    await probePass(store, dispatcher, probe, clock.at);
    expect(merchant.received).toHaveLength(4);
    expect(await row(store, ids[4]!)).toMatchObject({ attempt_count: 0, leased_by: null });
  });

  it('that answers during its pause ends the pause: its waiting webhooks go at once', async () => {
    const store = await openStore();
    const merchant = await heldReceiver();
    const probeMerchant = await receiver();
    const probe = { app: await seededApp(store, probeMerchant.url), merchant: probeMerchant };
    const app = await seededApp(store, merchant.url);
    const clock = frozenClock();
    const { dispatcher } = dispatcherFor(store, {
      now: clock.now,
      timeoutMs: 1500,
      limits: { perReceiver: 4, backOffAfterTimeouts: 3, firstPauseMs: 60_000 },
    });
    const hung: string[] = [];
    for (let i = 0; i < 3; i += 1) hung.push(await enqueue(store, app, clock.at));
    dispatcher.start();
    await expect.poll(() => merchant.held.length, { timeout: 3000 }).toBe(3);
    // A fourth delivery starts 0.8 s later: it is still in flight when the first three time out.
    await new Promise((resolve) => setTimeout(resolve, 800));
    const slow = await enqueue(store, app, clock.at);
    dispatcher.wake();
    await expect.poll(() => merchant.held.length, { timeout: 3000 }).toBe(4);
    await expect.poll(async () => (await store.outbox.attemptsOf(hung)).length, { timeout: 4000 }).toBe(3);
    // Three timeouts in a row: paused (for a minute of the standing clock); a new webhook waits.
    const waiting = await enqueue(store, app, clock.at);
    await probePass(store, dispatcher, probe, clock.at);
    expect(merchant.held).toHaveLength(4);
    // The fourth is answered: the receiver is back, the waiting webhook goes out without waiting for the pause.
    merchant.held[3]!.answer(200, 'success');
    await expect.poll(async () => (await row(store, slow)).status, { timeout: 3000 }).toBe('delivered');
    await expect.poll(() => merchant.held.length, { timeout: 3000 }).toBe(5);
    expect(merchant.held[4]!.id).toBe(waiting);
  });

  it('paused holds back only its own webhooks, which go out when its pause ends, not a later one', async () => {
    const store = await openStore();
    const first = await receiver();
    const second = await receiver();
    first.answer = (index) => (index === 0 ? 'hang' : { status: 200, body: 'success' });
    second.answer = () => 'hang';
    const appA = await seededApp(store, first.url);
    const appB = await seededApp(store, second.url);
    const clock = steppedClock();
    const { dispatcher } = dispatcherFor(store, {
      now: clock.now,
      timeoutMs: 100,
      limits: { perReceiver: 1, backOffAfterTimeouts: 1, firstPauseMs: 1000, maxPauseMs: 60_000 },
    });
    // The second receiver times out while the clock runs 20 s ahead: paused until 21 s from now once it is
    // stepped back.
    clock.offset = 20_000;
    const b1 = await enqueue(store, appB, clock.now());
    dispatcher.start();
    await expect.poll(async () => (await store.outbox.attemptsOf([b1])).length, { timeout: 3000 }).toBe(1);
    clock.offset = 0;
    const now = clock.now();
    // b2 is due first: the pass meets the later end of pause (the second receiver's) before the earlier one.
    const b2 = await enqueue(store, appB, now - 10);
    const a1 = await enqueue(store, appA, now - 3);
    const a2 = await enqueue(store, appA, now - 2);
    dispatcher.wake();
    // The first receiver times out on a1: paused 1 s, a2 waits for it (nothing else in flight, no new webhook).
    await expect.poll(async () => (await store.outbox.attemptsOf([a1])).length, { timeout: 3000 }).toBe(1);
    await expect.poll(async () => (await row(store, a2)).status, { timeout: 5000 }).toBe('delivered');
    const [timedOut] = await store.outbox.attemptsOf([a1]);
    const [delivered] = await store.outbox.attemptsOf([a2]);
    expect(timedOut!.error).toBe('no answer within 100 ms');
    expect(delivered!.attempted_at).toBeGreaterThanOrEqual(
      timedOut!.attempted_at + timedOut!.latency_ms + 1000,
    );
    expect(second.received).toHaveLength(1);
    expect(await row(store, b2)).toMatchObject({ attempt_count: 0, leased_by: null });
  });
});

describe('fair dispatch', () => {
  it("keeps one merchant's backlog flowing while another app's receiver hangs", async () => {
    const store = await openStore();
    const hanging = await receiver();
    hanging.answer = () => 'hang';
    const merchant = await receiver();
    const slowApp = await seededApp(store, hanging.url);
    const app = await seededApp(store, merchant.url);
    await enqueue(store, slowApp, Date.now() - 1);
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) ids.push(await enqueue(store, app, Date.now()));
    const { dispatcher } = dispatcherFor(store, { timeoutMs: 10_000, limits: { perReceiver: 2 } });
    dispatcher.start();
    // Each answer starts the next of the backlog: no new read of the outbox is needed.
    await expect
      .poll(async () => (await store.outbox.all({ status: 'delivered' })).length, { timeout: 3000 })
      .toBe(12);
    expect(new Set(webhookIds(merchant))).toEqual(new Set(ids));
    // Each a POST of the signed JSON body, as BeeCloud sent them.
    expect(new Set(merchant.received.map((webhook) => webhook.method))).toEqual(new Set(['POST']));
  });

  it("reads a merchant's backlog beyond one read while another app's webhooks wait behind a hanging receiver", async () => {
    const store = await openStore();
    const hanging = await receiver();
    hanging.answer = () => 'hang';
    const merchant = await receiver();
    const slowApp = await seededApp(store, hanging.url);
    const app = await seededApp(store, merchant.url);
    // The hanging receiver gets one webhook at a time: its second waits (never in flight) the whole test.
    await enqueue(store, slowApp, Date.now() - 2);
    await enqueue(store, slowApp, Date.now() - 1);
    const ids: string[] = [];
    for (let i = 0; i < 10; i += 1) ids.push(await enqueue(store, app, Date.now()));
    const { dispatcher } = dispatcherFor(store, {
      timeoutMs: 10_000,
      limits: { perReceiver: 1, perReceiverAnswering: 1, dueBatchPerReceiver: 4 },
    });
    dispatcher.start();
    // Four of the merchant's per read: once those went, the next four are read, though a webhook still waits.
    await expect
      .poll(async () => (await store.outbox.all({ status: 'delivered' })).length, { timeout: 3000 })
      .toBe(10);
    expect(new Set(webhookIds(merchant))).toEqual(new Set(ids));
    expect(hanging.received).toHaveLength(1);
  });

  it('sends a retry when it falls due while another app’s receiver hangs', async () => {
    const store = await openStore();
    const hanging = await receiver();
    hanging.answer = () => 'hang';
    const merchant = await receiver();
    merchant.answer = (index) =>
      index === 0 ? { status: 503, body: 'busy' } : { status: 200, body: 'success' };
    const slowApp = await seededApp(store, hanging.url);
    const app = await seededApp(store, merchant.url);
    await enqueue(store, slowApp, Date.now() - 1);
    const id = await enqueue(store, app, Date.now());
    const { dispatcher } = dispatcherFor(store, { timeoutMs: 10_000, retryScale: 0.2 });
    dispatcher.start();
    await expect.poll(async () => (await row(store, id)).status, { timeout: 3000 }).toBe('delivered');
    const [failed, retried] = merchant.received;
    expect(retried!.receivedAt - failed!.receivedAt).toBeGreaterThanOrEqual(190);
    expect(hanging.received).toHaveLength(1);
  });

  it('gives each app one slot per turn, whatever number of receivers it has', async () => {
    const store = await openStore();
    const receivers = [await receiver(), await receiver(), await receiver()];
    for (const merchant of receivers) merchant.answer = () => 'hang';
    // The first app sends to two receivers (a bill's notify_url elsewhere than its webhook URL), the second to one.
    const appA = await seededApp(store, receivers[0]!.url);
    const appB = await seededApp(store, receivers[2]!.url);
    const clock = frozenClock();
    // Its webhook URL's receiver first, then the other; the second app's one webhook is the newest.
    for (let i = 0; i < 2; i += 1) await enqueue(store, appA, clock.at - 30 + i);
    for (let i = 0; i < 2; i += 1)
      await enqueue(store, appA, clock.at - 20 + i, `${receivers[1]!.url}?bill=${i}`);
    await enqueue(store, appB, clock.at - 10);
    const { dispatcher } = dispatcherFor(store, { now: clock.now, timeoutMs: 10_000, limits: { total: 2 } });
    dispatcher.start();
    // Two slots in all (both deliveries hang, so no third starts): one for each app, not both for the first app's
    // two receivers. The two arrive in either order.
    await expect
      .poll(() => receivers.reduce((sum, merchant) => sum + merchant.received.length, 0), { timeout: 3000 })
      .toBe(2);
    expect(receivers[0]!.received.length + receivers[1]!.received.length).toBe(1);
    expect(receivers[2]!.received).toHaveLength(1);
  });

  it('holds an app to its cap as its deliveries end one by one', async () => {
    const store = await openStore();
    const hanging = await heldReceiver();
    const merchant = await heldReceiver();
    const probeMerchant = await receiver();
    const probe = { app: await seededApp(store, probeMerchant.url), merchant: probeMerchant };
    const app = await seededApp(store, merchant.url);
    // One app, two receivers: one holds its webhook, the other gets the backlog; two deliveries of the app at once.
    await enqueue(store, app, Date.now() - 1, hanging.url);
    for (let i = 0; i < 4; i += 1) await enqueue(store, app, Date.now());
    const { dispatcher } = dispatcherFor(store, { timeoutMs: 10_000, limits: { perApp: 2, total: 16 } });
    dispatcher.start();
    await expect.poll(() => hanging.held.length + merchant.held.length, { timeout: 3000 }).toBe(2);
    // One of the two ends: exactly one more starts, the app is back at two.
    merchant.held[0]!.answer(200, 'success');
    await expect.poll(() => merchant.held.length, { timeout: 3000 }).toBe(2);
    await probePass(store, dispatcher, probe, Date.now());
    expect(merchant.held).toHaveLength(2);
    merchant.held[1]!.answer(200, 'success');
    await expect.poll(() => merchant.held.length, { timeout: 3000 }).toBe(3);
    await probePass(store, dispatcher, probe, Date.now());
    expect(merchant.held).toHaveLength(3);
    expect(hanging.held).toHaveLength(1);
  });

  it('gives the next app, not the first again, the slot left after a full turn', async () => {
    const store = await openStore();
    const receivers = [await heldReceiver(), await heldReceiver(), await heldReceiver()];
    const apps = [];
    for (const merchant of receivers) apps.push(await seededApp(store, merchant.url));
    // Two webhooks per app, the first app's due first: the apps' order in the pass is A, B, C.
    const now = Date.now();
    for (const [index, app] of apps.entries()) {
      await enqueue(store, app, now - 10 + index * 2);
      await enqueue(store, app, now - 9 + index * 2);
    }
    const { dispatcher } = dispatcherFor(store, { timeoutMs: 10_000, limits: { total: 4, perApp: 4 } });
    dispatcher.start();
    // Four slots in all: A, B, C, then the next turn starts at B.
    await expect
      .poll(() => receivers.reduce((sum, merchant) => sum + merchant.held.length, 0), { timeout: 3000 })
      .toBe(4);
    expect(receivers.map((merchant) => merchant.held.length)).toEqual([1, 2, 1]);
  });

  it('takes turns over apps from one pass to the next', async () => {
    const store = await openStore();
    const merchants = [await receiver(), await receiver()];
    const apps = [await seededApp(store, merchants[0]!.url), await seededApp(store, merchants[1]!.url)];
    const clock = frozenClock();
    const ids: string[][] = [[], []];
    // The first app's three webhooks are all older than the second app's.
    for (const [index, app] of apps.entries()) {
      for (let i = 0; i < 3; i += 1)
        ids[index]!.push(await enqueue(store, app, clock.at - 100 + index * 10 + i));
    }
    const { dispatcher } = dispatcherFor(store, { now: clock.now, limits: { total: 1 } });
    dispatcher.start();
    await expect
      .poll(async () => (await store.outbox.all({ status: 'delivered' })).length, { timeout: 3000 })
      .toBe(6);
    // One delivery at a time, the apps in turn: never two of one app while the other has one due.
    const attempts = await store.outbox.attemptsOf([...ids[0]!, ...ids[1]!]);
    const order = attempts.map((attempt) => (ids[0]!.includes(attempt.outbox_id) ? 'A' : 'B'));
    expect(order.join('')).toBe('ABABAB');
  });
});

describe('what a receiver is sent and may answer', () => {
  it('refuses loopback targets unless the gateway allows private targets', async () => {
    const store = await openStore();
    const merchant = await receiver();
    const app = await seededApp(store, merchant.url);
    const id = await enqueue(store, app, Date.now());
    const { dispatcher } = dispatcherFor(store, { allowPrivateTargets: undefined });
    dispatcher.start();
    await expect.poll(async () => (await store.outbox.attemptsOf([id])).length, { timeout: 3000 }).toBe(1);
    const [attempt] = await store.outbox.attemptsOf([id]);
    expect(attempt).toMatchObject({ http_status: null, response_excerpt: '' });
    expect(attempt!.error).toMatch(/^refused target/);
    expect(merchant.received).toEqual([]);
  });

  it('keeps the first 4096 bytes of a longer answer, which is never a delivery', async () => {
    const store = await openStore();
    const merchant = await receiver();
    merchant.answer = () => ({ status: 200, body: 'success' + ' '.repeat(5000) });
    const app = await seededApp(store, merchant.url);
    const id = await enqueue(store, app, Date.now());
    const { dispatcher } = dispatcherFor(store);
    dispatcher.start();
    await expect.poll(async () => (await store.outbox.attemptsOf([id])).length, { timeout: 3000 }).toBe(1);
    const [attempt] = await store.outbox.attemptsOf([id]);
    expect(attempt).toMatchObject({
      http_status: 200,
      response_excerpt: 'success' + ' '.repeat(4096 - 7),
      error: 'answer was not "success"',
    });
    expect(await row(store, id)).toMatchObject({ status: 'pending', attempt_count: 1 });
  });

  it("sees another app's webhooks behind a hanging receiver's backlog larger than one read", async () => {
    const store = await openStore();
    const hanging = await receiver();
    hanging.answer = () => 'hang';
    const merchant = await receiver();
    const slowApp = await seededApp(store, hanging.url);
    const app = await seededApp(store, merchant.url);
    const clock = frozenClock();
    for (let i = 0; i < 30; i += 1) await enqueue(store, slowApp, clock.at - 100 + i);
    // Due after all thirty: a read of 20 due rows, earliest first, would hold only the hanging receiver's.
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) ids.push(await enqueue(store, app, clock.at - 50 + i));
    const { dispatcher } = dispatcherFor(store, {
      now: clock.now,
      timeoutMs: 10_000,
      limits: { dueBatch: 20, dueBatchPerReceiver: 5 },
    });
    dispatcher.start();
    // All twelve: a read takes five of them; the next five are read as soon as the five read are all started.
    await merchant.waitFor(12, 3000);
    expect(new Set(webhookIds(merchant))).toEqual(new Set(ids));
    // The hanging receiver's four slots (its four requests may still be arriving); no more while they hang.
    await expect.poll(() => hanging.received.length, { timeout: 3000 }).toBe(4);
  });
});
