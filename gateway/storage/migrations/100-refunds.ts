/**
 * Migration 100_refunds (a core migration since the refunds moved into the core): the refunds table (one row per refund or pre-refund) and bill_extras (buyer_id, coupon_id and
 * analysis of REST payments). A refund_no is unique per app except among denied pre-refunds, so a denied
 * refund request may be made again with the same number, as BeeCloud allowed.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const m100_refunds: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('refunds')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.app_id'))
      .addColumn('bill_id', 'text', (c) => c.notNull().references('bills.id'))
      .addColumn('bill_no', 'text', (c) => c.notNull())
      .addColumn('refund_no', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('sub_channel', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('total_fee', 'bigint', (c) => c.notNull())
      .addColumn('refund_fee', 'bigint', (c) => c.notNull())
      .addColumn('optional', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('need_approval', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('deny_reason', 'text')
      .addColumn('late_payment', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('channel_refund_no', 'text')
      .addColumn('channel_detail', 'text')
      .addColumn('create_time', 'bigint', (c) => c.notNull())
      .addColumn('update_time', 'bigint', (c) => c.notNull())
      .addColumn('finish_time', 'bigint')
      .execute();
    await db.schema
      .createIndex('refunds_unique_refund_no')
      .unique()
      .on('refunds')
      .columns(['app_id', 'refund_no'])
      .where(sql.ref('status'), '<>', 'denied')
      .execute();
    await db.schema.createIndex('refunds_by_bill').on('refunds').columns(['bill_id', 'status']).execute();
    await db.schema
      .createIndex('refunds_by_app_time')
      .on('refunds')
      .columns(['app_id', 'create_time'])
      .execute();
    await db.schema.createIndex('refunds_by_status').on('refunds').columns(['status']).execute();

    await db.schema
      .createTable('bill_extras')
      .addColumn('bill_id', 'text', (c) => c.primaryKey().references('bills.id'))
      .addColumn('buyer_id', 'text')
      .addColumn('coupon_id', 'text')
      .addColumn('analysis', 'text')
      .execute();
  },
};
