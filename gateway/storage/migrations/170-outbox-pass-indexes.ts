/**
 * Migration 170_outbox_pass_indexes (issue 15): what the webhook dispatcher reads at each pass costs what it takes,
 * not the size of the backlog.
 *
 * `webhook_outbox_pending_by_target` (app_id, target_url, next_attempt_at, id), pending deliveries only: a pass reads
 * at most so many due deliveries of each app's receiver URL (`OutboxStore.due`). It ranked every due row with a window
 * function (row_number over app and URL) and kept the first ones: each pass read the whole backlog, bodies and all —
 * 6 ms a pass with 6,000 webhooks waiting on SQLite (370 ms with 100,000), on the event loop, for the 64 rows it took.
 * Now it walks from one receiver to the next, one index seek each, and reads just the rows it takes from each.
 *
 * `webhook_outbox_leases` (lease_until), pending deliveries with a lease only (those being sent, and those whose
 * instance died): when the next pass is due includes the end of the earliest lease still running
 * (`OutboxStore.nextDueAfter`), which read every pending row's lease (0.5 ms a pass with 6,000 waiting).
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const m170_outbox_pass_indexes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('webhook_outbox_pending_by_target')
      .on('webhook_outbox')
      .columns(['app_id', 'target_url', 'next_attempt_at', 'id'])
      .where(sql.ref('status'), '=', 'pending')
      .execute();
    await db.schema
      .createIndex('webhook_outbox_leases')
      .on('webhook_outbox')
      .column('lease_until')
      .where((eb) =>
        eb.and([eb(sql.ref('status'), '=', 'pending'), eb(sql.ref('lease_until'), 'is not', null)]),
      )
      .execute();
  },
};
