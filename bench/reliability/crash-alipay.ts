/**
 * Crash on the live Alipay channel: a live-mode app whose Alipay settings point at the Alipay simulator; 60
 * ALI_QRCODE payments (the payer pays on the simulator) and 20 refunds while the gateway process is SIGKILLed at
 * two random moments and restarted on the same data directory, port and SPAY_SECRET_KEY. Notifies the gateway
 * missed come back through Alipay's retries (scaled down) and reconciliation (alipay.trade.query, short timings).
 * Afterwards: every trade the simulator says was paid is paid in the gateway, the merchant booked each PAY and
 * REFUND webhook once, and no refund reached Alipay twice — per trade, what Alipay refunded is at most the total
 * and equals what the gateway recorded as succeeded.
 */
import Database from 'better-sqlite3';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../e2e/stack.ts';
import type { SeedApp } from '../../gateway/apps/app.ts';
import { alipayChannel } from '../../gateway/channels/alipay/index.ts';
import { startAlipaySimulator, type SimOrder } from '../../simulators/alipay/index.ts';
import { demoApp, merchantView } from '../lib/demo-app.ts';
import { startGatewayProcess, type GatewayProcess } from '../lib/gateway-process.ts';
import { callGateway, createBill, signedAuth, uniqueBillNo } from '../lib/rest-requests.ts';
import { Checks } from './lib/checks.ts';
import { outboxDrained } from './lib/gateway-database.ts';
import { killMoments, killRandom, killSchedule } from './lib/kill-schedule.ts';
import { startMerchantLedger } from './lib/merchant-ledger.ts';
import { waitUntil } from './lib/wait.ts';

/** What the gateway recorded, read from its SQLite file (read-only). */
function gatewayState(dataDir: string, appId: string) {
  const db = new Database(join(dataDir, 'gateway.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const bills = db.prepare('SELECT id, bill_no, status FROM bills WHERE app_id = ?').all(appId) as {
      id: string;
      bill_no: string;
      status: string;
    }[];
    const refunds = db
      .prepare('SELECT bill_id, refund_no, refund_fee, status FROM refunds WHERE app_id = ?')
      .all(appId) as { bill_id: string; refund_no: string; refund_fee: number; status: string }[];
    return { bills, refunds };
  } finally {
    db.close();
  }
}

const outTradeNoOf = (billId: string) => billId.replaceAll('-', '');

function isNetworkFailure(error: unknown): boolean {
  return (
    error instanceof TypeError || (error instanceof Error && /fetch failed|ECONN|socket/i.test(error.message))
  );
}

/** Retries a call while the gateway is down (network failures only), up to a deadline. */
async function whileDown<T>(attempt: () => Promise<T>, counter: { retries: number }): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isNetworkFailure(error) || Date.now() > deadline) throw error;
      counter.retries += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function refundNo(serial: number): string {
  const china = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `${china}${String(Date.now()).slice(-8)}${String(serial).padStart(5, '0')}`;
}

export async function crashAlipayScenario(
  payments = 60,
  refunds = 20,
  kills = 2,
  buyers = 4,
): Promise<Checks> {
  const checks = new Checks('crash-alipay');
  const dataDir = mkdtempSync(join(tmpdir(), 'spay-reliability-crash-alipay-'));
  const simulator = await startAlipaySimulator({ notifyRetryScale: 0.002 });
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const merchant = await simulator.registerMerchant({ app_public_key: keys.publicKey });
  const settings = alipayChannel.parseSettings({
    app_id: merchant.app_id,
    app_private_key: keys.privateKey,
    alipay_public_key: merchant.alipay_public_key,
    seller_id: merchant.seller_id,
    gateway_url: simulator.gatewayUrl,
  });
  const port = await freePort();
  const live: Partial<SeedApp> = {
    mode: 'live',
    channels: ['ali', 'aliqr'],
    channelSettings: { ALI: settings as unknown as Record<string, unknown> },
  };
  const ledger = await startMerchantLedger({
    dataDir,
    app: merchantView(demoApp(live), `http://127.0.0.1:${port}`),
  });
  const app = demoApp({ ...live, webhookUrl: ledger.url, liveWebhookUrl: ledger.url });
  const env = {
    SPAY_SECRET_KEY: randomBytes(32).toString('hex'),
    SPAY_RECONCILE_AFTER_MS: '1500',
    SPAY_RECONCILE_PASS_MS: '200',
    SPAY_REFUND_SETTLE_MS: '1000',
  };
  const start = () => startGatewayProcess({ dataDir, app, port, webhookRetryScale: 0.01, env });
  let gateway: GatewayProcess = await start();
  const counter = { retries: 0 };
  const refusals: string[] = [];
  /** bill_no → fee, for each payment the payer made at the simulator. */
  const paid = new Map<string, number>();
  const refundNos = new Set<string>();
  /** refund_no → the gateway's last answer to it. */
  const refundAnswers = new Map<string, string>();
  const refundEvery = Math.max(1, Math.floor(payments / refunds));
  // Replay a run's kill moments with SPAY_CRASH_SEED=<the seed it printed>.
  const random = killRandom();
  const moments = killMoments(payments, kills, random, { from: 0.1, span: 0.8 });
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
  let started = 0;
  let finished = 0;
  let refundSerial = 0;
  try {
    checks.tried_(
      `${payments} ALI_QRCODE payments and ${refunds} refunds by ${buyers} buyers through the Alipay simulator, ` +
        `SIGKILL after ${moments.join(', ')} payments (+ 0–300 ms), seed ${random.seed} ` +
        `(replay: SPAY_CRASH_SEED=${random.seed})`,
    );
    const startedAt = Date.now();
    const payAndMaybeRefund = async (serial: number) => {
      const fee = 200 + serial;
      const billNo = uniqueBillNo('A');
      const bill = await whileDown(
        () =>
          createBill(gateway.url, app, {
            billNo,
            totalFee: fee,
            channel: 'ALI_QRCODE',
            returnUrl: 'https://shop.example/r',
          }),
        counter,
      );
      const { order } = await simulator.pay(outTradeNoOf(bill.id));
      if (order.status !== 'TRADE_SUCCESS') throw new Error(`${billNo}: the simulator says ${order.status}`);
      paid.set(billNo, fee);
      if (serial % refundEvery !== 0 || refundSerial >= refunds) return;
      refundSerial += 1;
      const no = refundNo(refundSerial);
      refundNos.add(no);
      // A refund needs the bill paid in the gateway: wait for the notify (or reconciliation) to land.
      const booked = await waitUntil(
        () =>
          gatewayState(dataDir, app.appId).bills.some(
            (row) => row.bill_no === billNo && row.status === 'paid',
          ),
        60_000,
      );
      if (!booked) throw new Error(`${billNo}: not paid in the gateway within 60 s`);
      // The same refund_no on every try: a refund whose answer a crash swallowed is not made twice.
      const answer = await whileDown(
        () =>
          callGateway(`${gateway.url}/2/rest/refund`, {
            method: 'POST',
            body: JSON.stringify({
              ...signedAuth(app, 'master'),
              bill_no: billNo,
              refund_no: no,
              refund_fee: Math.floor(fee / 2),
            }),
          }),
        counter,
      );
      refundAnswers.set(no, answer.text.slice(0, 160));
    };
    const buyer = async () => {
      while (started < payments) {
        started += 1;
        try {
          await payAndMaybeRefund(started);
        } catch (error) {
          refusals.push(String(error).slice(0, 200));
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
      `the gateway was SIGKILLed and restarted at ${kills} random moments`,
      killed.length === kills && killed.every((kill) => kill.startsWith('SIGKILL')),
      killed.join('; '),
    );
    checks.check(
      `every payment was made at the simulator (${payments}) and every refund asked for (${refunds})`,
      paid.size === payments && refundNos.size === refunds && refusals.length === 0,
      `${paid.size} paid in ${paySeconds.toFixed(1)} s, ${refundNos.size} refunds, ${refusals.length} refused` +
        `${refusals[0] ? ` (first: ${refusals[0]})` : ''}, ${counter.retries} retries while down`,
    );

    // Every trade Alipay says was paid must end paid in the gateway (notify retries + reconciliation).
    const simOrders = new Map<string, SimOrder>(
      (await simulator.orders())
        .filter((order) => order.app_id === merchant.app_id)
        .map((order) => [order.out_trade_no, order]),
    );
    const paidAtAlipay = [...simOrders.values()].filter((order) => order.gmt_payment !== null);
    const settleStartedAt = Date.now();
    const unpaidInGateway = () => {
      const paidIds = new Set(
        gatewayState(dataDir, app.appId)
          .bills.filter((bill) => bill.status === 'paid')
          .map((bill) => outTradeNoOf(bill.id)),
      );
      return paidAtAlipay.filter((order) => !paidIds.has(order.out_trade_no));
    };
    await waitUntil(() => unpaidInGateway().length === 0, 60_000);
    const settleMs = Date.now() - settleStartedAt;
    const left = unpaidInGateway();
    const notifies = await simulator.notifies();
    const missed = notifies.filter((notify) => notify.answer !== 'success');
    const retried = new Set(missed.map((notify) => notify.out_trade_no)).size;
    const queries = (await simulator.requests()).filter((r) => r.method === 'alipay.trade.query').length;
    checks.check(
      'every trade Alipay says was paid ends paid in the gateway',
      paidAtAlipay.length === payments && left.length === 0,
      `${paidAtAlipay.length} paid at Alipay, ${left.length} not paid in the gateway ` +
        `(${(settleMs / 1000).toFixed(1)} s after the last payment); ${notifies.length} notifies, ` +
        `${missed.length} not answered success (${retried} trades), ${queries} alipay.trade.query${left[0] ? `, first: ${left[0].out_trade_no}` : ''}`,
    );

    // Refunds settle (a refund a kill left processing is taken up by the settler), their webhooks delivered.
    await waitUntil(
      () => gatewayState(dataDir, app.appId).refunds.every((refund) => refund.status !== 'processing'),
      60_000,
    );
    const expectedBookings = paid.size + refundNos.size;
    await waitUntil(() => ledger.booked().size >= expectedBookings, 60_000);
    // Retries of already booked webhooks land before the books are closed: wait until none is pending.
    await waitUntil(() => outboxDrained(dataDir, app.appId), 60_000);
    await gateway.kill('SIGTERM');
    const booked = ledger.booked();
    const strangers = [...booked.keys()].filter((id) => !paid.has(id) && !refundNos.has(id)).length;
    const wrongFee = [...paid].filter(([billNo, fee]) => booked.get(billNo)?.fee !== fee).length;
    const duplicates = [...booked.values()].filter((payment) => payment.deliveries > 1).length;
    checks.check(
      'the merchant booked each PAY webhook exactly once, for its amount',
      paid.size > 0 &&
        [...paid.keys()].every((billNo) => booked.has(billNo)) &&
        wrongFee === 0 &&
        strangers === 0,
      `${[...paid.keys()].filter((billNo) => booked.has(billNo)).length}/${paid.size} payments booked, ` +
        `${wrongFee} wrong amounts, ${strangers} unknown, ${ledger.deliveries()} deliveries, ` +
        `${duplicates} delivered more than once, ${ledger.rejected()} bad signatures, ` +
        `${ledger.conflictingFees()} conflicting amounts`,
    );

    // No refund applied twice at Alipay: per trade, refunded ≤ total and = what the gateway says succeeded.
    const state = gatewayState(dataDir, app.appId);
    const succeededByTrade = new Map<string, number>();
    for (const refund of state.refunds) {
      if (refund.status !== 'succeeded') continue;
      const trade = outTradeNoOf(refund.bill_id);
      succeededByTrade.set(trade, (succeededByTrade.get(trade) ?? 0) + Number(refund.refund_fee));
    }
    const finalOrders = await simulator.orders();
    const problems: string[] = [];
    let refundedAtAlipay = 0;
    let refundsAtAlipay = 0;
    for (const order of finalOrders.filter((o) => o.app_id === merchant.app_id)) {
      const refunded = order.refunds.reduce((sum, refund) => sum + refund.refund_fee, 0);
      refundedAtAlipay += refunded;
      refundsAtAlipay += order.refunds.length;
      const requestNos = order.refunds.map((refund) => refund.out_request_no);
      if (new Set(requestNos).size !== requestNos.length)
        problems.push(`${order.out_trade_no}: one out_request_no refunded twice`);
      if (refunded > order.total_fee)
        problems.push(`${order.out_trade_no}: refunded ${refunded} > ${order.total_fee}`);
      const recorded = succeededByTrade.get(order.out_trade_no) ?? 0;
      if (refunded !== recorded)
        problems.push(`${order.out_trade_no}: Alipay refunded ${refunded}, the gateway recorded ${recorded}`);
    }
    const succeeded = state.refunds.filter((refund) => refund.status === 'succeeded').length;
    const refundBooked = [...refundNos].filter((no) => booked.has(no)).length;
    // Each refund asked for that did not end succeeded: its state in the gateway and the gateway's last answer.
    const unsettled = [...refundNos]
      .filter(
        (no) => !state.refunds.some((refund) => refund.refund_no === no && refund.status === 'succeeded'),
      )
      .map((no) => {
        const row = state.refunds.find((refund) => refund.refund_no === no);
        return `${no}: ${row ? row.status : 'not in the gateway'}, answered ${refundAnswers.get(no) ?? 'nothing'}`;
      });
    checks.check(
      'no refund applied twice at Alipay; what it refunded is what the gateway recorded',
      problems.length === 0 && refundsAtAlipay === refunds && succeeded === refunds,
      `${refundsAtAlipay} refunds at Alipay (${refundedAtAlipay} fen), ${succeeded} succeeded in the gateway, ` +
        `${refundBooked} REFUND webhooks booked${problems.length ? `; ${problems.length} problems, first: ${problems.slice(0, 3).join(' | ')}` : ''}` +
        `${unsettled.length ? `; not succeeded: ${unsettled.slice(0, 3).join(' | ')}` : ''}`,
    );
  } finally {
    await gateway.kill('SIGKILL');
    await ledger.close();
    await simulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return checks;
}
