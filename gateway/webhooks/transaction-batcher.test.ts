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
});
