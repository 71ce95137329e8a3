/**
 * `npm run backup -- <file> [--force]`: an online, consistent copy of the SQLite store (SPAY_DATA_DIR) while the
 * gateway runs. `npm run restore -- <file> [--force]`: checks a copy (integrity_check, migrations this gateway
 * knows) and puts it in place of the store, never while a gateway or CLI has the store open. README "Backups".
 * Exit codes: 0 done, 2 refused (with the reason on one line), 1 failed.
 */
import { ConfigError, readGatewayConfig } from '../config/gateway-config.ts';
import { installedModules } from '../modules.ts';
import { gatewayMigrations } from '../storage/migrations.ts';
import { BackupRefused, backupSqlite, restoreSqlite, type CopySummary } from '../storage/sqlite-backup.ts';

const usage = 'usage: npm run backup -- <file> [--force]   |   npm run restore -- <file> [--force]';

/** Every migration this gateway runs (the core's and its modules'). */
export function knownMigrations(): string[] {
  const names = new Set(Object.keys(gatewayMigrations));
  for (const module of installedModules)
    for (const name of Object.keys(module.migrations ?? {})) names.add(name);
  return [...names].sort();
}

function describe(summary: CopySummary): string {
  const last = summary.migrations.at(-1) ?? 'none';
  return `${summary.bills} bills, ${summary.refunds} refunds, ${summary.pendingWebhooks} webhooks pending, schema ${last}, ${summary.bytes} bytes`;
}

export async function runBackupCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const [command, file, ...rest] = argv.filter((arg) => arg !== '--force');
  const force = argv.includes('--force');
  if ((command !== 'backup' && command !== 'restore') || !file || rest.length > 0)
    throw new BackupRefused(usage);
  const { config } = readGatewayConfig(env);
  if (config.databaseUrl) {
    throw new BackupRefused(
      'SPAY_DATABASE_URL is set: back up PostgreSQL with pg_dump or point-in-time recovery (README "Backups")',
    );
  }
  if (command === 'backup') {
    const summary = await backupSqlite(config.dataDir, file, { force });
    return `backup: ${summary.file} (${describe(summary)}). Keep the secret key (SPAY_SECRET_KEY or ${config.dataDir}/secret.key) too, stored apart: channel settings are sealed with it.`;
  }
  const restored = await restoreSqlite(file, config.dataDir, knownMigrations(), { force });
  const pending =
    restored.pendingMigrations.length > 0
      ? ` ${restored.pendingMigrations.length} migrations run at the next start (${restored.pendingMigrations.join(', ')}).`
      : '';
  return `restore: ${file} → ${restored.file}${restored.replaced ? ' (replaced the store)' : ''} (${describe(restored)}).${pending} Start the gateway with the secret key the copy was made under.`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runBackupCli(process.argv.slice(2)).then(
    (line) => console.log(line),
    (error: unknown) => {
      if (error instanceof BackupRefused || error instanceof ConfigError) {
        console.error(`spay: ${error.message}`);
        process.exit(2);
      }
      console.error(`spay: failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
