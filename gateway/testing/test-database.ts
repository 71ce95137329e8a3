/**
 * Which database the gateway's tests run on: SQLite in the test's data directory (the default), or PostgreSQL
 * with `SPAY_TEST_DATABASE=postgres` (`npm run test:postgres`). Then every test gateway or store gets a fresh
 * database of its own on the run's throw-away cluster, which `postgres-global-setup.ts` starts once per run and
 * announces in `SPAY_TEST_POSTGRES_URL` (or `SPAY_DATABASE_URL`'s server when that is set).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Migration } from 'kysely';
import pg from 'pg';
import { openStore, type GatewayStore } from '../storage/store.ts';

export type TestDatabaseEngine = 'sqlite' | 'postgres';

export function testDatabaseEngine(): TestDatabaseEngine {
  const engine = process.env.SPAY_TEST_DATABASE || 'sqlite';
  if (engine !== 'sqlite' && engine !== 'postgres') {
    throw new Error(`SPAY_TEST_DATABASE must be sqlite or postgres, got "${engine}"`);
  }
  return engine;
}

export interface TestDatabase {
  /** `postgres://…/spay_test_…` */
  url: string;
  /** Drops the database (its connections are ended first). */
  drop(): Promise<void>;
}

function clusterUrl(): string {
  const url = process.env.SPAY_TEST_POSTGRES_URL;
  if (!url) {
    throw new Error(
      'SPAY_TEST_DATABASE=postgres needs the cluster of gateway/testing/postgres-global-setup.ts: run `npm run test:postgres`',
    );
  }
  return url;
}

async function onCluster<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: clusterUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(clusterUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A database on the test cluster: a fresh one, or with `key` the one for that key (created the first time, kept
 * for the run — a test that restarts a gateway on the same data directory finds its data again).
 */
export async function createTestDatabase(key?: string): Promise<TestDatabase> {
  const suffix = key
    ? createHash('sha256').update(key).digest('hex').slice(0, 20)
    : randomBytes(10).toString('hex');
  const name = `spay_test_${suffix}`;
  await onCluster(async (client) => {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  });
  return {
    url: databaseUrl(name),
    async drop() {
      await onCluster((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** A store for a test on the run's engine: SQLite in `dataDir`, or a fresh PostgreSQL database dropped at close. */
export async function openTestStore(
  dataDir: string,
  extraMigrations: Record<string, Migration> = {},
): Promise<GatewayStore> {
  if (testDatabaseEngine() === 'sqlite') return openStore({ dataDir }, extraMigrations);
  const database = await createTestDatabase();
  const store = await openStore({ dataDir, databaseUrl: database.url }, extraMigrations);
  return {
    ...store,
    async close() {
      await store.close();
      await database.drop();
    },
  };
}

/** Whether some session of the database at `url` waits for a lock right now (a race test's second party is blocked). */
export async function someoneWaitsForALock(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const waiting = await client.query(
      "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    return (waiting.rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}
