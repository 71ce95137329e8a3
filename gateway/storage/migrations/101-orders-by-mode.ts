/**
 * Migration 101_orders_by_mode: orders are keyed `(app_id, mode, bill_no)` (a test order can never claim or join a
 * live order with the same bill_no), and bills gain what the core's reconciliation and notice handling keep:
 * `flagged_notice` (a verified payment whose amount differed), `channel_close_pending`, `reconcile_at`,
 * `reconcile_count`. SQLite cannot change a primary key or a foreign key in place, so both tables are rebuilt
 * (copy, drop, rename) — inside the migration's transaction, with foreign keys checked before it commits.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const m101_orders_by_mode: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('orders_by_mode')
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.app_id'))
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('bill_no', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('total_fee', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('paid_bill_id', 'text')
      .addColumn('create_time', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('orders_by_mode_pk', ['app_id', 'mode', 'bill_no'])
      .execute();
    // One order per mode its attempts were made in (an old order may hold attempts of both modes); an order
    // without attempts takes its app's mode. It is paid in a mode only if its paid attempt is of that mode.
    await sql`
      INSERT INTO orders_by_mode (app_id, mode, bill_no, title, total_fee, status, paid_bill_id, create_time)
      SELECT o.app_id, m.mode, o.bill_no, o.title, o.total_fee,
             CASE WHEN p.id IS NOT NULL THEN 'paid' ELSE 'open' END,
             p.id, o.create_time
      FROM orders o
      JOIN (
        SELECT DISTINCT app_id, bill_no, mode FROM bills
        UNION
        SELECT o2.app_id, o2.bill_no, a.mode FROM orders o2 JOIN apps a ON a.app_id = o2.app_id
        WHERE NOT EXISTS (SELECT 1 FROM bills b WHERE b.app_id = o2.app_id AND b.bill_no = o2.bill_no)
      ) m ON m.app_id = o.app_id AND m.bill_no = o.bill_no
      LEFT JOIN bills p ON p.id = o.paid_bill_id AND p.mode = m.mode
    `.execute(db);

    await db.schema
      .createTable('bills_by_mode')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('bill_no', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('sub_channel', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('total_fee', 'bigint', (c) => c.notNull())
      .addColumn('return_url', 'text')
      .addColumn('notify_url', 'text')
      .addColumn('optional', 'text')
      .addColumn('openid', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('spay_result', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('trade_no', 'text')
      .addColumn('channel_detail', 'text')
      .addColumn('create_time', 'bigint', (c) => c.notNull())
      .addColumn('paid_time', 'bigint')
      .addColumn('closed_time', 'bigint')
      .addColumn('expires_at', 'bigint')
      .addColumn('refund_required', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('flagged_notice', 'text')
      .addColumn('channel_close_pending', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reconcile_at', 'bigint')
      .addColumn('reconcile_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addForeignKeyConstraint('bills_order_fk', ['app_id', 'mode', 'bill_no'], 'orders', [
        'app_id',
        'mode',
        'bill_no',
      ])
      .execute();
    // Open attempts are asked about at once by the first reconciliation pass after the upgrade.
    await sql`
      INSERT INTO bills_by_mode
      SELECT id, app_id, bill_no, mode, channel, sub_channel, title, total_fee, return_url, notify_url, optional,
             openid, status, spay_result, trade_no, channel_detail, create_time, paid_time, closed_time, expires_at,
             refund_required, version, NULL, 0, CASE WHEN status = 'open' THEN create_time ELSE NULL END, 0
      FROM bills
    `.execute(db);

    await db.schema.dropTable('bills').execute();
    await db.schema.dropTable('orders').execute();
    await db.schema.alterTable('orders_by_mode').renameTo('orders').execute();
    await db.schema.alterTable('bills_by_mode').renameTo('bills').execute();
    await db.schema
      .createIndex('bills_by_order')
      .on('bills')
      .columns(['app_id', 'mode', 'bill_no'])
      .execute();
    await db.schema.createIndex('bills_by_app_time').on('bills').columns(['app_id', 'create_time']).execute();
    await db.schema.createIndex('bills_open_expiry').on('bills').columns(['status', 'expires_at']).execute();
    await db.schema.createIndex('bills_reconcile').on('bills').columns(['reconcile_at']).execute();
    await db.schema
      .createIndex('bills_close_pending')
      .on('bills')
      .columns(['channel_close_pending'])
      .execute();
  },
};
