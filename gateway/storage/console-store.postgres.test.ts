/**
 * The console's stores on PostgreSQL (runs under `npm run test:postgres` only): migration 110 applies, failed
 * sign-ins counted at once by several connections add up (the upsert), sessions join their operator, audit ids
 * grow, retired secrets round-trip, and the dashboard's day arithmetic is integer on this engine too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testApp } from '../testing/gateway-harness.ts';
import { createTestDatabase } from '../testing/test-database.ts';
import { chinaDay } from './console-query-store.ts';
import { openPostgresStore } from './postgres-store.ts';
import type { GatewayStore } from './store.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshStore(): Promise<{ url: string; store: GatewayStore }> {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const store = await openPostgresStore(database.url);
  cleanups.push(() => store.close());
  return { url: database.url, store };
}

describe('the console stores on PostgreSQL', () => {
  it('counts concurrent failed sign-ins from several instances exactly, and opens a new window later', async () => {
    const { url, store } = await freshStore();
    const other = await openPostgresStore(url);
    cleanups.push(() => other.close());
    const now = 1_800_000_000_000;
    const window = 15 * 60_000;
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        (index % 2 === 0 ? store : other).console.recordFailure('ip:10.0.0.1', now, window),
      ),
    );
    expect(await store.console.failuresOf('ip:10.0.0.1', now + 20, window)).toEqual({
      failures: 10,
      windowStart: now,
    });
    await store.console.recordFailure('ip:10.0.0.1', now + window + 1, window);
    expect(await store.console.failuresOf('ip:10.0.0.1', now + window + 2, window)).toEqual({
      failures: 1,
      windowStart: now + window + 1,
    });
  });

  it('keeps operators, sessions by hash, audit entries newest first, and retired secrets', async () => {
    const { store } = await freshStore();
    expect(
      await store.console.insertOperator({
        id: 'op-1',
        name: 'alice',
        passwordHash: '$argon2id$x',
        createdAt: 1,
      }),
    ).toBe('created');
    expect(
      await store.console.insertOperator({
        id: 'op-2',
        name: 'alice',
        passwordHash: '$argon2id$y',
        createdAt: 2,
      }),
    ).toBe('exists');
    await store.console.insertSession({
      idHash: 'h1',
      operatorId: 'op-1',
      createdAt: 5,
      lastSeenAt: 5,
      expiresAt: 50,
    });
    expect(await store.console.findSession('h1')).toMatchObject({ operatorName: 'alice', expiresAt: 50 });
    expect(await store.console.deleteExpiredSessions(60, 0)).toBe(1);

    const seed = testApp();
    await store.apps.seedApp(seed, 1);
    await store.transaction(async (tx) => {
      const app = (await tx.apps.findApp(seed.appId))!;
      await tx.apps.rotateSecret(app, 'master', 'new-master', { now: 10, graceUntil: 10 + 86_400_000 });
      await tx.console.audit({
        at: 10,
        operator: 'alice',
        appId: seed.appId,
        action: 'app.secret.rotate',
        detail: {},
      });
      await tx.console.audit({
        at: 11,
        operator: 'alice',
        appId: seed.appId,
        action: 'button.update',
        detail: {},
      });
    });
    const app = (await store.apps.findApp(seed.appId))!;
    expect(app.masterSecret).toBe('new-master');
    expect(app.previousSecrets).toEqual([
      { kind: 'master', value: seed.masterSecret, validUntil: 86_400_010 },
    ]);
    const entries = await store.console.auditEntries({ appId: seed.appId }, { limit: 10 });
    expect(entries.map((entry) => entry.action)).toEqual(['button.update', 'app.secret.rotate']);
    expect(entries[0]!.id).toBeGreaterThan(entries[1]!.id);
  });

  it('groups paid bills by China day with integer arithmetic', async () => {
    const { store } = await freshStore();
    const seed = testApp();
    await store.apps.seedApp(seed, 1);
    const paidAt = Date.UTC(2026, 11, 1, 17, 0); // 2 December 01:00 in China
    const figures = await store.consoleQueries.dashboard(seed.appId, 'test', paidAt - 86_400_000);
    expect(figures).toMatchObject({
      paid: [],
      orders: [],
      refunds: [],
      pendingWebhooks: 0,
      failingWebhooks: 0,
    });
    expect(chinaDay(paidAt)).toBe(Math.floor(Date.UTC(2026, 11, 2) / 86_400_000));
  });
});
