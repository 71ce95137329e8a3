/**
 * Several instances: three gateway processes on one throw-away PostgreSQL cluster (scripts/postgres-cluster.ts,
 * Debian's postgresql found as `npm run test:postgres` finds it), started at the same moment (the migrations wait
 * for each other under their advisory lock). Buyers are spread over them the way a balancer would: each payment's
 * bill is created on one instance, its payer's status stream (SSE) opened on the next and the payment made
 * through the third. At a seeded random moment the instance holding the most open streams is SIGKILLed and
 * restarted on its port (one more payer opens its stream there just before and pays only after the kill, so at
 * least one stream is surely cut); while it is down the buyers go to the others (a request that fails to connect is sent to
 * the next instance), and a payer whose stream it cut connects again to another one. Webhooks go to a local
 * merchant ledger that books by transaction_id.
 *
 * Afterwards: every payment booked exactly once in PostgreSQL (one paid attempt per order, nothing paid that
 * nobody paid); every PAY webhook delivered (at least once: a repeated delivery must be the same event, its
 * `webhook-id`, sent again, and is counted); every payer saw the payment on their stream, pushed by the instance
 * serving it although the payment landed on another (NOTIFY), or — for streams the kill cut — at the reconnect
 * to another instance.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../e2e/stack.ts';
import { openEventStream, type EventStreamReader } from '../../gateway/testing/event-stream.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../scripts/postgres-cluster.ts';
import { demoApp, merchantView } from '../lib/demo-app.ts';
import { startGatewayProcess, type GatewayProcess } from '../lib/gateway-process.ts';
import { createBill, publicBill, sandboxPay, uniqueBillNo } from '../lib/rest-requests.ts';
import { retrying, type BuyerStats } from './lib/buyers.ts';
import { Checks } from './lib/checks.ts';
import { paidOrderProblems, readPostgresRecords } from './lib/gateway-database.ts';
import { killMoments, killRandom, killSchedule } from './lib/kill-schedule.ts';
import { startMerchantLedger, type MerchantLedger } from './lib/merchant-ledger.ts';
import { waitUntil } from './lib/wait.ts';

const INSTANCES = 3;
/** How long a payer waits for the push before reading the status once (the widget falls back to polling). */
const PUSH_WAIT_MS = 8000;

/** How the payer learnt that the bill was paid. */
type Seen = 'push' | 'reconnect' | 'read';

interface PayerRecord {
  billNo: string;
  seen: Seen;
  /** The instance whose stream told the payer, and the one the payment went through. */
  streamInstance: number;
  payInstance: number;
  /** The stream was cut (its instance killed) and opened again on another instance. */
  reconnects: number;
  /** Each reconnect went to another instance than the one that cut the stream. */
  reconnectedElsewhere: boolean;
  /** The payment's request failed to connect at least once (its instance went down under it). */
  payInterrupted: boolean;
}

export async function instancesKillScenario(payments = 120, buyers = 6): Promise<Checks> {
  const checks = new Checks('instances');
  const dirs = Array.from({ length: INSTANCES }, () => mkdtempSync(join(tmpdir(), 'spay-reliability-inst-')));
  const ports = await Promise.all(Array.from({ length: INSTANCES }, () => freePort()));
  let cluster: ThrowawayPostgres | undefined;
  let ledger: MerchantLedger | undefined;
  const gateways: (GatewayProcess | undefined)[] = Array.from({ length: INSTANCES }, () => undefined);
  try {
    cluster = await startThrowawayPostgres();
    const databaseUrl = cluster.url;
    ledger = await startMerchantLedger({
      dataDir: dirs[0]!,
      app: merchantView(demoApp(), `http://127.0.0.1:${ports[0]}`),
    });
    const app = demoApp({ webhookUrl: ledger.url });
    // What every instance shares: the database, the key sealing channel secrets, short webhook leases (so the
    // deliveries a killed instance had claimed are taken over within seconds, not the default 30 s).
    const env = { SPAY_SECRET_KEY: randomBytes(32).toString('hex') };
    const start = (index: number) =>
      startGatewayProcess({
        dataDir: dirs[index]!,
        app,
        port: ports[index],
        databaseUrl,
        webhookRetryScale: 0.01,
        webhookLeaseMs: 3000,
        env,
        // Three processes starting at once on two shared cores may take a while.
        startTimeoutMs: 90_000,
      });
    const startedAt = Date.now();
    const started = await Promise.allSettled(ports.map((_, index) => start(index)));
    started.forEach((result, index) => {
      if (result.status === 'fulfilled') gateways[index] = result.value;
    });
    const refused = started.filter((result) => result.status === 'rejected');
    checks.check(
      `${INSTANCES} instances started at once on one empty database`,
      refused.length === 0,
      `${INSTANCES - refused.length}/${INSTANCES} listening in ${((Date.now() - startedAt) / 1000).toFixed(1)} s` +
        `${refused[0] ? ` (first refusal: ${String((refused[0] as PromiseRejectedResult).reason).slice(0, 300)})` : ''}`,
    );
    if (refused.length > 0) return checks;

    const down = new Set<number>();
    /** The instance at `preferred`, or the next one up (a balancer skipping a dead upstream), avoiding `avoid`. */
    const pick = (preferred: number, avoid?: number): number => {
      for (let step = 0; step < INSTANCES; step += 1) {
        const index = (preferred + step) % INSTANCES;
        if (!down.has(index) && index !== avoid) return index;
      }
      for (let step = 0; step < INSTANCES; step += 1) {
        const index = (preferred + step) % INSTANCES;
        if (!down.has(index)) return index;
      }
      return preferred % INSTANCES;
    };
    const urlOf = (index: number) => `http://127.0.0.1:${ports[index]}`;
    /** Open status streams per instance (the kill takes the instance holding the most). */
    const openStreams = Array.from({ length: INSTANCES }, () => 0);

    const random = killRandom();
    const moments = killMoments(payments, 1, random, { from: 0.2, span: 0.5 });
    let victim = -1;
    let downSeconds = 0;
    /** The payer whose stream is open on the instance when it is killed, paying only after the kill. */
    let sentinel: Promise<void> = Promise.resolve();
    const schedule = killSchedule({
      moments,
      random,
      kill: async () => {
        const most = Math.max(...openStreams);
        victim = openStreams.indexOf(most);
        // Besides the payers there at that moment (whose payment may land just before the kill), one payer opens
        // its stream there now and pays only once the instance is dead: at least one stream is surely cut.
        let streamOpened!: () => void;
        const opened = new Promise<void>((resolve) => (streamOpened = resolve));
        let killed!: () => void;
        const payAfter = new Promise<void>((resolve) => (killed = resolve));
        sentinel = onePayment(payments + 1, { streamOn: victim, streamOpened, payAfter }).catch(
          (error: unknown) => {
            failures.push(`the payer on the killed instance: ${String(error).slice(0, 200)}`);
          },
        );
        await Promise.race([opened, sentinel]);
        down.add(victim);
        const dying = gateways[victim]!;
        const killedAt = Date.now();
        await dying.kill('SIGKILL');
        const exit = await dying.exited;
        killed();
        gateways[victim] = await start(victim);
        down.delete(victim);
        downSeconds = (Date.now() - killedAt) / 1000;
        return `instance ${victim} (${most} payers' streams open + 1 opened to be cut) ${exit.signal ?? exit.code}`;
      },
    });

    const stats: BuyerStats = { refusals: [], networkRetries: 0 };
    const expected = new Map<string, number>();
    const payers: PayerRecord[] = [];
    const failures: string[] = [];

    /** Opens the bill's stream on an instance that is up and waits for its first status. */
    const openStream = async (
      billId: string,
      preferred: number,
      avoid?: number,
    ): Promise<{ stream: EventStreamReader; instance: number; first: Record<string, unknown> }> => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const instance = pick(preferred, avoid);
        try {
          const stream = await openEventStream(`${urlOf(instance)}/2/rest/bill_public/${billId}/events`);
          if (stream.status !== 200) throw new Error(`stream answered ${stream.status}`);
          const [first] = await stream.waitFor(1, 10_000);
          return { stream, instance, first: JSON.parse(first!.data) as Record<string, unknown> };
        } catch (error) {
          if (Date.now() > deadline) throw error;
          stats.networkRetries += 1;
          preferred = instance + 1;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };

    const onePayment = async (
      serial: number,
      options: { streamOn?: number; streamOpened?: () => void; payAfter?: Promise<void> } = {},
    ): Promise<void> => {
      const fee = 100 + serial;
      const billNo = uniqueBillNo('I');
      const deadline = Date.now() + 60_000;
      const createOn = serial % INSTANCES;
      const bill = await retrying(
        () => createBill(urlOf(pick(createOn)), app, { billNo, totalFee: fee }),
        stats,
        deadline,
      );
      let {
        stream,
        instance: streamInstance,
        first,
      } = await openStream(bill.id, options.streamOn ?? createOn + 1);
      openStreams[streamInstance]! += 1;
      let reconnects = 0;
      let reconnectedElsewhere = true;
      let seen: Seen | undefined;
      // Paid through another instance than the stream's.
      let payInstance = -1;
      let payInterrupted = false;
      if (first.status !== 'open') {
        openStreams[streamInstance]! -= 1;
        stream.close();
        throw new Error(`${billNo}: the stream opened on ${String(first.status)}`);
      }
      options.streamOpened?.();
      await options.payAfter;
      const paying = retrying(
        async () => {
          const instance = pick(createOn + 2, streamInstance);
          try {
            const answer = await sandboxPay(urlOf(instance), app, bill.id);
            payInstance = instance;
            return answer;
          } catch (error) {
            payInterrupted = true;
            throw error;
          }
        },
        stats,
        deadline,
      );
      try {
        const answer = await paying;
        const outcome = answer.json.outcome;
        if (answer.json.result_code !== 0 || (outcome !== 'paid' && outcome !== 'already_paid')) {
          stats.refusals.push(`${billNo}: ${answer.text.slice(0, 200)}`);
          return;
        }
        expected.set(billNo, fee);
        // Wait for `paid` on the stream; a stream the kill cut is opened again on another instance.
        const waitStart = Date.now();
        while (!seen) {
          const paidEvent = stream.events.find((event) => JSON.parse(event.data).status === 'paid');
          if (paidEvent) {
            seen = reconnects > 0 && stream.events.indexOf(paidEvent) === 0 ? 'reconnect' : 'push';
            break;
          }
          if (Date.now() - waitStart > PUSH_WAIT_MS) {
            const status = await retrying(() => publicBill(urlOf(pick(0)), bill.id), stats, deadline);
            if (status.status === 'paid') seen = 'read';
            else throw new Error(`${billNo}: not paid ${PUSH_WAIT_MS} ms after the payment`);
            break;
          }
          const ended = await Promise.race([
            stream.ended.then(() => true),
            stream.waitFor(stream.events.length + 1, 250).then(
              () => false,
              () => false,
            ),
          ]);
          if (ended && !stream.events.some((event) => JSON.parse(event.data).status === 'paid')) {
            openStreams[streamInstance]! -= 1;
            reconnects += 1;
            const again = await openStream(bill.id, streamInstance + 1, streamInstance);
            if (again.instance === streamInstance) reconnectedElsewhere = false;
            stream = again.stream;
            streamInstance = again.instance;
            openStreams[streamInstance]! += 1;
          }
        }
        payers.push({
          billNo,
          seen: seen!,
          streamInstance,
          payInstance,
          reconnects,
          reconnectedElsewhere,
          payInterrupted,
        });
      } finally {
        openStreams[streamInstance]! -= 1;
        stream.close();
      }
    };

    checks.tried_(
      `${payments} payments by ${buyers} buyers over ${INSTANCES} instances on one PostgreSQL (bill on one, ` +
        `status stream on the next, payment through the third), SIGKILL of the instance with the most open ` +
        `streams after ${moments.join(', ')} payments (+ 0–300 ms), restarted on its port; seed ${random.seed} ` +
        `(replay: SPAY_CRASH_SEED=${random.seed})`,
    );
    const payStartedAt = Date.now();
    let next = 0;
    let finished = 0;
    const buyer = async () => {
      while (next < payments) {
        next += 1;
        try {
          await onePayment(next);
        } catch (error) {
          failures.push(String(error).slice(0, 200));
        }
        finished += 1;
        schedule.finished(finished);
      }
    };
    await Promise.all(Array.from({ length: buyers }, buyer));
    await schedule.done();
    await sentinel;
    const total = payments + 1;
    const paySeconds = (Date.now() - payStartedAt) / 1000;

    checks.check(
      'one instance was SIGKILLed mid-run and restarted',
      schedule.killed.length === 1 && schedule.killed[0]!.includes('SIGKILL'),
      `${schedule.killed.join('; ')}; down ${downSeconds.toFixed(1)} s`,
    );
    checks.check(
      `every payment went through (${payments} + 1 by the payer on the killed instance)`,
      expected.size === total && stats.refusals.length === 0 && failures.length === 0,
      `${expected.size} paid in ${paySeconds.toFixed(1)} s, ${stats.refusals.length} refused, ` +
        `${failures.length} failed${[...stats.refusals, ...failures][0] ? ` (first: ${[...stats.refusals, ...failures][0]})` : ''}, ` +
        `${stats.networkRetries} requests sent again to another instance`,
    );

    // The payer's push.
    const pushed = payers.filter((payer) => payer.seen === 'push');
    // A stream never cut was opened on another instance than the one paid through: its push crossed instances.
    const uncutPushed = pushed.filter((payer) => payer.reconnects === 0);
    const across = uncutPushed.filter((payer) => payer.streamInstance !== payer.payInstance);
    const cut = payers.filter((payer) => payer.reconnects > 0);
    const read = payers.filter((payer) => payer.seen === 'read');
    // A push may only be missing for a payment whose instance died under its request (it may have committed and
    // died before announcing): that payer learns at the fallback read, as the widget's polling would.
    const unexplained = read.filter((payer) => !payer.payInterrupted);
    checks.check(
      "every payer's stream showed the payment, pushed across instances; streams the kill cut reconnected elsewhere",
      payers.length === total &&
        unexplained.length === 0 &&
        across.length === uncutPushed.length &&
        pushed.length > 0 &&
        cut.length > 0 &&
        cut.every((payer) => payer.reconnectedElsewhere),
      `${pushed.length} pushed (${across.length} of the ${uncutPushed.length} on streams never cut by an ` +
        `instance other than the one paid through), ` +
        `${cut.length} streams cut by the kill and opened again on another instance ` +
        `(${cut.filter((payer) => payer.seen === 'push').length} then pushed, ` +
        `${cut.filter((payer) => payer.seen === 'reconnect').length} paid at the reconnect), ` +
        `${read.length} seen only by a read after ${PUSH_WAIT_MS / 1000} s (${unexplained.length} without a ` +
        `payment cut by the kill)${unexplained[0] ? `, first: ${unexplained[0].billNo}` : ''}`,
    );

    // Webhooks: every payment's, at least once, one event each.
    await waitUntil(() => ledger!.booked().size >= expected.size, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const gateway of gateways) await gateway?.kill('SIGTERM');
    const booked = ledger.booked();
    const events = ledger.eventIds();
    const twoEvents = [...events].filter(([, ids]) => ids.size > 1);
    const redelivered = [...booked.values()].filter((payment) => payment.deliveries > 1);
    const redeliveries = redelivered.reduce((sum, payment) => sum + payment.deliveries - 1, 0);
    const wrongFee = [...expected].filter(([billNo, fee]) => booked.get(billNo)?.fee !== fee).length;
    const strangers = [...booked.keys()].filter((billNo) => !expected.has(billNo)).length;
    checks.check(
      'every PAY webhook reached the merchant; a repeat is only the same event sent again',
      [...expected.keys()].every((billNo) => booked.has(billNo)) &&
        twoEvents.length === 0 &&
        wrongFee === 0 &&
        strangers === 0 &&
        ledger.rejected() === 0 &&
        ledger.conflictingFees() === 0,
      `${booked.size}/${expected.size} booked, ${ledger.deliveries()} deliveries, ${redeliveries} redeliveries ` +
        `of ${redelivered.length} events, ${twoEvents.length} payments with two events, ${wrongFee} wrong ` +
        `amounts, ${strangers} unknown, ${ledger.rejected()} bad signatures`,
    );

    const records = await readPostgresRecords(databaseUrl, app.appId);
    const { problems, paidOrders, deliveredWebhooks } = paidOrderProblems(records, expected);
    checks.check(
      'every payment booked exactly once in PostgreSQL; nothing paid twice, nothing acknowledged lost',
      problems.length === 0 && paidOrders === expected.size,
      `${paidOrders} orders paid once, ${records.bills.length} attempts, ${deliveredWebhooks} webhooks delivered` +
        `${problems.length ? `; ${problems.length} problems, first: ${problems.slice(0, 3).join(' | ')}` : ''}`,
    );
  } finally {
    for (const gateway of gateways) await gateway?.kill('SIGKILL');
    await ledger?.close();
    await cluster?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
  return checks;
}
