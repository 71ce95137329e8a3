/**
 * The dispatcher on its own, with a real store and a real receiver: a receiver that never answers is cut off at the
 * timeout and retried, and a stopped dispatcher leaves its in-flight delivery pending.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayStore } from '../storage/store.ts';
import { openTestStore } from '../testing/test-database.ts';
import { testApp } from '../testing/test-app.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';
import { enqueueWebhook } from './outbox.ts';
import { responseExcerptLength, WebhookDispatcher } from './webhook-dispatcher.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(
  receiver: WebhookReceiver,
): Promise<{ store: GatewayStore; enqueue(transactionId?: string): Promise<string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'spay-dispatcher-test-'));
  const store = await openTestStore(dir);
  cleanups.push(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const seed = testApp({ webhookUrl: receiver.url });
  const apps = store.apps;
  await apps.seedApp(seed);
  const app = (await apps.findApp(seed.appId))!;
  return {
    store,
    async enqueue(transactionId = 'order0001') {
      const { id } = await enqueueWebhook(
        store,
        {
          app,
          mode: 'test',
          transactionType: 'PAY',
          transactionId,
          channelType: 'ALI',
          subChannelType: 'ALI_WEB',
          transactionFee: 1,
          optional: null,
          messageDetail: {},
          channelTransactionId: 'T1',
        },
        { now: Date.now() },
      );
      return id;
    },
  };
}

async function row(store: GatewayStore, id: string) {
  const [found] = await store.outbox.all({ webhookId: id });
  if (!found) throw new Error(`no webhook ${id}`);
  return found;
}

describe('the webhook dispatcher', () => {
  it('gives up on a receiver that does not answer within the timeout, and retries', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    receiver.answer = (index) => (index === 0 ? 'hang' : { status: 200, body: 'success' });
    const { store, enqueue } = await setUp(receiver);
    const dispatcher = new WebhookDispatcher({
      store,
      retryScale: 0.001,
      allowPrivateTargets: true,
      // Long enough that the answering second attempt fits in it on a loaded machine (e.g. under mutation testing).
      timeoutMs: 1500,
    });
    cleanups.push(() => dispatcher.stop());
    const id = await enqueue();
    dispatcher.start();
    await expect.poll(async () => (await row(store, id)).status, { timeout: 8000 }).toBe('delivered');
    const attempts = await store.outbox.attemptsOf([id]);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatchObject({ http_status: null, error: 'no answer within 1500 ms' });
    expect(attempts[0]!.latency_ms).toBeGreaterThanOrEqual(1490);
    expect(attempts[1]).toMatchObject({ http_status: 200, response_excerpt: 'success', error: null });
  });

  it('stopping mid-delivery leaves the webhook pending with no attempt recorded', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    receiver.answer = () => 'hang';
    const { store, enqueue } = await setUp(receiver);
    const dispatcher = new WebhookDispatcher({ store, retryScale: 0.001, allowPrivateTargets: true });
    const id = await enqueue();
    dispatcher.start();
    await receiver.waitFor(1);
    await dispatcher.stop();
    expect(await row(store, id)).toMatchObject({ status: 'pending', attempt_count: 0 });
    expect(await store.outbox.attemptsOf([id])).toEqual([]);
  });

  it('counts a redirect as a failed attempt and never follows it to another receiver', async () => {
    const elsewhere = await startWebhookReceiver();
    cleanups.push(() => elsewhere.close());
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    for (const status of [301, 302, 303, 307, 308]) {
      receiver.answer = () => ({ status, body: 'moved', headers: { location: elsewhere.url } });
      const { store, enqueue } = await setUp(receiver);
      const dispatcher = new WebhookDispatcher({ store, retryScale: 1000, allowPrivateTargets: true });
      cleanups.push(() => dispatcher.stop());
      const id = await enqueue();
      dispatcher.start();
      await expect.poll(async () => (await row(store, id)).attempt_count, { timeout: 5000 }).toBe(1);
      expect(await row(store, id)).toMatchObject({ status: 'pending' });
      expect(await store.outbox.attemptsOf([id])).toMatchObject([
        {
          http_status: status,
          response_excerpt: 'moved',
          error: `answered ${status} (redirects are not followed)`,
        },
      ]);
    }
    expect(receiver.received).toHaveLength(5);
    expect(elsewhere.received).toEqual([]);
  });

  it(`keeps exactly the first ${responseExcerptLength} bytes of a long answer`, async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    receiver.answer = () => ({
      status: 500,
      body: 'x'.repeat(responseExcerptLength - 1) + 'yz' + 'w'.repeat(300),
    });
    const { store, enqueue } = await setUp(receiver);
    const dispatcher = new WebhookDispatcher({ store, retryScale: 1000, allowPrivateTargets: true });
    cleanups.push(() => dispatcher.stop());
    const id = await enqueue();
    dispatcher.start();
    await expect.poll(async () => (await row(store, id)).attempt_count, { timeout: 5000 }).toBe(1);
    const [attempt] = await store.outbox.attemptsOf([id]);
    expect(attempt!.response_excerpt).toBe('x'.repeat(responseExcerptLength - 1) + 'y');
  });

  it('delivers every due webhook in one wake, beyond one batch of 32', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const { store, enqueue } = await setUp(receiver);
    const ids: string[] = [];
    for (let index = 0; index < 75; index += 1)
      ids.push(await enqueue(`order${String(index).padStart(4, '0')}`));
    const dispatcher = new WebhookDispatcher({ store, retryScale: 0.001, allowPrivateTargets: true });
    cleanups.push(() => dispatcher.stop());
    dispatcher.start();
    // The idle poll is 30 s away: only passes that continue after a full batch reach the last rows in time.
    await receiver.waitFor(75, 8000);
    await expect
      .poll(async () => (await store.outbox.all({})).filter((found) => found.status === 'delivered').length, {
        timeout: 5000,
      })
      .toBe(75);
    expect(new Set(receiver.received.map((webhook) => webhook.headers['webhook-id']))).toEqual(new Set(ids));
  });
});
