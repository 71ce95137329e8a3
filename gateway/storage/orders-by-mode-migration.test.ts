/**
 * Migration 101_orders_by_mode on a database written before it (orders keyed (app_id, bill_no)): every bill and
 * refund is kept, an order whose attempts were made in both modes becomes one order per mode (paid only in the
 * mode of its paid attempt), and the upgraded store works.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { runMigrations } from './migrate.ts';
import { gatewayMigrations } from './migrations.ts';
import { openSqliteStore } from './store.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('migration 101_orders_by_mode', () => {
  it('splits an order by mode and keeps every bill and refund', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spay-orders-by-mode-'));
    dirs.push(dir);
    const file = join(dir, 'gateway.sqlite');
    const before = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(file) }) });
    const { '001_initial': initial, '100_refunds': refunds } = gatewayMigrations;
    await runMigrations(before, { '001_initial': initial!, '100_refunds': refunds! });
    await before.destroy();

    const raw = new Database(file);
    raw
      .prepare(`INSERT INTO apps VALUES ('app1','shop','a','m','t','w','live','','','["ali"]','{}',1,1)`)
      .run();
    const order = raw.prepare(`INSERT INTO orders VALUES ('app1', ?, 'title', 100, ?, ?, 1)`);
    order.run('B1', 'paid', 'live-paid');
    order.run('B2', 'open', null);
    const bill = raw.prepare(
      `INSERT INTO bills (id, app_id, bill_no, mode, channel, sub_channel, title, total_fee, status, spay_result,
         create_time, refund_required, version) VALUES (?, 'app1', ?, ?, 'ALI', 'ALI_WEB', 'title', 100, ?, ?, 1, 0, 0)`,
    );
    bill.run('live-paid', 'B1', 'live', 'paid', 1);
    bill.run('test-open', 'B1', 'test', 'open', 0);
    raw
      .prepare(
        `INSERT INTO refunds (id, app_id, bill_id, bill_no, refund_no, mode, channel, sub_channel, title, total_fee,
           refund_fee, status, need_approval, late_payment, create_time, update_time)
         VALUES ('r1', 'app1', 'live-paid', 'B1', '20261201001', 'live', 'ALI', 'ALI_WEB', 'title', 100, 100,
           'succeeded', 0, 0, 1, 1)`,
      )
      .run();
    raw.close();

    const store = await openSqliteStore(dir);
    try {
      expect(await store.bills.findOrder('app1', 'live', 'B1')).toMatchObject({
        status: 'paid',
        paidBillId: 'live-paid',
      });
      expect(await store.bills.findOrder('app1', 'test', 'B1')).toMatchObject({
        status: 'open',
        paidBillId: null,
      });
      // An order without attempts takes its app's mode.
      expect(await store.bills.findOrder('app1', 'live', 'B2')).toMatchObject({ status: 'open' });
      expect(await store.bills.findOrder('app1', 'test', 'B2')).toBeUndefined();
      expect(await store.bills.findBill('test-open')).toMatchObject({ status: 'open', reconcileCount: 0 });
      expect(await store.bills.findBill('live-paid')).toMatchObject({ status: 'paid', spayResult: true });
      expect(await store.refunds.findById('r1')).toMatchObject({ status: 'succeeded', billId: 'live-paid' });
      // Open attempts are due for reconciliation at once.
      expect((await store.bills.dueForReconciliation(Date.now(), 10)).map((b) => b.id)).toEqual([
        'test-open',
      ]);
    } finally {
      await store.close();
    }
  });
});
