/**
 * Prepared statements kept between queries for Kysely's SQLite dialect. Kysely's SQLite driver calls
 * `database.prepare(sql)` for every query it runs, and preparing (parsing and planning the SQL) cost about as
 * much as running it: a bill creation's dozen statements were prepared anew on every request. Kysely compiles
 * the same query shape to the same SQL text with its values as parameters, so a statement prepared once can be
 * run again with other values.
 *
 * `withStatementCache(database)` is what `SqliteDialect` is given instead of the better-sqlite3 database: the
 * same `prepare`, answered from a least-recently-used map of at most `capacity` statements (query shapes with a
 * variable number of parameters, e.g. `in (?, ?, …)`, make new texts; the oldest are dropped). A statement that
 * is still being iterated (a streamed select not read to the end) cannot be run again, so then a fresh one is
 * prepared for that query and not kept.
 *
 * `onWrite` is called as each statement that writes, or commits, is handed out to run (Kysely runs it at once):
 * the group commit (group-commit.ts) counts them to know what an fsync covers. `onRead` is called as each
 * statement that only reads is handed out (the shared transaction's read turns, shared-transaction.ts).
 */
import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export interface StatementCacheStats {
  /** Statements answered from the cache. */
  hits: number;
  /** Statements prepared (not in the cache, or the cached one busy). */
  prepared: number;
  /** Statements in the cache now. */
  size: number;
}

export interface CachingSqliteDatabase extends SqliteDatabase {
  stats(): StatementCacheStats;
}

export interface StatementCacheOptions {
  /** Statements kept (default 500). */
  capacity?: number;
  /** Called as a statement that writes or commits is handed out. */
  onWrite?: () => void;
  /** Called as a statement that only reads is handed out. */
  onRead?: () => void;
}

interface CachedStatement {
  statement: Database.Statement;
  /** Not read-only, or a COMMIT / END (SQLite counts transaction control as read-only). */
  writes: boolean;
}

const commits = /^\s*(commit|end)\b/i;

export function withStatementCache(
  database: Database.Database,
  options: StatementCacheOptions = {},
): CachingSqliteDatabase {
  const capacity = options.capacity ?? 500;
  const { onWrite, onRead } = options;
  const statements = new Map<string, CachedStatement>();
  let hits = 0;
  let prepared = 0;
  const handOut = (entry: CachedStatement): SqliteStatement => {
    if (entry.writes) onWrite?.();
    else onRead?.();
    return entry.statement as unknown as SqliteStatement;
  };
  return {
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached && !cached.statement.busy) {
        hits += 1;
        // Most recently used last: the map's first key is the one to drop.
        statements.delete(sql);
        statements.set(sql, cached);
        return handOut(cached);
      }
      prepared += 1;
      const statement = database.prepare(sql);
      const entry = { statement, writes: !statement.readonly || commits.test(sql) };
      if (!cached) {
        statements.set(sql, entry);
        if (statements.size > capacity) statements.delete(statements.keys().next().value!);
      }
      return handOut(entry);
    },
    close() {
      statements.clear();
      database.close();
    },
    stats: () => ({ hits, prepared, size: statements.size }),
  };
}
