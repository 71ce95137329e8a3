import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { runCompiledOnce } from './compiled-once.ts';

interface Tables {
  orders: { bill_no: string; total_fee: number; title: string | null; status: string };
}

const opened: Array<Kysely<Tables>> = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
});

function ordersDb(): Kysely<Tables> {
  const sqlite = new Database(':memory:');
  sqlite.exec(
    'create table orders (bill_no text primary key, total_fee integer not null, title text, status text not null)',
  );
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
  opened.push(db);
  return db;
}

async function insertOrder(
  db: Kysely<Tables>,
  name: string,
  billNo: string,
  totalFee: number,
  title?: string,
) {
  const row = { bill_no: billNo, total_fee: totalFee, title, status: 'open' };
  const result = await runCompiledOnce(db, name, row, (values) =>
    db
      .insertInto('orders')
      .values(values)
      .onConflict((oc) => oc.doNothing())
      .returningAll(),
  );
  return result.rows;
}

describe('a statement compiled once', () => {
  it('stores each call’s own values with the SQL kept from the first call', async () => {
    const db = ordersDb();
    expect(await insertOrder(db, 'test:insertOrder', 'order-1', 100, 'coffee')).toEqual([
      { bill_no: 'order-1', total_fee: 100, title: 'coffee', status: 'open' },
    ]);
    expect(await insertOrder(db, 'test:insertOrder', 'order-2', 2500, 'tea')).toEqual([
      { bill_no: 'order-2', total_fee: 2500, title: 'tea', status: 'open' },
    ]);
    // A duplicate inserts nothing (the kept SQL is the whole statement, its conflict clause too).
    expect(await insertOrder(db, 'test:insertOrder', 'order-1', 999, 'other')).toEqual([]);
    const stored = await db.selectFrom('orders').selectAll().orderBy('bill_no').execute();
    expect(stored.map((order) => [order.bill_no, order.total_fee, order.title])).toEqual([
      ['order-1', 100, 'coffee'],
      ['order-2', 2500, 'tea'],
    ]);
  });

  it('stores an undefined value as NULL, before and after the SQL is kept', async () => {
    const db = ordersDb();
    await insertOrder(db, 'test:insertOrderNoTitle', 'order-1', 100);
    await insertOrder(db, 'test:insertOrderNoTitle', 'order-2', 200, 'tea');
    await insertOrder(db, 'test:insertOrderNoTitle', 'order-3', 300);
    const stored = await db.selectFrom('orders').select(['bill_no', 'title']).orderBy('bill_no').execute();
    expect(stored).toEqual([
      { bill_no: 'order-1', title: null },
      { bill_no: 'order-2', title: 'tea' },
      { bill_no: 'order-3', title: null },
    ]);
  });

  it('refuses a builder whose parameters are not the row’s values in order', async () => {
    const db = ordersDb();
    const row = { bill_no: 'order-1', total_fee: 100, title: 'coffee', status: 'open' };
    await expect(
      runCompiledOnce(db, 'test:reordered', row, (values) =>
        db.insertInto('orders').values({
          total_fee: values.total_fee,
          bill_no: values.bill_no,
          title: values.title,
          status: values.status,
        }),
      ),
    ).rejects.toThrow(/test:reordered: the query builder's parameters are not the row's values in order/);
    expect(await db.selectFrom('orders').selectAll().execute()).toEqual([]);
  });
});
