/**
 * Receiver outage: the merchant's server is down (connections refused) while payments happen, stays down for
 * a while, then comes back on the same port. Every webhook must arrive, each booked once; none may be given up.
 * The retry schedule is BeeCloud's scaled down with SPAY_WEBHOOK_RETRY_SCALE (0.01: 10 ms, 20 ms … instead of
 * 1 s, 2 s …); the first attempt goes out at the commit, unscaled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoApp, merchantView } from '../lib/demo-app.ts';
import { startGatewayProcess } from '../lib/gateway-process.ts';
import { payOnce, type BuyerStats } from './lib/buyers.ts';
import { Checks } from './lib/checks.ts';
import { outboxDrained, paidOrderProblems, readGatewayRecords } from './lib/gateway-database.ts';
import { startMerchantLedger } from './lib/merchant-ledger.ts';
import { waitUntil } from './lib/wait.ts';

export async function outageScenario(payments = 100, downForMs = 6000): Promise<Checks> {
  const checks = new Checks('outage');
  const dataDir = mkdtempSync(join(tmpdir(), 'spay-reliability-outage-'));
  const ledger = await startMerchantLedger({ dataDir, app: merchantView(demoApp(), '') });
  const app = demoApp({ webhookUrl: ledger.url });
  const gateway = await startGatewayProcess({ dataDir, app, webhookRetryScale: 0.01 });
  try {
    checks.tried_(`merchant down for ${downForMs / 1000} s while ${payments} payments are made, then back`);
    await ledger.stop();
    const downAt = Date.now();
    const stats: BuyerStats = { refusals: [], networkRetries: 0 };
    const expected = new Map<string, number>();
    for (let i = 0; i < payments; i += 1) {
      const outcome = await payOnce(() => gateway.url, app, 200 + i, stats);
      expected.set(outcome.billNo, outcome.fee);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, downAt + downForMs - Date.now())));
    const whileDown = readGatewayRecords(dataDir, app.appId).webhooks;
    const failedAttemptsWhileDown = whileDown.reduce((sum, webhook) => sum + webhook.attempt_count, 0);
    await ledger.start();
    const backAt = Date.now();
    const allArrived = await waitUntil(() => ledger.booked().size >= payments, 60_000);
    const catchUpSeconds = (Date.now() - backAt) / 1000;
    await waitUntil(() => outboxDrained(dataDir, app.appId), 60_000);
    await gateway.kill('SIGTERM');
    const records = readGatewayRecords(dataDir, app.appId);
    const booked = ledger.booked();
    checks.check(
      'the payments went through while the merchant was down',
      expected.size === payments && stats.refusals.length === 0,
      `${expected.size}/${payments} paid, ${stats.refusals.length} refused`,
    );
    checks.check(
      'deliveries were attempted and failed while the merchant was down',
      failedAttemptsWhileDown > 0 && whileDown.every((webhook) => webhook.status === 'pending'),
      `${failedAttemptsWhileDown} failed attempts over ${whileDown.length} webhooks, all still pending`,
    );
    checks.check(
      'every webhook arrived after the merchant came back',
      allArrived && [...expected.keys()].every((billNo) => booked.has(billNo)),
      `${booked.size}/${payments} booked ${catchUpSeconds.toFixed(1)} s after the merchant came back`,
    );
    const givenUp = records.webhooks.filter((webhook) => webhook.status === 'failed').length;
    const maxAttempts = Math.max(...records.webhooks.map((webhook) => webhook.attempt_count));
    checks.check(
      'none was given up, each booked once',
      givenUp === 0 && booked.size === payments && ledger.conflictingFees() === 0,
      `${givenUp} given up, ${booked.size} bookings, up to ${maxAttempts} attempts for one webhook`,
    );
    const { problems } = paidOrderProblems(records, expected);
    checks.check(
      'every order paid once with its webhook marked delivered',
      problems.length === 0,
      problems.length ? problems.slice(0, 3).join(' | ') : `${expected.size} orders checked`,
    );
  } finally {
    await gateway.kill('SIGKILL');
    await ledger.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return checks;
}
