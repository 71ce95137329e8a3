/**
 * Migration 120_transfers: transfers (打款) and the sandbox's transfer balances.
 * - `transfers`: one row per transfer (single, bank card, or one item of an Alipay batch); a transfer_no is unique
 *   per (app, mode) among single and card transfers (`batch_no` ''), and per batch among a batch's items.
 * - `transfer_balances`: what an app may still transfer in one mode, taken by a conditional update (never below 0).
 */
import type { Kysely, Migration } from 'kysely';

export const m120_transfers: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('transfers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('transfer_no', 'text', (c) => c.notNull())
      .addColumn('batch_no', 'text', (c) => c.notNull())
      .addColumn('batch_seq', 'integer', (c) => c.notNull())
      .addColumn('total_fee', 'bigint', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('receiver_account', 'text', (c) => c.notNull())
      .addColumn('receiver_name', 'text')
      .addColumn('account_name', 'text')
      .addColumn('redpack', 'text')
      .addColumn('card', 'text')
      .addColumn('optional', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('message', 'text')
      .addColumn('trade_no', 'text')
      .addColumn('confirm_token', 'text')
      .addColumn('settle_at', 'bigint')
      .addColumn('create_time', 'bigint', (c) => c.notNull())
      .addColumn('finish_time', 'bigint')
      .execute();
    await db.schema
      .createIndex('transfers_by_no')
      .on('transfers')
      .columns(['app_id', 'mode', 'batch_no', 'transfer_no'])
      .unique()
      .execute();
    await db.schema
      .createIndex('transfers_by_app_time')
      .on('transfers')
      .columns(['app_id', 'mode', 'create_time'])
      .execute();
    await db.schema.createIndex('transfers_due').on('transfers').columns(['status', 'settle_at']).execute();
    await db.schema.createIndex('transfers_by_token').on('transfers').column('confirm_token').execute();

    await db.schema
      .createTable('transfer_balances')
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('balance', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('transfer_balances_pk', ['app_id', 'mode'])
      .execute();
  },
};
