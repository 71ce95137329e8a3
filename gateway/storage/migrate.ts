/**
 * Runs the gateway's migrations, each in its own transaction together with its record in `kysely_migration`
 * (the table Kysely's migrator used, so existing databases keep their history). A gateway killed during a
 * migration leaves nothing of it behind: the next start runs it again from the beginning. One history for SQLite
 * and PostgreSQL: the migrations are written with Kysely's schema builder and branch on the engine only where the
 * two change tables differently.
 *
 * Several gateways starting at once: on SQLite the migration record is written first and takes the write lock;
 * on PostgreSQL every migration transaction first takes one advisory lock (`pg_advisory_xact_lock`, released at
 * commit), so the others wait and then find the migration recorded.
 *
 * SQLite's way of changing a table (copy, drop, rename) needs foreign key enforcement off while the transaction
 * runs (`PRAGMA foreign_keys` cannot change inside one); every reference is checked before the commit instead.
 */
import { sql, type Kysely, type Migration, type Transaction } from 'kysely';
import { engineOf } from './dialect.ts';

const migrationTable = 'kysely_migration';
/** The advisory lock key of spay's migrations (any constant shared by every instance; "spay" in ASCII). */
export const migrationLockKey = 0x73706179;

async function lockMigrations(tx: Transaction<unknown>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${migrationLockKey})`.execute(tx);
}

export async function runMigrations(
  db: Kysely<unknown>,
  migrations: Record<string, Migration>,
): Promise<string[]> {
  const postgres = engineOf(db) === 'postgres';
  await db.transaction().execute(async (tx) => {
    if (postgres) await lockMigrations(tx);
    await tx.schema
      .createTable(migrationTable)
      .ifNotExists()
      .addColumn('name', 'varchar(255)', (c) => c.notNull().primaryKey())
      .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
      .execute();
  });
  const ran: string[] = [];
  for (const name of Object.keys(migrations).sort()) {
    const migration = migrations[name] as Migration;
    if (!postgres) await sql`PRAGMA foreign_keys = OFF`.execute(db);
    try {
      const applied = await db.transaction().execute(async (tx) => {
        if (postgres) await lockMigrations(tx);
        // The record is written first: on SQLite it takes the write lock, so a second gateway starting at the
        // same time waits here and then sees the migration done.
        const claimed = await tx
          .withTables<{ kysely_migration: { name: string; timestamp: string } }>()
          .insertInto(migrationTable)
          .values({ name, timestamp: new Date().toISOString() })
          .onConflict((oc) => oc.column('name').doNothing())
          .executeTakeFirst();
        if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return false;
        await migration.up(tx);
        if (!postgres) {
          const broken = await sql<Record<string, unknown>>`PRAGMA foreign_key_check`.execute(tx);
          if (broken.rows.length > 0) {
            throw new Error(`migration ${name} leaves broken references: ${JSON.stringify(broken.rows[0])}`);
          }
        }
        return true;
      });
      if (applied) ran.push(name);
    } finally {
      if (!postgres) await sql`PRAGMA foreign_keys = ON`.execute(db);
    }
  }
  return ran;
}

/** The names in `expected` this database has not recorded as applied (readiness: "migrations current"). */
export async function pendingMigrations(db: Kysely<unknown>, expected: readonly string[]): Promise<string[]> {
  const rows = await db
    .withTables<{ kysely_migration: { name: string; timestamp: string } }>()
    .selectFrom(migrationTable)
    .select('name')
    .execute();
  const applied = new Set(rows.map((row) => row.name));
  return expected.filter((name) => !applied.has(name)).sort();
}
