import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.ts';

interface Tables {
  bill: { id: string; total_fee: number };
}

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const database of open.splice(0)) database.close();
});

function cachedDatabase(capacity?: number, onWrite?: () => void) {
  const sqlite = new Database(':memory:');
  sqlite.exec('create table bill (id text primary key, total_fee integer not null)');
  const cached = withStatementCache(sqlite, { capacity, onWrite });
  open.push(cached);
  return { sqlite, cached };
}

describe('the prepared statement cache', () => {
  it('prepares a query shape once and runs it again with other values through Kysely', async () => {
    const { cached } = cachedDatabase();
    const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: cached }) });
    for (let i = 0; i < 20; i += 1)
      await db
        .insertInto('bill')
        .values({ id: `b${i}`, total_fee: i })
        .execute();
    const rows = await db.selectFrom('bill').selectAll().where('total_fee', '>=', 18).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'b18', total_fee: 18 },
      { id: 'b19', total_fee: 19 },
    ]);
    const one = await db.selectFrom('bill').select('total_fee').where('id', '=', 'b7').executeTakeFirst();
    expect(one).toEqual({ total_fee: 7 });
    // One insert shape (prepared once, run 20 times) and two selects.
    expect(cached.stats()).toMatchObject({ prepared: 3, hits: 19, size: 3 });
    const updated = await db
      .updateTable('bill')
      .set({ total_fee: 1 })
      .where('id', '=', 'b2')
      .executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(1n);
  });

  it('tells of every statement that writes or commits as it is handed out, not of reads', async () => {
    let writes = 0;
    const { cached } = cachedDatabase(undefined, () => (writes += 1));
    const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: cached }) });
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('bill').values({ id: 'a', total_fee: 1 }).execute();
      await tx.selectFrom('bill').selectAll().execute();
    });
    // The insert and the commit (begin and the select are read-only).
    expect(writes).toBe(2);
    await db.insertInto('bill').values({ id: 'b', total_fee: 2 }).returningAll().execute();
    await db.deleteFrom('bill').where('id', '=', 'a').execute();
    await db.selectFrom('bill').select('id').execute();
    expect(writes).toBe(4);
  });

  it('keeps at most `capacity` statements, dropping the least recently used', () => {
    const { cached } = cachedDatabase(2);
    const a = cached.prepare('select 1');
    cached.prepare('select 2');
    expect(cached.prepare('select 1')).toBe(a);
    cached.prepare('select 3'); // drops `select 2`, used less recently than `select 1`
    expect(cached.prepare('select 1')).toBe(a);
    const before = cached.stats().prepared;
    cached.prepare('select 2');
    expect(cached.stats()).toMatchObject({ prepared: before + 1, size: 2 });
  });

  it('prepares a fresh statement while the cached one is still being iterated', () => {
    const { cached } = cachedDatabase();
    cached.prepare('insert into bill values (?, ?)').run(['x', 1]);
    cached.prepare('insert into bill values (?, ?)').run(['y', 2]);
    const iterating = cached.prepare('select id from bill order by id');
    const rows = iterating.iterate([]);
    expect(rows.next().value).toEqual({ id: 'x' });
    const second = cached.prepare('select id from bill order by id');
    expect(second).not.toBe(iterating);
    expect(second.all([])).toEqual([{ id: 'x' }, { id: 'y' }]);
    expect(rows.next().value).toEqual({ id: 'y' });
    rows.return?.();
    expect(cached.prepare('select id from bill order by id')).toBe(iterating);
  });
});
