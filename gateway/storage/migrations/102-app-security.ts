/**
 * Migration 102_app_security (issue 21, items 5, 6, 9, 10):
 * - apps: `button_sign` and `request_sign` ('legacy_allowed' | 'v2_required': whether the app still accepts the
 *   legacy md5 signs), `allowed_origins` (JSON array of the shop's origins: CORS of bill creation, OAuth targets);
 * - seen_signatures: legacy signs of money-moving requests and v2 request nonces already used, until they expire
 *   (the timestamp window), so a replay is refused on any instance sharing the store;
 * - duplicate_payments: a second payment (another channel trade number) for an attempt already paid, kept to
 *   be refunded.
 */
import type { Kysely, Migration } from 'kysely';

export const m102_app_security: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('apps')
      .addColumn('button_sign', 'text', (c) => c.notNull().defaultTo('legacy_allowed'))
      .execute();
    await db.schema
      .alterTable('apps')
      .addColumn('request_sign', 'text', (c) => c.notNull().defaultTo('legacy_allowed'))
      .execute();
    await db.schema
      .alterTable('apps')
      .addColumn('allowed_origins', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();

    await db.schema
      .createTable('seen_signatures')
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('seen_signatures_pk', ['app_id', 'kind', 'fingerprint'])
      .execute();
    await db.schema
      .createIndex('seen_signatures_expiry')
      .on('seen_signatures')
      .column('expires_at')
      .execute();

    await db.schema
      .createTable('duplicate_payments')
      .addColumn('bill_id', 'text', (c) => c.notNull().references('bills.id'))
      .addColumn('trade_no', 'text', (c) => c.notNull())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('total_fee', 'bigint', (c) => c.notNull())
      .addColumn('channel_detail', 'text')
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('refund_required', 'integer', (c) => c.notNull().defaultTo(1))
      .addPrimaryKeyConstraint('duplicate_payments_pk', ['bill_id', 'trade_no'])
      .execute();
  },
};
