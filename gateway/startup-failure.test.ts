/**
 * Issue 21 item 10: a corrupt database file made `npm run gateway` die with a stack trace. Now it says, in one
 * line, what is wrong and how to recover.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from './storage/store.ts';
import { describeStartupFailure } from './startup-failure.ts';

const repoRoot = new URL('../', import.meta.url).pathname;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'spay-corrupt-'));
  await writeFile(
    join(dataDir, 'gateway.sqlite'),
    Buffer.from('this is not a database, it is a shopping list\n'.repeat(200)),
  );
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('a corrupt database file', () => {
  it('is described in one line: the file, what is wrong, how to recover', async () => {
    const error = await openSqliteStore(dataDir).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeDefined();
    const line = describeStartupFailure(error, dataDir);
    expect(line).not.toContain('\n');
    expect(line).toContain(join(dataDir, 'gateway.sqlite'));
    expect(line).toMatch(/is not a usable SQLite database/);
    expect(line).toMatch(/restore it from a backup/i);
  });

  it('stops `npm run gateway` with that line on stderr, no stack trace, exit code 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        SPAY_DATA_DIR: dataDir,
        SPAY_GATEWAY_PORT: '0',
        SPAY_SEED_APP: '',
        SPAY_LOG: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).toMatch(/^spay gateway: .*gateway\.sqlite is not a usable SQLite database/);
  }, 30_000);
});
