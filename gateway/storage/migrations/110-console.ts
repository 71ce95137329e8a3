/**
 * Migration 110_console (issue 14, the merchant console):
 * - console_operators: who may sign in to the console (argon2id password hashes; created by `npm run admin`);
 * - console_sessions: signed-in sessions, keyed by the SHA-256 of the cookie's value (never the value itself),
 *   with their idle (`last_seen_at`) and absolute (`expires_at`) ends;
 * - console_signin_failures: failed sign-ins per account and per IP in the current window (throttling shared by
 *   every instance on the database);
 * - console_audit: who changed what and when, written in the transaction of the change;
 * - apps.retired_secrets: JSON array of previous secrets still accepted until their grace ends
 *   (`[{ kind: "app"|"master"|"test", value, validUntil }]`), and apps.secrets_rotated_at (JSON `{ kind: ms }`).
 */
import type { Kysely, Migration } from 'kysely';
import { engineOf } from '../dialect.ts';

export const m110_console: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('console_operators')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_signin_at', 'bigint')
      .execute();

    await db.schema
      .createTable('console_sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('operator_id', 'text', (c) => c.notNull().references('console_operators.id'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('console_sessions_by_expiry')
      .on('console_sessions')
      .column('expires_at')
      .execute();

    await db.schema
      .createTable('console_signin_failures')
      .addColumn('throttle_key', 'text', (c) => c.primaryKey())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .execute();

    const postgres = engineOf(db) === 'postgres';
    await db.schema
      .createTable('console_audit')
      .addColumn('id', postgres ? 'serial' : 'integer', (c) =>
        postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('operator', 'text', (c) => c.notNull())
      .addColumn('app_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('console_audit_by_app')
      .on('console_audit')
      .columns(['app_id', 'id'])
      .execute();

    await db.schema
      .alterTable('apps')
      .addColumn('retired_secrets', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    await db.schema
      .alterTable('apps')
      .addColumn('secrets_rotated_at', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    // Keyset paging of the console's lists, newest first.
    await db.schema
      .createIndex('bills_by_app_mode_time')
      .on('bills')
      .columns(['app_id', 'mode', 'create_time', 'id'])
      .execute();
    await db.schema
      .createIndex('webhook_outbox_by_app_time')
      .on('webhook_outbox')
      .columns(['app_id', 'created_at', 'id'])
      .execute();
    await db.schema
      .createIndex('refunds_by_app_mode_time')
      .on('refunds')
      .columns(['app_id', 'mode', 'create_time', 'id'])
      .execute();
  },
};
