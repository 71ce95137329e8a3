/**
 * Pieces for killing a gateway during its migrations (the migration-kill test and the reliability suite's
 * migration-kill scenario): a seeded PRNG so a kill moment can be replayed, a `migrating-gateway.ts` child that
 * waits for `go` on stdin before it migrates (so a kill lands in the migrations, not in module loading), how long
 * the migrations of a fresh database take here, and how many migrations a killed gateway left recorded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const repoRoot = new URL('../../', import.meta.url).pathname;

/** mulberry32: a small seeded PRNG, so a kill moment can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface MigratingGateway {
  child: ChildProcess;
  /** The child's next line of output (`ready`, `migrated in N`, `started`); rejects after 60 s. */
  next(): Promise<string>;
}

/** A `migrating-gateway.ts` child on `dataDir`; `measure` only opens the store and prints the migration time. */
export function startMigratingGateway(
  dataDir: string,
  measure: boolean,
  env: Record<string, string> = {},
): MigratingGateway {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'gateway/testing/migrating-gateway.ts', ...(measure ? ['--measure'] : [])],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env, SPAY_DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let buffer = '';
  let errors = '';
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
  // Warnings (a generated secret.key …) go to stderr: kept apart, so they never pass for a line of the protocol.
  child.stderr!.on('data', (chunk: Buffer) => {
    errors += chunk.toString('utf8');
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const line = lines.shift();
      if (line !== undefined) return resolve(line);
      const timer = setTimeout(() => reject(new Error(`no line from the child: ${buffer}${errors}`)), 60_000);
      waiting.push((text) => {
        clearTimeout(timer);
        resolve(text);
      });
    });
  return { child, next };
}

export function childExited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** How many milliseconds the migrations of a fresh database take on this machine now (at least 2). */
export async function measureMigrationMs(): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'spay-migration-measure-'));
  try {
    const calibration = startMigratingGateway(dataDir, true);
    const ready = await calibration.next();
    if (ready !== 'ready') throw new Error(`the migrating gateway said "${ready}", not ready`);
    calibration.child.stdin!.write('go\n');
    const line = await calibration.next();
    const measured = /^migrated in (\d+)$/.exec(line);
    if (!measured) throw new Error(`the migrating gateway said "${line}", not how long it migrated`);
    await childExited(calibration.child);
    return Math.max(2, Number(measured[1]));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** How many migrations a killed gateway left recorded (0 when it died before the first commit). */
export function recordedMigrations(dataDir: string): number {
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
