/**
 * Backups of the SQLite store (`npm run backup`, `npm run restore`; README "Backups"):
 * - `backupSqlite` takes an online, consistent copy with SQLite's backup API while the gateway runs: the whole
 *   copy is one step inside one read transaction (WAL readers do not block the gateway's writes), written to a
 *   temporary file, checked (`integrity_check`), then renamed into place — a copy that exists is complete.
 * - `inspectSqliteCopy` checks a copy: `integrity_check`, and that its migrations are ones this gateway knows
 *   (a copy made by a newer gateway is refused; missing ones run at the next start).
 * - `restoreSqlite` puts a checked copy in place of `<dataDir>/gateway.sqlite`, refusing while any process (a
 *   running gateway, a CLI) has that store open, and refusing to replace an existing store without `force`.
 * PostgreSQL stores are backed up with pg_dump / point-in-time recovery instead (README).
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export class BackupRefused extends Error {}

export interface CopySummary {
  file: string;
  bytes: number;
  bills: number;
  refunds: number;
  pendingWebhooks: number;
  migrations: string[];
}

export interface CopyInspection extends CopySummary {
  /** Migrations this gateway knows that the copy lacks (they run at the next start). */
  pendingMigrations: string[];
}

export function storeFile(dataDir: string): string {
  return join(dataDir, 'gateway.sqlite');
}

function count(db: Database.Database, table: string, where = ''): number {
  const exists = db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(table);
  if (!exists) return 0;
  return (db.prepare(`select count(*) as n from ${table} ${where}`).get() as { n: number }).n;
}

function summarize(db: Database.Database, file: string): CopySummary {
  const migrations = count(db, 'kysely_migration')
    ? (db.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map(
        (row) => row.name,
      )
    : [];
  return {
    file,
    bytes: statSync(file).size,
    bills: count(db, 'bills'),
    refunds: count(db, 'refunds'),
    pendingWebhooks: count(db, 'webhook_outbox', "where status = 'pending'"),
    migrations,
  };
}

function integrityOf(db: Database.Database): string {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  return rows.map((row) => row.integrity_check).join('; ');
}

/** Checks a copy: a SQLite database that passes integrity_check, with migrations this gateway knows. */
export function inspectSqliteCopy(file: string, knownMigrations: readonly string[]): CopyInspection {
  if (!existsSync(file)) throw new BackupRefused(`${file} does not exist`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupRefused(`${file} cannot be opened as SQLite: ${(error as Error).message}`);
  }
  try {
    let integrity: string;
    try {
      integrity = integrityOf(db);
    } catch (error) {
      throw new BackupRefused(`${file} is not a usable SQLite database: ${(error as Error).message}`);
    }
    if (integrity !== 'ok')
      throw new BackupRefused(`${file} fails integrity_check: ${integrity.slice(0, 300)}`);
    const summary = summarize(db, file);
    if (summary.migrations.length === 0)
      throw new BackupRefused(`${file} is not a spay store (no migrations)`);
    const known = new Set(knownMigrations);
    const unknown = summary.migrations.filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new BackupRefused(
        `${file} was made by a newer gateway (migrations this one does not know: ${unknown.join(', ')}); restore it with that version`,
      );
    }
    const applied = new Set(summary.migrations);
    return { ...summary, pendingMigrations: knownMigrations.filter((name) => !applied.has(name)) };
  } finally {
    db.close();
  }
}

/** An online, consistent copy of `<dataDir>/gateway.sqlite` at `target` (which must not exist unless `force`). */
export async function backupSqlite(
  dataDir: string,
  target: string,
  options: { force?: boolean } = {},
): Promise<CopySummary> {
  const source = storeFile(dataDir);
  if (!existsSync(source)) throw new BackupRefused(`there is no store at ${source} (SPAY_DATA_DIR)`);
  if (existsSync(target) && !options.force) {
    throw new BackupRefused(`${target} exists; choose another file or pass --force to replace it`);
  }
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const db = new Database(source, { fileMustExist: true, timeout: 5000 });
  try {
    // All pages in one step (after the first, empty one): the copy is made inside one read transaction, a snapshot
    // of one moment, however busy the gateway (a write between steps would restart the copy).
    await db.backup(partial, { progress: () => 0x7fffffff });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
  const copy = new Database(partial, { fileMustExist: true });
  try {
    // A standalone file: no -wal beside it.
    copy.pragma('journal_mode = DELETE');
    const integrity = integrityOf(copy);
    if (integrity !== 'ok') throw new Error(`the copy fails integrity_check: ${integrity.slice(0, 300)}`);
  } catch (error) {
    copy.close();
    rmSync(partial, { force: true });
    throw error;
  }
  copy.close();
  renameSync(partial, target);
  const done = new Database(target, { readonly: true, fileMustExist: true });
  try {
    return summarize(done, target);
  } finally {
    done.close();
  }
}

/** Throws BackupRefused when another connection (a running gateway, a CLI) has the store open. */
function assertNotInUse(file: string): void {
  const db = new Database(file, { fileMustExist: true, timeout: 0 });
  try {
    // Exclusive locking is refused while any other connection has the WAL database open, even idle.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new BackupRefused(
        `${file} is in use (a running gateway or CLI has it open): stop it, then restore`,
      );
    }
    throw error;
  } finally {
    db.close();
  }
}

/**
 * Restores a checked copy as `<dataDir>/gateway.sqlite`. An existing store is replaced only with `force`, and never
 * while it is open elsewhere; its -wal and -shm files go with it.
 */
export async function restoreSqlite(
  backupFile: string,
  dataDir: string,
  knownMigrations: readonly string[],
  options: { force?: boolean } = {},
): Promise<CopyInspection & { replaced: boolean }> {
  const inspection = inspectSqliteCopy(backupFile, knownMigrations);
  const target = storeFile(dataDir);
  const replaced = existsSync(target);
  if (replaced) {
    assertNotInUse(target);
    if (!options.force) {
      throw new BackupRefused(`${target} exists; pass --force to replace it with ${backupFile}`);
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const incoming = `${target}.restoring`;
  rmSync(incoming, { force: true });
  const source = new Database(backupFile, { readonly: true, fileMustExist: true });
  try {
    await source.backup(incoming, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  const copy = new Database(incoming, { fileMustExist: true });
  copy.pragma('journal_mode = DELETE');
  copy.close();
  if (replaced) assertNotInUse(target);
  // The old store's write-ahead log must not be replayed into the restored file.
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${target}${suffix}`, { force: true });
  renameSync(incoming, target);
  return { ...inspection, file: target, replaced };
}
