/**
 * A gateway killed during any migration of a fresh database starts cleanly afterwards: every migration runs in a
 * transaction with its record, so a kill leaves either all of it or nothing. 20 rounds, each on a fresh data
 * directory: a gateway process is SIGKILLed at a random moment of its migrations (the seed is printed so a
 * failing round can be replayed with SPAY_KILL_SEED), then a gateway starts on that directory and takes a payment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { gatewayMigrations } from './migrations.ts';
import { billStatus, createBill, pressSandboxButton, startTestGateway } from '../testing/gateway-harness.ts';

const repoRoot = new URL('../../', import.meta.url).pathname;
const rounds = 20;
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** mulberry32: a small seeded PRNG, so a round's kill moment can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function startChild(dataDir: string, measure: boolean): { child: ChildProcess; next: () => Promise<string> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'gateway/testing/migrating-gateway.ts', ...(measure ? ['--measure'] : [])],
    { cwd: repoRoot, env: { ...process.env, SPAY_DATA_DIR: dataDir }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let buffer = '';
  const waiting: Array<(line: string) => void> = [];
  const lines: string[] = [];
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const line = lines.shift();
      if (line !== undefined) return resolve(line);
      const timer = setTimeout(() => reject(new Error(`no line from the child: ${buffer}`)), 60_000);
      waiting.push((text) => {
        clearTimeout(timer);
        resolve(text);
      });
    });
  return { child, next };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'spay-migration-kill-'));
  dirs.push(dir);
  return dir;
}

/** How many migrations a killed gateway left recorded (0 when it died before the first commit). */
function recordedMigrations(dataDir: string): number {
  const db = new Database(join(dataDir, 'gateway.sqlite'), { fileMustExist: false });
  try {
    const table = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'")
      .get();
    if (!table) return 0;
    return (db.prepare('SELECT count(*) AS n FROM kysely_migration').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('a gateway killed during its migrations', () => {
  it(`starts cleanly afterwards (${rounds} random kills)`, { timeout: 600_000 }, async () => {
    const seed = Number(process.env.SPAY_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`migration-kill seed ${seed} (replay: SPAY_KILL_SEED=${seed})`);
    const next = random(seed);

    // How long the migrations of a fresh database take here, to spread the kills over them.
    const calibration = startChild(await freshDir(), true);
    expect(await calibration.next()).toBe('ready');
    calibration.child.stdin!.write('go\n');
    const measured = /^migrated in (\d+)$/.exec(await calibration.next());
    expect(measured).not.toBeNull();
    await exited(calibration.child);
    const migrationMs = Math.max(2, Number(measured![1]));

    const total = Object.keys(gatewayMigrations).length;
    const leftRecorded: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const dataDir = await freshDir();
      const killAfterMs = Math.floor(next() * migrationMs * 1.2);
      const { child, next: line } = startChild(dataDir, false);
      expect(await line()).toBe('ready');
      child.stdin!.write('go\n');
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      child.kill('SIGKILL');
      await exited(child);
      leftRecorded.push(recordedMigrations(dataDir));

      const gateway = await startTestGateway({ dataDir });
      try {
        const health = (await (await fetch(`${gateway.url}/healthz`)).json()) as { status: string };
        expect(health.status, `round ${round}, seed ${seed}, killed after ${killAfterMs} ms`).toBe('ok');
        const bill = await createBill(gateway, 'ALI_WEB', { amount: 7 });
        await pressSandboxButton(`${gateway.url}/sandbox/cashier/${bill.id}/pay`);
        expect(await billStatus(gateway, bill.id)).toMatchObject({ status: 'paid' });
      } finally {
        await gateway.close();
      }
      expect(recordedMigrations(dataDir)).toBe(total);
    }
    console.log(`migrations recorded when killed (of ${total}): ${leftRecorded.join(' ')}`);
  });
});
