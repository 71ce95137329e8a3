/**
 * A gateway killed during any migration of a fresh database starts cleanly afterwards: every migration runs in a
 * transaction with its record, so a kill leaves either all of it or nothing. 20 rounds, each on a fresh data
 * directory: a gateway process is SIGKILLed at a random moment of its migrations (the seed is printed so a
 * failing round can be replayed with SPAY_KILL_SEED), then a gateway starts on that directory and takes a payment.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gatewayMigrations } from './migrations.ts';
import { billStatus, createBill, pressSandboxButton, startTestGateway } from '../testing/gateway-harness.ts';
import {
  childExited,
  measureMigrationMs,
  recordedMigrations,
  seededRandom,
  startMigratingGateway,
} from '../testing/migration-kill.ts';

const rounds = 20;
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'spay-migration-kill-'));
  dirs.push(dir);
  return dir;
}

describe('a gateway killed during its migrations', () => {
  it(`starts cleanly afterwards (${rounds} random kills)`, { timeout: 600_000 }, async () => {
    const seed = Number(process.env.SPAY_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`migration-kill seed ${seed} (replay: SPAY_KILL_SEED=${seed})`);
    const next = seededRandom(seed);

    // How long the migrations of a fresh database take here, to spread the kills over them.
    const migrationMs = await measureMigrationMs();

    const total = Object.keys(gatewayMigrations).length;
    const leftRecorded: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const dataDir = await freshDir();
      const killAfterMs = Math.floor(next() * migrationMs * 1.2);
      const { child, next: line } = startMigratingGateway(dataDir, false);
      expect(await line()).toBe('ready');
      child.stdin!.write('go\n');
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      child.kill('SIGKILL');
      await childExited(child);
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
