/**
 * Load: 200 concurrent buyers creating and paying bills for 30 s — half through the REST API (pay + sandbox
 * notify), half as the button does (POST /2/rest/jsbutton/ALI_WEB with a signed order, then the sandbox cashier's
 * pay button). Zero errors, zero lost bills, every webhook delivered and booked once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeedApp } from '../../gateway/apps/app.ts';
import { demoApp, merchantView } from '../lib/demo-app.ts';
import { startGatewayProcess } from '../lib/gateway-process.ts';
import { signedOrderFor } from '../lib/merchant-page.ts';
import { callGateway } from '../lib/rest-requests.ts';
import { percentile } from '../lib/stats.ts';
import { payOnce, type BuyerStats } from './lib/buyers.ts';
import { Checks } from './lib/checks.ts';
import { outboxDrained, paidOrderProblems, readGatewayRecords } from './lib/gateway-database.ts';
import { startMerchantLedger } from './lib/merchant-ledger.ts';
import { waitUntil } from './lib/wait.ts';

/** The button's way: the widget's order POST, then the payer presses 支付 on the sandbox cashier. */
async function payWithButton(gatewayUrl: string, app: SeedApp, fee: number, stats: BuyerStats) {
  const order = signedOrderFor(app, '压力测试', fee);
  const created = await callGateway(`${gatewayUrl}/2/rest/jsbutton/ALI_WEB`, {
    method: 'POST',
    body: JSON.stringify({ appId: app.appId, ...order }),
  });
  if (created.json.resultCode !== 0) {
    stats.refusals.push(`button ${order.out_trade_no}: ${created.text.slice(0, 200)}`);
    return undefined;
  }
  const paid = await fetch(`${gatewayUrl}/sandbox/cashier/${String(created.json.id)}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
    redirect: 'manual',
  });
  await paid.arrayBuffer();
  const location = paid.headers.get('location') ?? '';
  if (paid.status !== 303 || location.includes('/sandbox/cashier/')) {
    stats.refusals.push(`cashier ${order.out_trade_no}: HTTP ${paid.status} → ${location}`);
    return undefined;
  }
  return { billNo: order.out_trade_no, fee };
}

export async function loadScenario(buyers = 200, seconds = 30): Promise<Checks> {
  const checks = new Checks('load');
  const dataDir = mkdtempSync(join(tmpdir(), 'spay-reliability-load-'));
  const ledger = await startMerchantLedger({ dataDir, app: merchantView(demoApp(), '') });
  const app = demoApp({ webhookUrl: ledger.url });
  // Every buyer here comes from 127.0.0.1; in the world the button half are payers on their own addresses. The
  // client's connection pool keeps idle keep-alive connections beside the busy ones, so 200 buyers on one address
  // can hold more than the default 256 per address, and the gateway refuses those over the cap with a 503
  // (tested in http/connection-limits.test.ts). The cap is raised here so the load measures payments, not it.
  const gateway = await startGatewayProcess({
    dataDir,
    app,
    webhookRetryScale: 0.01,
    env: { SPAY_MAX_CONNECTIONS_PER_IP: String(Math.max(256, buyers * 4)) },
  });
  const stats: BuyerStats = { refusals: [], networkRetries: 0 };
  const expected = new Map<string, number>();
  const paymentMs = { rest: [] as number[], button: [] as number[] };
  let errors = 0;
  try {
    checks.tried_(`${buyers} concurrent buyers for ${seconds} s (half REST, half button + cashier)`);
    const endAt = Date.now() + seconds * 1000;
    let serial = 0;
    const buyer = async (index: number) => {
      while (Date.now() < endAt) {
        serial += 1;
        const fee = 1 + (serial % 9999);
        const began = Date.now();
        try {
          const paid =
            index % 2 === 0
              ? await payOnce(() => gateway.url, app, fee, stats, 0)
              : await payWithButton(gateway.url, app, fee, stats);
          if (paid) {
            expected.set(paid.billNo, paid.fee);
            paymentMs[index % 2 === 0 ? 'rest' : 'button'].push(Date.now() - began);
          }
        } catch (error) {
          errors += 1;
          stats.refusals.push(String(error).slice(0, 200));
        }
      }
    };
    await Promise.all(Array.from({ length: buyers }, (_, index) => buyer(index)));
    checks.check(
      'zero errors under load',
      errors === 0 && stats.refusals.length === 0 && stats.networkRetries === 0,
      `${expected.size} payments (${(expected.size / seconds).toFixed(0)}/s); one payment took p50/p99 ` +
        `${percentile(paymentMs.rest, 50)}/${percentile(paymentMs.rest, 99)} ms by REST, ` +
        `${percentile(paymentMs.button, 50)}/${percentile(paymentMs.button, 99)} ms by button; ` +
        `${errors + stats.refusals.length} errors` +
        `${stats.refusals[0] ? ` (first: ${stats.refusals[0]})` : ''}`,
    );
    const drainedAt = Date.now();
    const allBooked = await waitUntil(() => ledger.booked().size >= expected.size, 120_000);
    const drainSeconds = (Date.now() - drainedAt) / 1000;
    await waitUntil(() => outboxDrained(dataDir, app.appId), 60_000);
    await gateway.kill('SIGTERM');
    const booked = ledger.booked();
    checks.check(
      'every webhook delivered and booked once',
      allBooked && booked.size === expected.size && [...expected.keys()].every((no) => booked.has(no)),
      `${booked.size}/${expected.size} booked (${drainSeconds.toFixed(1)} s after the load), ` +
        `${ledger.deliveries()} deliveries, ${ledger.rejected()} bad signatures`,
    );
    const records = readGatewayRecords(dataDir, app.appId);
    const { problems, paidOrders } = paidOrderProblems(records, expected);
    checks.check(
      'zero lost bills: every order paid once, amounts unchanged',
      problems.length === 0 && records.orders.length === expected.size,
      `${paidOrders}/${expected.size} orders paid once, ${records.orders.length} orders recorded` +
        `${problems.length ? `; first problems: ${problems.slice(0, 3).join(' | ')}` : ''}`,
    );
  } finally {
    await gateway.kill('SIGKILL');
    await ledger.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return checks;
}
