/**
 * Numbered schema migrations, written with Kysely's schema builder so they run on SQLite and PostgreSQL (one
 * history; a migration branches on `engineOf(db)` only where the engines differ). Column types stay portable:
 * money and times `bigint`, booleans 0/1 `integer`, JSON `text`. Never edit a released migration: add the next
 * number.
 */
import type { Kysely, Migration } from 'kysely';
import { engineOf } from './dialect.ts';
import { m100_refunds } from './migrations/100-refunds.ts';
import { m101_orders_by_mode } from './migrations/101-orders-by-mode.ts';
import { m102_app_security } from './migrations/102-app-security.ts';
import { m103_outbox_leases } from './migrations/103-outbox-leases.ts';
import { m120_transfers } from './migrations/120-transfers.ts';
import { m140_international } from './migrations/140-international.ts';
import { m150_paid_bills_index } from './migrations/150-paid-bills-index.ts';
import { m160_partial_sweep_indexes } from './migrations/160-partial-sweep-indexes.ts';
import { m170_outbox_pass_indexes } from './migrations/170-outbox-pass-indexes.ts';
import { m110_console } from './migrations/110-console.ts';
import { m130_users_coupons } from './migrations/130-users-coupons.ts';
import { m135_subscriptions } from './migrations/135-subscriptions.ts';

const m001_initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('apps')
      .addColumn('app_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('app_secret', 'text', (c) => c.notNull())
      .addColumn('master_secret', 'text', (c) => c.notNull())
      .addColumn('test_secret', 'text', (c) => c.notNull())
      .addColumn('webhook_secret', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('webhook_url', 'text', (c) => c.notNull())
      .addColumn('live_webhook_url', 'text', (c) => c.notNull())
      .addColumn('channels', 'text', (c) => c.notNull())
      .addColumn('channel_settings', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('orders')
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.app_id'))
      .addColumn('bill_no', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('total_fee', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('paid_bill_id', 'text')
      .addColumn('create_time', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('orders_pk', ['app_id', 'bill_no'])
      .execute();

    await db.schema
      .createTable('bills')
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
      .addForeignKeyConstraint('bills_order_fk', ['app_id', 'bill_no'], 'orders', ['app_id', 'bill_no'])
      .execute();
    await db.schema.createIndex('bills_by_order').on('bills').columns(['app_id', 'bill_no']).execute();
    await db.schema.createIndex('bills_by_app_time').on('bills').columns(['app_id', 'create_time']).execute();
    await db.schema.createIndex('bills_open_expiry').on('bills').columns(['status', 'expires_at']).execute();

    await db.schema
      .createTable('webhook_outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('bill_id', 'text')
      .addColumn('refund_id', 'text')
      .addColumn('transaction_type', 'text', (c) => c.notNull())
      .addColumn('transaction_id', 'text', (c) => c.notNull())
      .addColumn('target_url', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempt_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('delivered_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('webhook_outbox_due')
      .on('webhook_outbox')
      .columns(['status', 'next_attempt_at'])
      .execute();

    await db.schema
      .createTable('webhook_attempts')
      .addColumn('id', engineOf(db) === 'postgres' ? 'serial' : 'integer', (c) =>
        engineOf(db) === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('outbox_id', 'text', (c) => c.notNull().references('webhook_outbox.id'))
      .addColumn('attempted_at', 'bigint', (c) => c.notNull())
      .addColumn('http_status', 'integer')
      .addColumn('latency_ms', 'integer', (c) => c.notNull())
      .addColumn('response_excerpt', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .execute();
    await db.schema
      .createIndex('webhook_attempts_by_outbox')
      .on('webhook_attempts')
      .column('outbox_id')
      .execute();
  },
};

/** Every migration by name; names sort in the order they run. */
export const gatewayMigrations: Record<string, Migration> = {
  '001_initial': m001_initial,
  '100_refunds': m100_refunds,
  '101_orders_by_mode': m101_orders_by_mode,
  '102_app_security': m102_app_security,
  '103_outbox_leases': m103_outbox_leases,
  '110_console': m110_console,
  '120_transfers': m120_transfers,
  '130_users_coupons': m130_users_coupons,
  '135_subscriptions': m135_subscriptions,
  '140_international': m140_international,
  '150_paid_bills_index': m150_paid_bills_index,
  '160_partial_sweep_indexes': m160_partial_sweep_indexes,
  '170_outbox_pass_indexes': m170_outbox_pass_indexes,
};
