/**
 * Migration kill: a fresh data directory whose gateway is SIGKILLed 12 times at random moments of its first
 * start's migrations — each restart takes the migrations up where the last kill left them — then the gateway
 * starts normally on it: it must start (no "table already exists"), answer /healthz ok and take a sandbox
 * payment, with every migration recorded once. The seed is printed; SPAY_RELIABILITY_SEED=N replays a run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayMigrations } from '../../gateway/storage/migrations.ts';
import {
  childExited,
  measureMigrationMs,
  recordedMigrations,
  seededRandom,
  startMigratingGateway,
} from '../../gateway/testing/migration-kill.ts';
import { demoApp } from '../lib/demo-app.ts';
import { startGatewayProcess, type GatewayProcess } from '../lib/gateway-process.ts';
import { payOnce, type BuyerStats } from './lib/buyers.ts';
import { Checks } from './lib/checks.ts';

export async function migrationKillScenario(kills = 12): Promise<Checks> {
  const checks = new Checks('migration-kill');
  const seed = Number(process.env.SPAY_RELIABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const random = seededRandom(seed);
  const dataDir = mkdtempSync(join(tmpdir(), 'spay-reliability-migration-kill-'));
  const env = { SPAY_SECRET_KEY: randomBytes(32).toString('hex') };
  const total = Object.keys(gatewayMigrations).length;
  let gateway: GatewayProcess | undefined;
  try {
    const migrationMs = await measureMigrationMs();
    checks.tried_(
      `seed ${seed} (replay: SPAY_RELIABILITY_SEED=${seed}); ${kills} SIGKILLs during the first start's ` +
        `${total} migrations (${migrationMs} ms on a fresh database here)`,
    );
    const landed: number[] = [];
    const moments: number[] = [];
    const signals: string[] = [];
    for (let kill = 0; kill < kills; kill += 1) {
      // A moment within a share of what is left of the migrations — the share grows to all of it by the last
      // kill — so the kills keep landing in them: most roll back the migration in flight, some land after a commit.
      const left = Math.max((total - recordedMigrations(dataDir)) / total, 0.1);
      const killAfterMs = Math.floor((random() * migrationMs * 1.2 * left * (kill + 1)) / kills);
      moments.push(killAfterMs);
      const migrating = startMigratingGateway(dataDir, false, env);
      const ready = await migrating.next();
      if (ready !== 'ready') throw new Error(`the migrating gateway said "${ready}", not ready`);
      migrating.child.stdin!.write('go\n');
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      migrating.child.kill('SIGKILL');
      await childExited(migrating.child);
      signals.push(String(migrating.child.signalCode ?? migrating.child.exitCode));
      landed.push(recordedMigrations(dataDir));
    }
    const inMigrations = landed.filter((count) => count < total).length;
    checks.check(
      `the gateway was SIGKILLed ${kills} times during its first start's migrations`,
      signals.every((signal) => signal === 'SIGKILL') && inMigrations >= kills / 2,
      `killed ${moments.join(', ')} ms after "go"; migrations recorded after each kill (of ${total}): ` +
        `${landed.join(' ')}; ${inMigrations} kills before the last migration was recorded`,
    );

    const startedAt = Date.now();
    let startError = '';
    try {
      gateway = await startGatewayProcess({ dataDir, app: demoApp(), env });
    } catch (error) {
      startError = String(error).slice(0, 400);
    }
    const startMs = Date.now() - startedAt;
    checks.check(
      'it then starts normally (no "table already exists")',
      gateway !== undefined,
      gateway ? `started in ${startMs} ms` : startError,
    );
    if (!gateway) return checks;
    const health = (await (await fetch(`${gateway.url}/healthz`)).json()) as { status?: string };
    checks.check('/healthz answers ok', health.status === 'ok', JSON.stringify(health).slice(0, 200));
    const stats: BuyerStats = { refusals: [], networkRetries: 0 };
    const running = gateway;
    const payment = await payOnce(() => running.url, demoApp(), 1234, stats);
    checks.check(
      'a sandbox payment goes through',
      stats.refusals.length === 0,
      `${payment.billNo} (${payment.fee} fen) ${stats.refusals[0] ?? 'paid'}`,
    );
    await gateway.kill('SIGTERM');
    const recorded = recordedMigrations(dataDir);
    checks.check('every migration is recorded once', recorded === total, `${recorded} recorded of ${total}`);
  } finally {
    await gateway?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
  return checks;
}
