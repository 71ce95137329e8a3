import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSqliteStore } from './store.ts';
import { WalCheckpointer, type CheckpointResult } from './wal-checkpointer.ts';
import { testApp } from '../testing/test-app.ts';
import { newBillId } from '../bills/bill-id.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spay-checkpoint-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('WAL checkpoints on a worker thread', () => {
  it('keeps the WAL bounded while the writer never checkpoints itself', async () => {
    const file = join(tempDir(), 'gateway.sqlite');
    const writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    writer.pragma('synchronous = NORMAL');
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('create table bill (id text primary key, title text not null)');
    const results: CheckpointResult[] = [];
    const checkpointer = new WalCheckpointer(file, {
      everyWrites: 100,
      onCheckpoint: (result) => results.push(result),
    });
    cleanups.push(async () => {
      await checkpointer.close();
      writer.close();
    });
    const insert = writer.prepare('insert into bill (id, title) values (?, ?)');
    let writes = 0;
    for (let round = 0; round < 10; round += 1) {
      for (let i = 0; i < 100; i += 1) {
        insert.run(`bill-${round}-${i}`, 'x'.repeat(2000));
        writes += 1;
      }
      checkpointer.noteWrites(writes);
      // The checkpoint copied the whole WAL; the next write starts the WAL over.
      await vi.waitFor(() => expect(results.at(-1)?.checkpointed).toBe(results.at(-1)?.log), {
        timeout: 10_000,
      });
      await vi.waitFor(() => expect(results).toHaveLength(round + 1), { timeout: 10_000 });
    }
    // 1000 inserts of 2 KB each, one transaction each: without checkpoints the WAL would hold every page of
    // every commit (well over 4 MB); restarted after each checkpoint it holds about a hundred commits' pages.
    expect(statSync(`${file}-wal`).size).toBeLessThan(2 * 1024 * 1024);
    expect(results.every((result) => result.log <= 400)).toBe(true);
    expect(writer.prepare('select count(*) as n from bill').get()).toEqual({ n: 1000 });
  });

  it('asks for no checkpoint before everyWrites writes', async () => {
    const file = join(tempDir(), 'gateway.sqlite');
    const writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    writer.exec('create table bill (id text primary key)');
    const checkpointer = new WalCheckpointer(file, { everyWrites: 50 });
    cleanups.push(async () => {
      await checkpointer.close();
      writer.close();
    });
    checkpointer.noteWrites(49);
    checkpointer.noteWrites(50);
    checkpointer.noteWrites(99);
    await vi.waitFor(() => expect(checkpointer.checkpoints).toBe(1), { timeout: 10_000 });
    checkpointer.noteWrites(100);
    await vi.waitFor(() => expect(checkpointer.checkpoints).toBe(2), { timeout: 10_000 });
  });

  it('the SQLite store keeps every bill across a close and reopen with its checkpoints off the event loop', async () => {
    const dataDir = tempDir();
    const app = testApp();
    let store = await openSqliteStore(dataDir, {}, undefined, { checkpointWorker: true });
    await store.apps.seedApp(app);
    const now = Date.now();
    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: 1500 }, async (_, i) => {
        const id = newBillId();
        ids.push(id);
        await store.transaction(async (tx) => {
          await tx.bills.insertOrder(
            { appId: app.appId, mode: 'test', billNo: `B${i}`, title: 'order', totalFee: 100 + i },
            now,
          );
          await tx.bills.insertBill({
            id,
            appId: app.appId,
            billNo: `B${i}`,
            mode: 'test',
            channel: 'WX',
            subChannel: 'WX_NATIVE',
            title: 'order',
            totalFee: 100 + i,
            returnUrl: null,
            notifyUrl: null,
            optional: null,
            openid: null,
            createTime: now,
            expiresAt: null,
            reconcileAt: now + 30_000,
          });
        });
        await store.durable();
      }),
    );
    await store.close();
    store = await openSqliteStore(dataDir, {}, undefined, { checkpointWorker: true });
    cleanups.push(() => store.close());
    for (const [i, id] of ids.entries()) {
      if (i % 100 === 0) expect((await store.bills.findBill(id))?.totalFee).toBeGreaterThanOrEqual(100);
    }
    const sqlite = new Database(join(dataDir, 'gateway.sqlite'), { readonly: true });
    cleanups.push(() => {
      sqlite.close();
    });
    expect(sqlite.prepare('select count(*) as n from bills').get()).toEqual({ n: 1500 });
  });
});
