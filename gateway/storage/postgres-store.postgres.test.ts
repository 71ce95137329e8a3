/**
 * The PostgreSQL store itself (runs under `npm run test:postgres` only): instances starting at once migrate one
 * database once, money and times come back as exact numbers, a duplicate answers as on SQLite, and an order
 * locked by one transaction waits for it in another.
 */
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { testApp } from '../testing/gateway-harness.ts';
import { createTestDatabase, someoneWaitsForALock, type TestDatabase } from '../testing/test-database.ts';
import { gatewayMigrations } from './migrations.ts';
import { openPostgresStore } from './postgres-store.ts';
import type { GatewayStore } from './store.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  return database;
}

async function open(url: string): Promise<GatewayStore> {
  const store = await openPostgresStore(url);
  cleanups.push(() => store.close());
  return store;
}

describe('the PostgreSQL store', () => {
  it('migrates one database once when five instances start at the same moment', async () => {
    const { url } = await freshDatabase();
    const stores = await Promise.all(Array.from({ length: 5 }, () => open(url)));
    expect(stores.every((store) => store.engine === 'postgres')).toBe(true);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const ran = await client.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name');
      expect(ran.rows.map((row) => row.name)).toEqual(Object.keys(gatewayMigrations).sort());
      // Readiness and metrics read the same on PostgreSQL.
      expect(await stores[0]!.pendingMigrations()).toEqual([]);
      await client.query("DELETE FROM kysely_migration WHERE name = '103_outbox_leases'");
      expect(await stores[0]!.pendingMigrations()).toEqual(['103_outbox_leases']);
      expect(await stores[0]!.outbox.pendingBacklog()).toEqual({ count: 0, oldestCreatedAt: null });
    } finally {
      await client.end();
    }
  });

  it('reads money and times back as exact numbers, and answers a duplicate as SQLite does', async () => {
    const store = await open((await freshDatabase()).url);
    const seed = testApp();
    expect(await store.apps.seedApp(seed, 1)).toBe(true);
    expect(await store.apps.seedApp(seed, 2)).toBe(false);
    const order = {
      appId: seed.appId,
      mode: 'test' as const,
      billNo: 'B1',
      title: 't',
      totalFee: 2 ** 53 - 1,
    };
    const time = 4_102_444_800_000; // 2100-01-01
    expect(await store.bills.insertOrder(order, time)).toBe('created');
    expect(await store.bills.insertOrder(order, time)).toBe('exists');
    const found = await store.bills.findOrder(seed.appId, 'test', 'B1');
    expect(found?.totalFee).toBe(2 ** 53 - 1);
    expect(typeof found?.totalFee).toBe('number');
    expect(await store.bills.count({ appId: seed.appId, mode: 'test' }, {})).toBe(0);
    expect(await store.refunds.reservedFee('no-such-bill', ['succeeded'])).toBe(0);
  });

  it('makes a second transaction wait for an order another one has locked', async () => {
    const { url } = await freshDatabase();
    const first = await open(url);
    const second = await open(url);
    const seed = testApp();
    await first.apps.seedApp(seed);
    await first.bills.insertOrder(
      { appId: seed.appId, mode: 'test', billNo: 'L1', title: 't', totalFee: 5 },
      1,
    );

    const events: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = first.transaction(async (tx) => {
      await tx.bills.lockOrder(seed.appId, 'test', 'L1');
      events.push('first locked');
      locked();
      await held;
      events.push('first commits');
    });
    await isLocked;
    const waiter = second.transaction(async (tx) => {
      await tx.bills.lockOrder(seed.appId, 'test', 'L1');
      events.push('second locked');
    });
    // The second transaction is blocked on the row: let it reach the server, then end the first.
    await expect.poll(() => someoneWaitsForALock(url)).toBe(true);
    release();
    await Promise.all([holder, waiter]);
    expect(events).toEqual(['first locked', 'first commits', 'second locked']);
  });
});
