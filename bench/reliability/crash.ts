/**
 * Crash: 500 payments through the sandbox while the gateway process is SIGKILLed at three random moments and
 * restarted on the same data directory (and port). Afterwards: every paid bill's webhook was delivered at least
 * once, the merchant booked each payment exactly once (deduplicating by transaction_id in SQLite), and every
 * order is in the state it must be (paid once, other attempts closed, amounts unchanged, nothing else paid).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../e2e/stack.ts';
import { demoApp, merchantView } from '../lib/demo-app.ts';
import { startGatewayProcess, type GatewayProcess } from '../lib/gateway-process.ts';
import { payOnce, type BuyerStats } from './lib/buyers.ts';
import { Checks } from './lib/checks.ts';
import { killMoments, killRandom, killSchedule } from './lib/kill-schedule.ts';
import { paidOrderProblems, readGatewayRecords } from './lib/gateway-database.ts';
import { startMerchantLedger } from './lib/merchant-ledger.ts';
import { waitUntil } from './lib/wait.ts';

export async function crashScenario(payments = 500, kills = 3, buyers = 8): Promise<Checks> {
  const checks = new Checks('crash');
  const dataDir = mkdtempSync(join(tmpdir(), 'spay-reliability-crash-'));
  const port = await freePort();
  const app0 = demoApp();
  const ledger = await startMerchantLedger({ dataDir, app: merchantView(app0, `http://127.0.0.1:${port}`) });
  const app = demoApp({ webhookUrl: ledger.url });
  const start = () => startGatewayProcess({ dataDir, app, port, webhookRetryScale: 0.01 });
  let gateway: GatewayProcess = await start();
  const url = () => gateway.url;
  const stats: BuyerStats = { refusals: [], networkRetries: 0 };
  const expected = new Map<string, number>();
  // The kill moments come from a seed that is always printed; SPAY_CRASH_SEED=N replays a run's moments.
  const random = killRandom();
  // One random moment (a number of payments finished) in each of `kills` equal stretches of the run.
  const moments = killMoments(payments, kills, random);
  const schedule = killSchedule({
    moments,
    random,
    kill: async () => {
      const victim = gateway;
      await victim.kill('SIGKILL');
      const exit = await victim.exited;
      gateway = await start();
      return String(exit.signal ?? exit.code);
    },
  });
  let finished = 0;
  let started = 0;
  try {
    checks.tried_(
      `${payments} payments by ${buyers} buyers, SIGKILL after ${moments.join(', ')} payments (+ 0–300 ms), ` +
        `seed ${random.seed} (replay: SPAY_CRASH_SEED=${random.seed})`,
    );
    const startedAt = Date.now();
    const buyer = async () => {
      while (started < payments) {
        started += 1;
        const fee = 100 + started;
        try {
          const outcome = await payOnce(url, app, fee, stats);
          expected.set(outcome.billNo, outcome.fee);
        } catch (error) {
          stats.refusals.push(String(error).slice(0, 200));
        }
        finished += 1;
        schedule.finished(finished);
      }
    };
    await Promise.all(Array.from({ length: buyers }, buyer));
    await schedule.done();
    const killed = schedule.killed;
    const paySeconds = (Date.now() - startedAt) / 1000;
    checks.check(
      'the gateway was SIGKILLed and restarted at 3 random moments',
      killed.length === kills && killed.every((kill) => kill.startsWith('SIGKILL')),
      killed.join('; '),
    );
    checks.check(
      `every payment went through (${payments})`,
      expected.size === payments && stats.refusals.length === 0,
      `${expected.size} paid in ${paySeconds.toFixed(1)} s, ${stats.refusals.length} refused` +
        `${stats.refusals[0] ? ` (first: ${stats.refusals[0]})` : ''}, ${stats.networkRetries} retries while down`,
    );
    await waitUntil(() => ledger.booked().size >= expected.size, 90_000);
    // Let in-flight retries of already booked webhooks land before the books are closed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await gateway.kill('SIGTERM');
    const booked = ledger.booked();
    const duplicates = [...booked.values()].filter((payment) => payment.deliveries > 1).length;
    const wrongFee = [...expected].filter(([billNo, fee]) => booked.get(billNo)?.fee !== fee).length;
    const strangers = [...booked.keys()].filter((billNo) => !expected.has(billNo)).length;
    checks.check(
      'every paid bill’s webhook reached the merchant at least once',
      [...expected.keys()].every((billNo) => booked.has(billNo)),
      `${booked.size}/${expected.size} booked, ${ledger.deliveries()} deliveries, ${duplicates} delivered more than once`,
    );
    checks.check(
      'the merchant booked each payment exactly once, for its amount',
      booked.size === expected.size && wrongFee === 0 && strangers === 0 && ledger.conflictingFees() === 0,
      `${booked.size} rows for ${expected.size} payments, ${wrongFee} wrong amounts, ${strangers} unknown, ` +
        `${ledger.rejected()} bad signatures`,
    );
    const records = readGatewayRecords(dataDir, app.appId);
    const { problems, paidOrders, deliveredWebhooks } = paidOrderProblems(records, expected);
    checks.check(
      'no bill in a state it should not be',
      problems.length === 0,
      `${paidOrders} orders paid once, ${records.bills.length} attempts, ${deliveredWebhooks} webhooks marked delivered` +
        `${problems.length ? `; ${problems.length} problems, first: ${problems.slice(0, 3).join(' | ')}` : ''}`,
    );
  } finally {
    await gateway.kill('SIGKILL');
    await ledger.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return checks;
}
