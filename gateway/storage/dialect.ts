/**
 * Which SQL engine a Kysely instance talks to. Store code is portable SQL through Kysely's query builder; the few
 * places where the engines differ (row locks, a migration's way of changing a table) ask this.
 *
 * SQLite runs one write transaction at a time, so a rule that reads and then writes inside a transaction needs no
 * lock there; PostgreSQL (READ COMMITTED) needs the row locked (`SELECT … FOR UPDATE`).
 */
import { PostgresAdapter, type QueryExecutor } from 'kysely';

export type SqlEngine = 'sqlite' | 'postgres';

/** `db`: any Kysely instance or transaction, whatever its tables. */
export function engineOf(db: { getExecutor(): QueryExecutor }): SqlEngine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
