/**
 * The PostgreSQL store: the same stores as SQLite's over Kysely's PostgreSQL dialect and a `pg` connection pool,
 * for several gateway instances sharing one database (`SPAY_DATABASE_URL=postgres://…`). Everything
 * PostgreSQL-specific lives in `gateway/storage/`; store code stays portable.
 *
 * Numbers: money (fen) and times (ms) are `bigint` columns, which `pg` hands over as strings; here they become
 * numbers (both fit in 2^53 — a value that would not is an error, never a rounded amount). `sum()` of a bigint is
 * a `numeric`, read the same way.
 */
import { Kysely, PostgresDialect, type Migration } from 'kysely';
import { randomBytes } from 'node:crypto';
import type pgModule from 'pg';
import { lazyModule } from '../lazy-module.ts';
import { parseSecretKey, SecretSealer } from './secret-sealer.ts';
import { postgresBillChangeFeed } from './bill-change-feed.ts';
import type { GatewayStore } from './store.ts';
import { migrateToLatest, pendingMigrationsOf, storesOver } from './store.ts';
import type { GatewayTables } from './tables.ts';

/** `pg`, loaded when a PostgreSQL store is opened (a gateway on SQLite never loads it). */
const pg = lazyModule<typeof pgModule>('pg');

const INT8_OID = 20;
const NUMERIC_OID = 1700;

function exactInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new Error(`the database answered ${text}, which is not an integer a number holds exactly`);
  }
  return value;
}

const gatewayTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return exactInteger;
    return pg().types.getTypeParser(oid, format);
  },
} as pgModule.CustomTypesConfig;

export interface PostgresStoreOptions {
  /** Connections in this instance's pool (default 10). */
  poolSize?: number;
  extraMigrations?: Record<string, Migration>;
  /**
   * Seals channel settings at rest (`openStore` passes the gateway's key). Default: a key from SPAY_SECRET_KEY, else
   * one for this process only (for tests that never store channel settings across processes).
   */
  sealer?: SecretSealer;
}

/** `postgres://user:password@host:port/database` without the password, for logs and /healthz. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return `postgres:${parsed.host}${parsed.pathname}`;
  } catch {
    return 'postgres';
  }
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Connects to the database at `url`, runs the migrations (several instances may start at once), answers the store. */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<GatewayStore> {
  const sealer =
    options.sealer ??
    new SecretSealer(
      process.env.SPAY_SECRET_KEY ? parseSecretKey(process.env.SPAY_SECRET_KEY) : randomBytes(32),
    );
  const pool = new (pg().Pool)({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: gatewayTypes,
    application_name: 'spay-gateway',
  });
  // An idle connection the server drops (restart, failover) must not take the process down; the next query
  // opens a new one.
  pool.on('error', () => {});
  const db = new Kysely<GatewayTables>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db, options.extraMigrations);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const billChanges = postgresBillChangeFeed(pool, url);
  return {
    ...storesOver(db, sealer),
    engine: 'postgres',
    billChanges,
    transaction: (work) => db.transaction().execute((tx) => work(storesOver(tx, sealer))),
    // A PostgreSQL commit returns once its WAL record is flushed (synchronous_commit).
    durable: () => Promise.resolve(),
    isDurable: () => true,
    description: describeDatabaseUrl(url),
    pendingMigrations: pendingMigrationsOf(db, options.extraMigrations),
    async close() {
      await billChanges.close();
      await db.destroy();
    },
  };
}
