import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { LostTransactionError } from './group-commit.ts';
import { sharedSqlite } from './shared-transaction.ts';

interface Tables {
  bill: { id: string; bill_no: string; total_fee: number };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'spay-shared-tx-'));
  const file = join(dir, 'gateway.sqlite');
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  const { dialect, groupCommit, shared } = sharedSqlite(sqlite, file);
  const db = new Kysely<Tables>({ dialect });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(async () => {
    await groupCommit.close().catch(() => {});
    await db.destroy();
  });
  await db.schema
    .createTable('bill')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('bill_no', 'text', (column) => column.notNull().unique())
    .addColumn('total_fee', 'integer', (column) => column.notNull())
    .execute();
  await groupCommit.durable();
  shared.enable();
  // Another process's view of the file: it sees committed transactions only.
  const outside = new Database(file, { readonly: true });
  cleanups.push(() => {
    outside.close();
  });
  const seenOutside = () =>
    (outside.prepare('select bill_no from bill order by bill_no').all() as Array<{ bill_no: string }>).map(
      (row) => row.bill_no,
    );
  return { db, sqlite, file, groupCommit, shared, seenOutside };
}

/** Another process writing to the same file (a CLI, say): it commits on its own. */
function otherWriter(file: string) {
  const other = new Database(file);
  cleanups.push(() => {
    other.close();
  });
  return (billNo: string) =>
    other.prepare('insert into bill (id, bill_no, total_fee) values (?, ?, 1)').run(`id-${billNo}`, billNo);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One request: its unit of work, then the wait for durability its answer makes. */
function createBill(db: Kysely<Tables>, billNo: string, totalFee: number) {
  return db.transaction().execute(async (tx) => {
    await tx
      .insertInto('bill')
      .values({ id: `id-${billNo}`, bill_no: billNo, total_fee: totalFee })
      .execute();
  });
}

describe('shared write transactions', () => {
  it('commits the units that end while an fsync runs together, right before the next fsync, before any answer', async () => {
    const { db, groupCommit, shared, seenOutside } = await openDatabase();
    const syncsBefore = groupCommit.syncs;
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        await createBill(db, `B${String(i).padStart(3, '0')}`, 100 + i);
        await groupCommit.durable();
        // Answered: another process sees the bill.
        expect(seenOutside()).toContain(`B${String(i).padStart(3, '0')}`);
      }),
    );
    expect(seenOutside()).toHaveLength(40);
    expect(shared.units).toBe(40);
    // The first unit committed and started an fsync at once; the 39 that ended while it ran share one commit.
    expect(shared.commits).toBe(2);
    expect(groupCommit.syncs - syncsBefore).toBe(shared.commits);
  });

  it('keeps a finished unit out of sight of other connections until the commit before its fsync', async () => {
    const { db, groupCommit, seenOutside } = await openDatabase();
    await createBill(db, 'B001', 100);
    // The first unit started an fsync (and committed just before it); the second ends while it runs.
    await createBill(db, 'B002', 200);
    expect(seenOutside()).toEqual(['B001']);
    // This gateway's own reads see it already.
    expect((await db.selectFrom('bill').select('bill_no').execute()).map((row) => row.bill_no)).toEqual([
      'B001',
      'B002',
    ]);
    await groupCommit.durable();
    expect(seenOutside()).toEqual(['B001', 'B002']);
  });

  it('rolls back only the failing unit of a batch (a duplicate bill_no), the others commit', async () => {
    const { db, groupCommit, seenOutside } = await openDatabase();
    await createBill(db, 'B001', 100);
    const results = await Promise.allSettled([
      createBill(db, 'B002', 200),
      db.transaction().execute(async (tx) => {
        await tx.insertInto('bill').values({ id: 'id-B003', bill_no: 'B003', total_fee: 300 }).execute();
        // Same bill_no as the first bill: the unit fails, and with it its first insert.
        await tx
          .insertInto('bill')
          .values({ id: 'id-B001-again', bill_no: 'B001', total_fee: 300 })
          .execute();
      }),
      createBill(db, 'B004', 400),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    await groupCommit.durable();
    expect(seenOutside()).toEqual(['B001', 'B002', 'B004']);
  });

  it('leaves no transaction open after a unit that only read', async () => {
    const { db, sqlite, groupCommit } = await openDatabase();
    await groupCommit.durable();
    const fees = await db.transaction().execute((tx) => tx.selectFrom('bill').select('total_fee').execute());
    expect(fees).toEqual([]);
    expect(sqlite.inTransaction).toBe(false);
  });

  it('acknowledges nothing written after SQLite rolled a shared transaction back on its own', async () => {
    const { db, sqlite, groupCommit, seenOutside } = await openDatabase();
    await createBill(db, 'B001', 100);
    await createBill(db, 'B002', 200);
    // What SQLite does on an I/O error or a full disk: the whole transaction is rolled back under the gateway.
    sqlite.exec('ROLLBACK');
    await expect(groupCommit.durable()).rejects.toBeInstanceOf(LostTransactionError);
    expect(seenOutside()).toEqual(['B001']);
    // Later writes are not acknowledged either: the gateway must restart (which keeps what was committed).
    await createBill(db, 'B003', 300);
    await expect(groupCommit.durable()).rejects.toBeInstanceOf(LostTransactionError);
  });
});

describe('read turns', () => {
  const billNos = (db: Kysely<Tables>) =>
    db
      .selectFrom('bill')
      .select('bill_no')
      .orderBy('bill_no')
      .execute()
      .then((rows) => rows.map((row) => row.bill_no));

  it('runs the reads of one event-loop turn in one read transaction, ended with the turn', async () => {
    const { db, sqlite, shared } = await openDatabase();
    await createBill(db, 'B001', 100);
    await nextTurn();
    const turnsBefore = shared.readTurns;
    const answers = await Promise.all(Array.from({ length: 10 }, () => billNos(db)));
    expect(answers).toEqual(Array.from({ length: 10 }, () => ['B001']));
    expect(shared.readTurns - turnsBefore).toBe(1);
    expect(sqlite.inTransaction).toBe(true);
    await nextTurn();
    expect(sqlite.inTransaction).toBe(false);
  });

  it('sees in the next turn what another process committed meanwhile', async () => {
    const { db, file } = await openDatabase();
    const write = otherWriter(file);
    expect(await billNos(db)).toEqual([]);
    write('X001');
    // Same turn: the read turn's snapshot.
    expect(await billNos(db)).toEqual([]);
    await nextTurn();
    expect(await billNos(db)).toEqual(['X001']);
  });

  it('ends before a unit of work begins, so the unit writes on a fresh snapshot', async () => {
    const { db, file, groupCommit, seenOutside } = await openDatabase();
    const write = otherWriter(file);
    expect(await billNos(db)).toEqual([]);
    // Another process commits after this turn's read began: a write on the read's snapshot would be refused
    // (SQLITE_BUSY_SNAPSHOT).
    write('X001');
    await createBill(db, 'B001', 100);
    await groupCommit.durable();
    expect(seenOutside()).toEqual(['B001', 'X001']);
  });

  it('ends before a write outside any unit', async () => {
    const { db, file, groupCommit, seenOutside } = await openDatabase();
    const write = otherWriter(file);
    expect(await billNos(db)).toEqual([]);
    write('X001');
    await db.insertInto('bill').values({ id: 'id-B001', bill_no: 'B001', total_fee: 100 }).execute();
    await groupCommit.durable();
    expect(seenOutside()).toEqual(['B001', 'X001']);
  });

  it('is not begun inside a unit or an open shared transaction', async () => {
    const { db, sqlite, shared } = await openDatabase();
    await createBill(db, 'B001', 100);
    // The first unit's fsync runs: the second unit's writes wait in the open shared transaction.
    await createBill(db, 'B002', 200);
    const turnsBefore = shared.readTurns;
    expect(await billNos(db)).toEqual(['B001', 'B002']);
    await db.transaction().execute((tx) => tx.selectFrom('bill').select('id').execute());
    expect(shared.readTurns).toBe(turnsBefore);
    expect(sqlite.inTransaction).toBe(true);
  });
});
