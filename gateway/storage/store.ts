/**
 * The gateway's storage: one store per aggregate (apps, bills with their orders, refunds, the webhook outbox with
 * its delivery attempts) — the only code that writes SQL — and one way to run a unit of work in a transaction
 * (`transaction(stores => …)`: every store handed to the callback works inside it). `openSqliteStore` is the
 * embedded default; `openPostgresStore` (postgres-store.ts) serves several gateway instances on one database.
 * `openStore` picks one: a `postgres://` database URL, else `<dataDir>/gateway.sqlite`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, type Migration } from 'kysely';
import { AppStore } from './app-store.ts';
import type { BillChangeFeed } from './bill-change-feed.ts';
import { BillStore } from './bill-store.ts';
import { ConsoleQueryStore } from './console-query-store.ts';
import { ConsoleStore } from './console-store.ts';
import { DuplicatePaymentStore } from './duplicate-payment-store.ts';
import type { SqlEngine } from './dialect.ts';
import { pendingMigrations, runMigrations } from './migrate.ts';
import { gatewayMigrations } from './migrations.ts';
import { OutboxStore } from './outbox-store.ts';
import { isPostgresUrl, openPostgresStore } from './postgres-store.ts';
import { RefundStore } from './refund-store.ts';
import { loadSecretKey, SecretSealer } from './secret-sealer.ts';
import { ReplayGuardStore } from './replay-guard-store.ts';
import { sharedSqlite } from './shared-transaction.ts';
import { WalCheckpointer } from './wal-checkpointer.ts';
import { SubscriptionStore } from './subscription-store.ts';
import { TransferStore } from './transfer-store.ts';
import { InternationalStore } from './international-store.ts';
import { CouponStore } from './coupon-store.ts';
import { UserStore } from './user-store.ts';
import type { GatewayDb, GatewayTables, GatewayTx } from './tables.ts';

/** The stores of one unit of work (the database itself, or one transaction). */
export interface Stores {
  apps: AppStore;
  bills: BillStore;
  refunds: RefundStore;
  outbox: OutboxStore;
  /** Second payments for attempts already paid, kept to be refunded. */
  duplicatePayments: DuplicatePaymentStore;
  /** Signs and nonces already used inside their timestamp window (replay refusal). */
  seenSignatures: ReplayGuardStore;
  /** Transfers (打款) and the per-app transfer balance. */
  transfers: TransferStore;
  /** International bills' currencies and cards saved at the channel. */
  international: InternationalStore;
  /** The merchant console's operators, sessions, sign-in throttling and audit log. */
  console: ConsoleStore;
  /** The console's keyset-paged lists and aggregates over bills, refunds and webhook deliveries. */
  consoleQueries: ConsoleQueryStore;
  /** The merchant's users (buyer_id). */
  users: UserStore;
  /** Coupon templates and issued coupons. */
  coupons: CouponStore;
  /** Subscription plans, SMS passcodes, subscribers' cards, subscriptions and their charges. */
  subscriptions: SubscriptionStore;
}

export interface GatewayStore extends Stores {
  /** Runs `work` in one transaction: all its writes commit together or none does. */
  transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T>;
  /** `sqlite`: one gateway owns the database; `postgres`: several instances may share it. */
  readonly engine: SqlEngine;
  /**
   * Bill changes between the instances sharing the database (PostgreSQL's LISTEN/NOTIFY); absent where one
   * gateway owns the database (SQLite).
   */
  readonly billChanges?: BillChangeFeed;
  /**
   * Resolves once every write committed so far is on disk. Call it before acknowledging anything (the gateway's
   * onSend hook does): SQLite's group commit syncs the WAL once for all the requests waiting; PostgreSQL's
   * commits are durable when they return.
   */
  durable(): Promise<void>;
  /**
   * True when every write committed so far is already on disk, so `durable()` would resolve at once (always on
   * PostgreSQL). The onSend hook answers reads without waiting for a promise so.
   */
  isDurable(): boolean;
  /** A short label for /healthz and logs, e.g. "sqlite:/data/gateway.sqlite". */
  readonly description: string;
  /** Migrations this gateway knows that the database has not applied (none when current); reads the database. */
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
}

export function storesOver(db: GatewayTx, sealer: SecretSealer): Stores {
  return {
    apps: new AppStore(db, sealer),
    bills: new BillStore(db),
    refunds: new RefundStore(db),
    outbox: new OutboxStore(db),
    duplicatePayments: new DuplicatePaymentStore(db),
    seenSignatures: new ReplayGuardStore(db),
    transfers: new TransferStore(db),
    international: new InternationalStore(db),
    console: new ConsoleStore(db),
    consoleQueries: new ConsoleQueryStore(db),
    users: new UserStore(db),
    coupons: new CouponStore(db),
    subscriptions: new SubscriptionStore(db, sealer),
  };
}

/** Runs the core's migrations and any extra ones (names must be unique), each in its own transaction. */
export async function migrateToLatest(
  db: GatewayDb,
  extraMigrations: Record<string, Migration> = {},
): Promise<string[]> {
  for (const name of Object.keys(extraMigrations)) {
    if (name in gatewayMigrations) throw new Error(`migration name ${name} is used twice`);
  }
  return runMigrations(db as unknown as Kysely<unknown>, { ...gatewayMigrations, ...extraMigrations });
}

/** `GatewayStore.pendingMigrations` over one database. */
export function pendingMigrationsOf(
  db: GatewayDb,
  extraMigrations: Record<string, Migration> = {},
): () => Promise<string[]> {
  const names = Object.keys({ ...gatewayMigrations, ...extraMigrations });
  return () => pendingMigrations(db as unknown as Kysely<unknown>, names);
}

export interface SqliteStoreOptions {
  /**
   * WAL checkpoints on a worker thread (`wal-checkpointer.ts`) instead of SQLite's automatic checkpoint inside the
   * COMMIT that passes 1,000 WAL pages, on the event loop. Default off (short-lived stores: tests, the CLIs); the
   * gateway process turns it on (`main.ts`).
   */
  checkpointWorker?: boolean;
}

/**
 * SQLite's page cache per connection, in KiB. better-sqlite3 builds SQLite with 16 MB (`SQLITE_DEFAULT_CACHE_SIZE`
 * = -16000) where SQLite's own default is 2 MB. Under the bill-creation load that cache filled and was 12 MB of the
 * gateway's peak RSS (measured: 144 → 132 MB at 4 MB, same req/s); what a bill's statements touch — the right
 * edges of the tables and indexes, their inner pages — fits in far less, and pages outside it come from the
 * operating system's file cache.
 */
export const SQLITE_PAGE_CACHE_KIB = 4000;

/**
 * Opens (creating if needed) `<dataDir>/gateway.sqlite` in WAL mode with foreign keys and a busy timeout, its
 * prepared statements kept between queries (statement-cache.ts).
 */
export async function openSqliteStore(
  dataDir: string,
  extraMigrations: Record<string, Migration> = {},
  sealer: SecretSealer = new SecretSealer(loadSecretKey(dataDir)),
  options: SqliteStoreOptions = {},
): Promise<GatewayStore> {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'gateway.sqlite');
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // Durability is the group commit's (group-commit.ts): COMMIT writes the WAL, `durable()` fsyncs it once for
  // every request committed meanwhile, and nothing is acknowledged before. Checkpoints sync as under FULL.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma(`cache_size = -${SQLITE_PAGE_CACHE_KIB}`);
  // Kysely's driver prepares every query anew; the cache keeps each query shape's prepared statement.
  // Units of work committed while an fsync runs share one transaction, a savepoint each (shared-transaction.ts):
  // it commits right before the next fsync.
  // Checkpoints on a worker thread (wal-checkpointer.ts), never inside a COMMIT on the event loop, when asked for.
  if (options.checkpointWorker) sqlite.pragma('wal_autocheckpoint = 0');
  let checkpointer: WalCheckpointer | undefined;
  const { dialect, groupCommit, shared } = sharedSqlite(sqlite, file, (writes) =>
    checkpointer?.noteWrites(writes),
  );
  const db = new Kysely<GatewayTables>({ dialect });
  try {
    await migrateToLatest(db, extraMigrations);
    await groupCommit.durable();
    shared.enable();
    if (options.checkpointWorker) checkpointer = new WalCheckpointer(file);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    ...storesOver(db, sealer),
    engine: 'sqlite',
    transaction: (work) => db.transaction().execute((tx) => work(storesOver(tx, sealer))),
    durable: () => groupCommit.durable(),
    isDurable: () => groupCommit.isDurable(),
    description: `sqlite:${file}`,
    pendingMigrations: pendingMigrationsOf(db, extraMigrations),
    async close() {
      await checkpointer?.close();
      await groupCommit.close().catch(() => {});
      await db.destroy();
    },
  };
}

export interface StoreLocation {
  /** `postgres://…` to use PostgreSQL; unset or empty for SQLite in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
}

/** Opens the store the location names: PostgreSQL for a `postgres://` URL, else SQLite in `dataDir`. */
export async function openStore(
  location: StoreLocation,
  extraMigrations: Record<string, Migration> = {},
  sqliteOptions: SqliteStoreOptions = {},
): Promise<GatewayStore> {
  const url = location.databaseUrl;
  if (url) {
    if (!isPostgresUrl(url)) {
      throw new Error(
        `SPAY_DATABASE_URL must start with postgres:// or postgresql://, got "${url.split(':')[0]}:…"`,
      );
    }
    const sealer = new SecretSealer(loadSecretKey(location.dataDir));
    return openPostgresStore(url, { extraMigrations, sealer });
  }
  return openSqliteStore(location.dataDir, extraMigrations, undefined, sqliteOptions);
}
