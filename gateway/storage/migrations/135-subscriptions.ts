/**
 * Migration 135_subscriptions: BeeCloud's subscription system (core/subscriptions.ts).
 * - `subscription_plans`: a merchant's plans per (app, mode); a deleted plan keeps its row (`valid` 0).
 * - `sms_passcodes`: SMS passcodes (`sms_id`), their code as a SHA-256 hash, expiry, tries and use.
 * - `subscription_cards`: the cards subscribers registered (`card_id`), card number / id number / mobile sealed.
 * - `subscriptions`: one row per subscription; `next_charge_at` + `next_period` drive the scheduler.
 * - `subscription_charges`: one row per subscription and period (unique), so a period is never charged twice.
 */
import type { Kysely, Migration } from 'kysely';

export const m135_subscriptions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('subscription_plans')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('fee', 'bigint', (c) => c.notNull())
      .addColumn('period_unit', 'text', (c) => c.notNull())
      .addColumn('period_count', 'integer', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('trial_days', 'integer', (c) => c.notNull())
      .addColumn('optional', 'text')
      .addColumn('valid', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('subscription_plans_by_app')
      .on('subscription_plans')
      .columns(['app_id', 'mode', 'created_at'])
      .execute();

    await db.schema
      .createTable('sms_passcodes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addColumn('tries', 'integer', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('subscription_cards')
      .addColumn('card_id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('bank_name', 'text', (c) => c.notNull())
      .addColumn('card_no', 'text', (c) => c.notNull())
      .addColumn('id_name', 'text', (c) => c.notNull())
      .addColumn('id_no', 'text', (c) => c.notNull())
      .addColumn('mobile', 'text', (c) => c.notNull())
      .addColumn('last4', 'text', (c) => c.notNull())
      .addColumn('verified', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('subscriptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('buyer_id', 'text', (c) => c.notNull())
      .addColumn('plan_id', 'text', (c) => c.notNull())
      .addColumn('card_id', 'text', (c) => c.notNull())
      .addColumn('bank_name', 'text', (c) => c.notNull())
      .addColumn('last4', 'text', (c) => c.notNull())
      .addColumn('amount', 'text', (c) => c.notNull())
      .addColumn('trial_end', 'bigint')
      .addColumn('optional', 'text')
      .addColumn('coupon_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('valid', 'integer', (c) => c.notNull())
      .addColumn('review_at', 'bigint')
      .addColumn('cancel_at_period_end', 'integer', (c) => c.notNull())
      .addColumn('next_charge_at', 'bigint')
      .addColumn('next_period', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('subscriptions_by_app')
      .on('subscriptions')
      .columns(['app_id', 'mode', 'created_at'])
      .execute();
    await db.schema
      .createIndex('subscriptions_due')
      .on('subscriptions')
      .columns(['status', 'next_charge_at'])
      .execute();
    await db.schema.createIndex('subscriptions_in_review').on('subscriptions').column('review_at').execute();

    await db.schema
      .createTable('subscription_charges')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('subscription_id', 'text', (c) => c.notNull())
      .addColumn('period', 'integer', (c) => c.notNull())
      .addColumn('period_start', 'bigint', (c) => c.notNull())
      .addColumn('fee', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('tries', 'integer', (c) => c.notNull())
      .addColumn('next_try_at', 'bigint')
      .addColumn('message', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('subscription_charges_once')
      .on('subscription_charges')
      .columns(['subscription_id', 'period'])
      .unique()
      .execute();
    await db.schema
      .createIndex('subscription_charges_due')
      .on('subscription_charges')
      .columns(['status', 'next_try_at'])
      .execute();
  },
};
