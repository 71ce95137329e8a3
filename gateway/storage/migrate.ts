/**
 * Runs the gateway's migrations, each in its own transaction together with its record in `kysely_migration`
 * (the table Kysely's migrator used, so existing databases keep their history). A gateway killed during a
 * migration leaves nothing of it behind: the next start runs it again from the beginning.
 *
 * SQLite's way of changing a table (copy, drop, rename) needs foreign key enforcement off while the transaction
 * runs (`PRAGMA foreign_keys` cannot change inside one); every reference is checked before the commit instead.
 */
import { sql, type Kysely, type Migration } from 'kysely';

const migrationTable = 'kysely_migration';

export async function runMigrations(
  db: Kysely<unknown>,
  migrations: Record<string, Migration>,
): Promise<string[]> {
  await db.schema
    .createTable(migrationTable)
    .ifNotExists()
    .addColumn('name', 'varchar(255)', (c) => c.notNull().primaryKey())
    .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
    .execute();
  const ran: string[] = [];
  for (const name of Object.keys(migrations).sort()) {
    const migration = migrations[name] as Migration;
    await sql`PRAGMA foreign_keys = OFF`.execute(db);
    try {
      const applied = await db.transaction().execute(async (tx) => {
        // The record is written first: it takes the write lock, so a second gateway starting at the same time
        // waits here and then sees the migration done.
        const claimed = await tx
          .withTables<{ kysely_migration: { name: string; timestamp: string } }>()
          .insertInto(migrationTable)
          .values({ name, timestamp: new Date().toISOString() })
          .onConflict((oc) => oc.column('name').doNothing())
          .executeTakeFirst();
        if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return false;
        await migration.up(tx);
        const broken = await sql<Record<string, unknown>>`PRAGMA foreign_key_check`.execute(tx);
        if (broken.rows.length > 0) {
          throw new Error(`migration ${name} leaves broken references: ${JSON.stringify(broken.rows[0])}`);
        }
        return true;
      });
      if (applied) ran.push(name);
    } finally {
      await sql`PRAGMA foreign_keys = ON`.execute(db);
    }
  }
  return ran;
}
