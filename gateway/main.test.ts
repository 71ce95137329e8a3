/**
 * `npm run gateway` with its defaults seeds no app: the demo app's secrets are in the repository, so a gateway
 * that seeded it would let anyone sign its bills (issue 21 item 1). `npm start` seeds it for local use.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';

const repoRoot = new URL('../', import.meta.url).pathname;

it('seeds no app with the default environment', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'spay-main-test-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SPAY_GATEWAY_PORT: '0',
    SPAY_DATA_DIR: dataDir,
    SPAY_LOG: '0',
  };
  delete env.SPAY_SEED_APP;
  delete env.SPAY_ALLOW_PRIVATE_TARGETS;
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start:\n${output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (/^data: /m.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
    });
    expect(output).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(output).not.toMatch(/seeded app/);
    const db = new Database(join(dataDir, 'gateway.sqlite'), { readonly: true });
    expect(db.prepare('select count(*) as n from apps').get()).toEqual({ n: 0 });
    db.close();
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}, 40_000);
