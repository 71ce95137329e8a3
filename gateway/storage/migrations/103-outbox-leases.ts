/**
 * Migration 103_outbox_leases: a webhook delivery is leased by the dispatcher that sends it (`leased_by`, until
 * `lease_until`, ms), so several gateway instances drain one outbox without sending a webhook twice at the same
 * moment, and the leases of an instance that died run out and are taken by the others.
 */
import type { Kysely, Migration } from 'kysely';

export const m103_outbox_leases: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('webhook_outbox').addColumn('lease_until', 'bigint').execute();
    await db.schema.alterTable('webhook_outbox').addColumn('leased_by', 'text').execute();
  },
};
