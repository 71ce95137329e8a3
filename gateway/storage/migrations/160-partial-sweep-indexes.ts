/**
 * Migration 160_partial_sweep_indexes (issue 15): the three indexes the background sweeps read hold only the bills
 * they look for, and `bills_by_app_time`, which no read needed, is gone.
 *
 * `bills_reconcile` (the reconciliation of live attempts: `reconcile_at is not null and reconcile_at <= now`) held
 * every bill, a test-mode or sandbox bill with a NULL; `bills_close_pending` held every bill's
 * `channel_close_pending`, 0 for all but the few closed attempts still to close at their channel. A bill creation
 * wrote both (two more B-trees, their pages written to the WAL at each commit): measured on SQLite alone, a bill and
 * its order inserted 10 to a transaction cost 86–106 µs before, 63–73 µs with the reconciliation and close indexes partial. Now a bill
 * is in `bills_reconcile` only while it is open with a reconciliation time (the sweep reads it in `reconcile_at`
 * order; it used to read every open bill by `bills_open_expiry` and sort them), `bills_open_expiry` only while it
 * is open with an expiry (by `expires_at` alone: a paid or closed bill leaves it), and `bills_close_pending` — by `reconcile_at`, the
 * order its sweep reads in — only while a close at its channel is pending.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const m160_partial_sweep_indexes: Migration = {
  async up(db: Kysely<unknown>) {
    // Every read of bills by app names its mode too: `bills_by_app_mode_time` (app_id, mode, create_time, id)
    // answers them all, and this one was only written.
    await db.schema.dropIndex('bills_by_app_time').execute();
    await db.schema.dropIndex('bills_open_expiry').execute();
    await db.schema
      .createIndex('bills_open_expiry')
      .on('bills')
      .column('expires_at')
      .where((eb) => eb.and([eb(sql.ref('status'), '=', 'open'), eb(sql.ref('expires_at'), 'is not', null)]))
      .execute();
    await db.schema.dropIndex('bills_reconcile').execute();
    await db.schema
      .createIndex('bills_reconcile')
      .on('bills')
      .column('reconcile_at')
      .where((eb) =>
        eb.and([eb(sql.ref('status'), '=', 'open'), eb(sql.ref('reconcile_at'), 'is not', null)]),
      )
      .execute();
    await db.schema.dropIndex('bills_close_pending').execute();
    await db.schema
      .createIndex('bills_close_pending')
      .on('bills')
      .column('reconcile_at')
      .where(sql.ref('channel_close_pending'), '=', 1)
      .execute();
  },
};
