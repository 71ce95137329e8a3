/**
 * `npm run backup` under load and `npm run restore` with its checks: a backup taken (by the CLI, as a separate
 * process) while bills are created and paid holds every bill acknowledged before it started, paid ones paid; the
 * restored store is current and complete; restore refuses a store in use, an existing store without --force, a
 * damaged file, a copy from a newer gateway.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackupCli } from '../cli/backup-cli.ts';
import { paidRestBill } from '../rest/testing/rest-caller.ts';
import { createBill, startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { BackupRefused } from './sqlite-backup.ts';
import { openSqliteStore } from './store.ts';

const repoRoot = new URL('../../', import.meta.url).pathname;
let dir: string;
let gateway: TestGateway;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spay-backup-'));
  gateway = await startTestGateway({ dataDir: join(dir, 'live'), rateLimit: false });
});
afterAll(async () => {
  await gateway?.close();
  await rm(dir, { recursive: true, force: true });
});

function runCli(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/cli/backup-cli.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, SPAY_LOG: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
}

async function refusal(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BackupRefused);
  return (error as Error).message;
}

describe('a backup under load', () => {
  it('holds every bill acknowledged before it started; the restored store is current and complete', async () => {
    const created: string[] = [];
    const paid: string[] = [];
    let loading = true;
    const worker = async (index: number) => {
      for (let turn = 0; loading; turn += 1) {
        if ((turn + index) % 3 === 0) {
          const { id } = await paidRestBill(gateway, { total_fee: 100 + turn, title: '备份' });
          paid.push(id);
        } else {
          created.push((await createBill(gateway, 'ALI_WEB', { amount: 10 + turn })).id);
        }
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    await expect.poll(() => created.length + paid.length, { timeout: 20_000 }).toBeGreaterThan(40);

    const backupFile = join(dir, 'backup.sqlite');
    const createdBefore = [...created];
    const paidBefore = [...paid];
    const backup = await runCli(['backup', backupFile], { SPAY_DATA_DIR: gateway.dataDir });
    const duringBackup = created.length + paid.length - createdBefore.length - paidBefore.length;
    loading = false;
    await Promise.all(workers);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^backup: .*backup\.sqlite \(\d+ bills, \d+ refunds, \d+ webhooks pending/);
    expect(backup.stdout).toMatch(/Keep the secret key/);
    // The gateway kept answering while the copy was made.
    expect(duringBackup).toBeGreaterThan(0);
    expect(existsSync(`${backupFile}.partial`)).toBe(false);

    const restoredDir = join(dir, 'restored');
    const restored = await runBackupCli(['restore', backupFile], {
      ...process.env,
      SPAY_DATA_DIR: restoredDir,
    });
    expect(restored).toMatch(/^restore: .*backup\.sqlite → .*restored\/gateway\.sqlite \(/);
    expect(restored).not.toMatch(/migrations run at the next start/);

    const store = await openSqliteStore(restoredDir);
    try {
      expect(await store.pendingMigrations()).toEqual([]);
      for (const id of createdBefore) expect((await store.bills.findBill(id))?.id).toBe(id);
      for (const id of paidBefore) expect((await store.bills.findBill(id))?.status).toBe('paid');
    } finally {
      await store.close();
    }
    const copy = new Database(join(restoredDir, 'gateway.sqlite'), { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
  }, 120_000);
});

describe('refusals', () => {
  it('restore refuses a store a running gateway has open, even with --force', async () => {
    const backupFile = join(dir, 'refuse-running.sqlite');
    await runBackupCli(['backup', backupFile], { ...process.env, SPAY_DATA_DIR: gateway.dataDir });
    const message = await refusal(
      runBackupCli(['restore', backupFile, '--force'], { ...process.env, SPAY_DATA_DIR: gateway.dataDir }),
    );
    expect(message).toMatch(/is in use \(a running gateway or CLI has it open\): stop it, then restore/);
    // Still the gateway's store, still answering.
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
  });

  it('restore refuses to replace a store without --force, and replaces it with --force', async () => {
    const backupFile = join(dir, 'force.sqlite');
    await runBackupCli(['backup', backupFile], { ...process.env, SPAY_DATA_DIR: gateway.dataDir });
    const target = join(dir, 'stopped');
    await runBackupCli(['restore', backupFile], { ...process.env, SPAY_DATA_DIR: target });
    const env = { ...process.env, SPAY_DATA_DIR: target };
    expect(await refusal(runBackupCli(['restore', backupFile], env))).toMatch(
      /exists; pass --force to replace it/,
    );
    expect(await runBackupCli(['restore', backupFile, '--force'], env)).toMatch(/\(replaced the store\)/);
  });

  it('restore refuses a damaged file and a copy made by a newer gateway', async () => {
    const damaged = join(dir, 'damaged.sqlite');
    await writeFile(damaged, Buffer.from('not a database at all\n'.repeat(500)));
    const env = { ...process.env, SPAY_DATA_DIR: join(dir, 'never') };
    expect(await refusal(runBackupCli(['restore', damaged], env))).toMatch(/not a usable SQLite database/);

    const newer = join(dir, 'newer.sqlite');
    await runBackupCli(['backup', newer], { ...process.env, SPAY_DATA_DIR: gateway.dataDir });
    const db = new Database(newer);
    db.prepare("insert into kysely_migration (name, timestamp) values ('999_from_the_future', 'x')").run();
    db.close();
    expect(await refusal(runBackupCli(['restore', newer], env))).toMatch(
      /made by a newer gateway \(migrations this one does not know: 999_from_the_future\)/,
    );
    expect(existsSync(join(dir, 'never', 'gateway.sqlite'))).toBe(false);
  });

  it('restore names missing migrations: an older copy is brought up to date at the next start', async () => {
    const older = join(dir, 'older.sqlite');
    await runBackupCli(['backup', older], { ...process.env, SPAY_DATA_DIR: gateway.dataDir });
    const db = new Database(older);
    db.prepare("delete from kysely_migration where name = '103_outbox_leases'").run();
    db.close();
    const copy = join(dir, 'older-copy.sqlite');
    copyFileSync(older, copy);
    const answer = await runBackupCli(['restore', copy], {
      ...process.env,
      SPAY_DATA_DIR: join(dir, 'older'),
    });
    expect(answer).toMatch(/1 migrations run at the next start \(103_outbox_leases\)/);
  });

  it('backup refuses to overwrite a file without --force, and PostgreSQL stores', async () => {
    const file = join(dir, 'exists.sqlite');
    await writeFile(file, 'keep me');
    const env = { ...process.env, SPAY_DATA_DIR: gateway.dataDir };
    expect(await refusal(runBackupCli(['backup', file], env))).toMatch(
      /exists; choose another file or pass --force/,
    );
    expect(
      await refusal(
        runBackupCli(['backup', file], { ...env, SPAY_DATABASE_URL: 'postgres://spay@db.internal/spay' }),
      ),
    ).toMatch(/pg_dump or point-in-time recovery/);
  });

  it('the CLI answers a refusal with one line and exit code 2', async () => {
    const result = await runCli(['restore', join(dir, 'missing.sqlite')], { SPAY_DATA_DIR: join(dir, 'x') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^spay: .*missing\.sqlite does not exist\n$/);
  }, 30_000);
});
