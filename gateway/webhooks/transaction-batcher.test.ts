import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type GatewayStore, type Stores } from '../storage/store.ts';
import { testApp } from '../testing/gateway-harness.ts';
import { TransactionBatcher } from './transaction-batcher.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A SQLite store that counts its transactions. */
async function countingStore(): Promise<{ store: GatewayStore; transactions: () => number }> {
  const dir = mkdtempSync(join(tmpdir(), 'spay-batcher-'));
  const store = await openSqliteStore(dir);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  let count = 0;
  const transaction = store.transaction.bind(store);
  return {
    store: {
      ...store,
      transaction: <T>(work: (tx: Stores) => Promise<T>) => {
        count += 1;
        return transaction(work);
      },
    },
    transactions: () => count,
  };
}

describe('the dispatcher’s transaction batcher', () => {
  it('runs the work added in one turn in one transaction, answering each caller its own result', async () => {
    const { store, transactions } = await countingStore();
    const batcher = new TransactionBatcher(store, async (tx, appId: string) => {
      await tx.apps.seedApp(testApp({ appId, name: appId }));
      return (await tx.apps.findApp(appId))?.name;
    });
    const names = await Promise.all(['a1', 'a2', 'a3'].map((appId) => batcher.add(appId)));
    expect(names).toEqual(['a1', 'a2', 'a3']);
    expect(transactions()).toBe(1);
    expect(await batcher.add('a4')).toBe('a4');
    expect(transactions()).toBe(2);
  });

  it('rejects every caller of a batch whose transaction fails, and writes none of it', async () => {
    const { store } = await countingStore();
    const batcher = new TransactionBatcher(store, async (tx, appId: string) => {
      if (appId === 'bad') throw new Error('refused');
      await tx.apps.seedApp(testApp({ appId, name: appId }));
    });
    const outcomes = await Promise.allSettled(['b1', 'bad', 'b2'].map((appId) => batcher.add(appId)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await store.apps.findApp('b1')).toBeUndefined();
  });

  it('writes the work added to two batchers of one store in the same turn in one transaction', async () => {
    const { store, transactions } = await countingStore();
    const seeds = new TransactionBatcher(store, async (tx, appId: string) => {
      await tx.apps.seedApp(testApp({ appId, name: appId }));
      return appId;
    });
    const lookups = new TransactionBatcher(
      store,
      async (tx, appId: string) => (await tx.apps.findApp(appId))?.name,
    );
    // The lookup runs after the seed added before it, in the same transaction: it sees the app.
    const [seeded, found] = await Promise.all([seeds.add('c1'), lookups.add('c1')]);
    expect([seeded, found]).toEqual(['c1', 'c1']);
    expect(transactions()).toBe(1);
    // Added in different turns: a transaction each.
    await seeds.add('c2');
    expect(await lookups.add('c2')).toBe('c2');
    expect(transactions()).toBe(3);
  });

  it('rejects the callers of both batchers when their shared transaction fails', async () => {
    const { store } = await countingStore();
    const seeds = new TransactionBatcher(store, async (tx, appId: string) => {
      await tx.apps.seedApp(testApp({ appId, name: appId }));
    });
    const refusals = new TransactionBatcher(store, async (_tx, reason: string) => {
      throw new Error(reason);
    });
    const outcomes = await Promise.allSettled([seeds.add('d1'), refusals.add('refused')]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(await store.apps.findApp('d1')).toBeUndefined();
  });
});
