/**
 * The storage interface the domain code depends on: a Kysely database over the gateway's tables, migrated,
 * plus close(). `openSqliteStore` is the embedded default; a PostgreSQL store would implement the same shape.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import { gatewayMigrations } from './migrations.ts';
import type { GatewayDb, GatewayTables } from './tables.ts';

export interface GatewayStore {
  readonly db: GatewayDb;
  /** A short label for /healthz and logs, e.g. "sqlite:/data/gateway.sqlite". */
  readonly description: string;
  close(): Promise<void>;
}

/** Runs the core's migrations and any module's (`extraMigrations`) that have not run yet. */
export async function migrateToLatest(
  db: GatewayDb,
  extraMigrations: Record<string, Migration> = {},
): Promise<void> {
  for (const name of Object.keys(extraMigrations)) {
    if (name in gatewayMigrations) throw new Error(`migration name ${name} is used twice`);
  }
  const provider: MigrationProvider = {
    async getMigrations() {
      return { ...gatewayMigrations, ...extraMigrations };
    },
  };
  // Modules may be added after later core migrations ran: their migrations still run once, in name order.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/** Opens (creating if needed) `<dataDir>/gateway.sqlite` in WAL mode with foreign keys and a busy timeout. */
export async function openSqliteStore(
  dataDir: string,
  extraMigrations: Record<string, Migration> = {},
): Promise<GatewayStore> {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'gateway.sqlite');
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<GatewayTables>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db, extraMigrations);
  return {
    db,
    description: `sqlite:${file}`,
    async close() {
      await db.destroy();
    },
  };
}
