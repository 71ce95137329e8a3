/**
 * Migration 130_users_coupons: the merchant's users (商家用户) and coupons (卡券).
 * - `merchant_users`: one row per (app, mode, buyer_id), with the merchant account it was registered under.
 * - `coupon_templates`: what a coupon is worth (fixed fen off or a rate in permille), its threshold, validity,
 *   counts and status (0 not started, 1 active, -1 stopped; only forward).
 * - `coupons`: one issued coupon of a template for a user; `status` 0 unused, 1 used; while used by an order that
 *   is not paid yet, `order_bill_no` names it (`paid_bill_id` once paid).
 * - `bill_extras` gains `bill_fee` (the order's amount before the coupon) and `discount` (fen).
 */
import type { Kysely, Migration } from 'kysely';

export const m130_users_coupons: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('merchant_users')
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('buyer_id', 'text', (c) => c.notNull())
      .addColumn('merchant', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('merchant_users_pk', ['app_id', 'mode', 'buyer_id'])
      .execute();
    await db.schema
      .createIndex('merchant_users_by_time')
      .on('merchant_users')
      .columns(['app_id', 'mode', 'created_at'])
      .execute();

    await db.schema
      .createTable('coupon_templates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('type', 'integer', (c) => c.notNull())
      .addColumn('limit_fee', 'bigint', (c) => c.notNull())
      .addColumn('discount_fee', 'bigint', (c) => c.notNull())
      .addColumn('rate_permille', 'integer', (c) => c.notNull())
      .addColumn('total_count', 'integer', (c) => c.notNull())
      .addColumn('max_count_per_user', 'integer', (c) => c.notNull())
      .addColumn('deliver_count', 'integer', (c) => c.notNull())
      .addColumn('use_count', 'integer', (c) => c.notNull())
      .addColumn('expiry_type', 'integer', (c) => c.notNull())
      .addColumn('start_time', 'bigint')
      .addColumn('end_time', 'bigint')
      .addColumn('delivery_valid_days', 'integer', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('mch_account', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('coupon_templates_by_app')
      .on('coupon_templates')
      .columns(['app_id', 'mode', 'created_at'])
      .execute();

    await db.schema
      .createTable('coupons')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('template_id', 'text', (c) => c.notNull().references('coupon_templates.id'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('start_time', 'bigint')
      .addColumn('end_time', 'bigint')
      .addColumn('order_bill_no', 'text')
      .addColumn('paid_bill_id', 'text')
      .addColumn('use_time', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('coupons_by_user')
      .on('coupons')
      .columns(['app_id', 'mode', 'user_id'])
      .execute();
    await db.schema
      .createIndex('coupons_by_template')
      .on('coupons')
      .columns(['template_id', 'user_id'])
      .execute();
    await db.schema
      .createIndex('coupons_by_order')
      .on('coupons')
      .columns(['app_id', 'mode', 'order_bill_no'])
      .execute();

    await db.schema.alterTable('bill_extras').addColumn('bill_fee', 'bigint').execute();
    await db.schema.alterTable('bill_extras').addColumn('discount', 'bigint').execute();
    await db.schema.createIndex('bill_extras_by_buyer').on('bill_extras').column('buyer_id').execute();
  },
};
