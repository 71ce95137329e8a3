import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { LostTransactionError, WalGroupCommit } from './group-commit.ts';
import { withStatementCache } from './statement-cache.ts';

interface Tables {
  bill: { id: string; total_fee: number };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function openDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'spay-group-commit-'));
  const file = join(dir, 'gateway.sqlite');
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  const groupCommit = new WalGroupCommit(file);
  const db = new Kysely<Tables>({
    dialect: new SqliteDialect({
      database: withStatementCache(sqlite, { onWrite: () => groupCommit.noteWrite() }),
    }),
  });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(async () => {
    // After a lost transaction close() says so too (the store's close ignores it); nothing else is let through.
    await groupCommit.close().catch((error: unknown) => {
      if (!(error instanceof LostTransactionError)) throw error;
    });
    await db.destroy();
  });
  return { db, groupCommit };
}

describe('the group commit', () => {
  it('makes one fsync for all the transactions committed while the previous one ran', async () => {
    const { db, groupCommit } = openDatabase();
    await db.schema.createTable('bill').addColumn('id', 'text').addColumn('total_fee', 'integer').execute();
    await groupCommit.durable();
    const before = groupCommit.syncs;
    expect(before).toBe(1);
    // 50 requests, each: its transaction, then it waits for durability before it would answer.
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await db.transaction().execute(async (tx) => {
          await tx
            .insertInto('bill')
            .values({ id: `b${i}`, total_fee: i })
            .execute();
        });
        await groupCommit.durable();
      }),
    );
    const syncs = groupCommit.syncs - before;
    expect(syncs).toBeGreaterThanOrEqual(1);
    expect(syncs).toBeLessThan(50);
    expect((await db.selectFrom('bill').select('id').execute()).length).toBe(50);
  });

  it('syncs nothing when nothing was written since the last sync, and waits for a write made meanwhile', async () => {
    const { db, groupCommit } = openDatabase();
    await db.schema.createTable('bill').addColumn('id', 'text').addColumn('total_fee', 'integer').execute();
    await groupCommit.durable();
    const synced = groupCommit.syncs;
    await db.selectFrom('bill').selectAll().execute();
    await groupCommit.durable();
    expect(groupCommit.syncs).toBe(synced);
    // A write committed while a sync is running is covered by another sync, not by the running one.
    await db.insertInto('bill').values({ id: 'a', total_fee: 1 }).execute();
    const first = groupCommit.durable();
    await db.insertInto('bill').values({ id: 'b', total_fee: 2 }).execute();
    const second = groupCommit.durable();
    await Promise.all([first, second]);
    expect(groupCommit.syncs).toBe(synced + 2);
  });

  it.runIf(existsSync('/proc/self/fd'))(
    'syncs the WAL file SQLite writes now, after the one it synced before was removed',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'spay-group-commit-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const file = join(dir, 'gateway.sqlite');
      const walFile = `${file}-wal`;
      /** What this process's descriptors on the WAL point at: its path, or its path marked "(deleted)". */
      const walDescriptors = () =>
        readdirSync('/proc/self/fd')
          .map((fd) => {
            try {
              return readlinkSync(`/proc/self/fd/${fd}`);
            } catch {
              return '';
            }
          })
          .filter((target) => target.startsWith(walFile));
      const groupCommit = new WalGroupCommit(file);
      cleanups.push(() => groupCommit.close());
      const first = new Database(file);
      first.pragma('journal_mode = WAL');
      first.exec('create table bill (id text)');
      groupCommit.noteWrite();
      await groupCommit.durable();
      const firstWal = statSync(walFile).ino;
      // The last connection closing checkpoints the WAL and removes it; the next one writes a new file.
      first.close();
      expect(existsSync(walFile)).toBe(false);
      const second = new Database(file);
      cleanups.push(() => {
        second.close();
      });
      second.exec("insert into bill values ('b1')");
      groupCommit.noteWrite();
      expect(statSync(walFile).ino).not.toBe(firstWal);
      await groupCommit.durable();
      // The group commit's descriptor moved to the new file: none is left on the removed one.
      expect(walDescriptors().filter((target) => target.endsWith('(deleted)'))).toEqual([]);
      expect(walDescriptors().length).toBeGreaterThanOrEqual(2);
    },
  );

  it('says a read left everything durable, and a write not until its sync completed', async () => {
    const { db, groupCommit } = openDatabase();
    await db.schema.createTable('bill').addColumn('id', 'text').addColumn('total_fee', 'integer').execute();
    expect(groupCommit.isDurable()).toBe(false);
    await groupCommit.durable();
    expect(groupCommit.isDurable()).toBe(true);
    await db.selectFrom('bill').selectAll().execute();
    expect(groupCommit.isDurable()).toBe(true);
    await db.insertInto('bill').values({ id: 'a', total_fee: 1 }).execute();
    expect(groupCommit.isDurable()).toBe(false);
    const syncing = groupCommit.durable();
    // The sync is running, not done: an answer must still wait.
    expect(groupCommit.isDurable()).toBe(false);
    await syncing;
    expect(groupCommit.isDurable()).toBe(true);
  });

  it('says nothing written after a lost shared transaction is durable, and durable() refuses it, a read too', async () => {
    const { db, groupCommit } = openDatabase();
    await db.schema.createTable('bill').addColumn('id', 'text').addColumn('total_fee', 'integer').execute();
    await groupCommit.durable();
    groupCommit.noteLost(groupCommit.writes);
    // What was synced before the loss stays acknowledged.
    expect(groupCommit.isDurable()).toBe(true);
    await db.insertInto('bill').values({ id: 'a', total_fee: 1 }).execute();
    expect(groupCommit.isDurable()).toBe(false);
    await expect(groupCommit.durable()).rejects.toBeInstanceOf(LostTransactionError);
    // Synced or not, a write after the loss is never acknowledged: an answer after a read must not say otherwise.
    await db.selectFrom('bill').selectAll().execute();
    expect(groupCommit.isDurable()).toBe(false);
    await expect(groupCommit.durable()).rejects.toBeInstanceOf(LostTransactionError);
  });
});
