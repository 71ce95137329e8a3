/**
 * Webhook receivers chosen or run by an attacker (issue 21 items 1–3, 12), against the gateway as a process:
 *
 * - `ssrf`: a sandbox bill (signed with the test secret only) whose notify_url points at the gateway's own
 *   machine, the metadata service or the private network is refused when the bill is created; a name that
 *   resolves to this machine passes that check and is refused at connect time. Nothing reaches the internal
 *   listener and no internal answer can be read back.
 * - `huge-answers`: a receiver answering 400 MB to every delivery, many deliveries and retries at once: the
 *   gateway's peak RSS stays under 250 MB.
 * - `slow-receiver`: one app's receiver accepts and never answers forty deliveries; another app's webhooks
 *   still arrive within 1 s (their first attempt goes out at the commit; on a loaded machine a few hundred ms).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { SeedApp } from '../../gateway/apps/app.ts';
import { runAppsCli } from '../../gateway/cli/apps-cli.ts';
import { dispatchLimits } from '../../gateway/webhooks/webhook-dispatcher.ts';
import { demoApp } from '../lib/demo-app.ts';
import { startGatewayProcess } from '../lib/gateway-process.ts';
import { callGateway, signedAuth, uniqueBillNo } from '../lib/rest-requests.ts';
import { payOnce, type BuyerStats } from './lib/buyers.ts';
import { Checks } from './lib/checks.ts';
import { waitUntil } from './lib/wait.ts';

async function listen(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function attemptsOf(
  dataDir: string,
): { error: string | null; http_status: number | null; excerpt: string }[] {
  const db = new Database(join(dataDir, 'gateway.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('select error, http_status, response_excerpt as excerpt from webhook_attempts')
      .all() as { error: string | null; http_status: number | null; excerpt: string }[];
  } finally {
    db.close();
  }
}

function sandboxBillBody(app: SeedApp, notifyUrl: string): string {
  return JSON.stringify({
    ...signedAuth(app, 'test'),
    channel: 'ALI_WEB',
    total_fee: 1,
    bill_no: uniqueBillNo('S'),
    title: 'ssrf',
    return_url: 'https://shop.example/back',
    notify_url: notifyUrl,
  });
}

export async function ssrfScenario(): Promise<Checks> {
  const checks = new Checks('ssrf');
  const dataDir = mkdtempSync(join(tmpdir(), 'spay-reliability-ssrf-'));
  let internalHits = 0;
  const internal = await listen((request, response) => {
    internalHits += 1;
    request.resume();
    response.end('internal secret: root password');
  });
  const app = demoApp({ webhookUrl: '' });
  const gateway = await startGatewayProcess({ dataDir, app, allowPrivateTargets: false });
  try {
    const p = internal.port;
    const literal = [
      `http://127.0.0.1:${p}/`,
      `http://[::1]:${p}/`,
      `http://localhost:${p}/`,
      `http://0:${p}/`,
      `http://2130706433:${p}/`,
      `http://0x7f.1:${p}/`,
      `http://[::ffff:127.0.0.1]:${p}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://192.168.1.1/',
      'http://172.16.0.1/',
      'http://100.64.0.1/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
    ];
    checks.tried_(`${literal.length} internal notify_url spellings on sandbox bills (test secret only)`);
    let refusedAtCreation = 0;
    for (const url of literal) {
      const answer = await callGateway(`${gateway.url}/2/rest/sandbox/bill`, {
        method: 'POST',
        body: sandboxBillBody(app, url),
      });
      if (
        answer.json.result_msg === 'PARAM_INVALID' &&
        /^notify_url: /.test(String(answer.json.err_detail))
      ) {
        refusedAtCreation += 1;
      }
    }
    checks.check(
      'internal notify_url targets are refused when the bill is created, naming notify_url',
      refusedAtCreation === literal.length,
      `${refusedAtCreation}/${literal.length} refused`,
    );

    // A name resolving to this machine passes the set-time check; the connection must still be refused.
    const names = [`http://${hostname()}:${p}/hook`];
    checks.tried_(`notify_url ${names[0]} (a name resolving to this machine), then the bill is paid`);
    const billIds: string[] = [];
    for (const url of names) {
      const answer = await callGateway(`${gateway.url}/2/rest/sandbox/bill`, {
        method: 'POST',
        body: sandboxBillBody(app, url),
      });
      if (answer.json.result_code === 0) billIds.push(String(answer.json.id));
    }
    for (const id of billIds) {
      const auth = signedAuth(app, 'test');
      const query = new URLSearchParams({
        app_id: auth.app_id,
        timestamp: String(auth.timestamp),
        app_sign: auth.app_sign,
      });
      await callGateway(`${gateway.url}/2/rest/sandbox/notify/${app.appId}/${id}?${query}`);
    }
    await waitUntil(() => attemptsOf(dataDir).length >= billIds.length, 15_000);
    const attempts = attemptsOf(dataDir);
    const refusedAtConnect = attempts.filter((attempt) => /^refused target/.test(attempt.error ?? '')).length;
    checks.check(
      'a name resolving to an internal address is refused at connect time',
      billIds.length === names.length && refusedAtConnect === attempts.length && attempts.length >= 1,
      `${billIds.length} bill(s) with the name accepted, ${refusedAtConnect}/${attempts.length} attempts refused (${attempts[0]?.error ?? 'none'})`,
    );
    checks.check(
      'nothing reached the internal listener and no internal answer was stored',
      internalHits === 0 && attempts.every((attempt) => !attempt.excerpt.includes('internal secret')),
      `${internalHits} requests reached it`,
    );
  } finally {
    await gateway.kill('SIGTERM');
    await internal.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return checks;
}

export async function hugeAnswersScenario(payments = 16, answerMb = 400): Promise<Checks> {
  const checks = new Checks('huge-answers');
  const dataDir = mkdtempSync(join(tmpdir(), 'spay-reliability-huge-'));
  const chunk = Buffer.alloc(256 * 1024, 'z');
  let deliveries = 0;
  let bytesSent = 0;
  const receiver = await listen((request, response) => {
    deliveries += 1;
    request.resume();
    response.writeHead(200, { 'content-type': 'text/plain' });
    let left = answerMb * 1024 * 1024;
    const pump = () => {
      while (left > 0) {
        left -= chunk.length;
        bytesSent += chunk.length;
        if (!response.write(chunk)) return void response.once('drain', pump);
      }
      response.end();
    };
    pump();
  });
  const app = demoApp({ webhookUrl: `http://127.0.0.1:${receiver.port}/webhook` });
  const gateway = await startGatewayProcess({ dataDir, app, webhookRetryScale: 0.01 });
  try {
    checks.tried_(`${payments} payments, every delivery answered with ${answerMb} MB, each retried`);
    const stats: BuyerStats = { refusals: [], networkRetries: 0 };
    await Promise.all(
      Array.from({ length: payments }, (_, i) => payOnce(() => gateway.url, app, 300 + i, stats)),
    );
    await waitUntil(() => attemptsOf(dataDir).length >= payments * 4, 60_000);
    const attempts = attemptsOf(dataDir);
    const peakMb = gateway.peakRssBytes() / 1024 / 1024;
    checks.check(
      'peak RSS under a flood of huge answers ≤ 250 MB',
      peakMb <= 250 && attempts.length >= payments,
      `${attempts.length} attempts (${deliveries} received), peak RSS ${peakMb.toFixed(0)} MB, ` +
        `${(bytesSent / 1024 / 1024).toFixed(0)} MB written by the receiver of ${((deliveries * answerMb) / 1024).toFixed(1)} GB offered`,
    );
    checks.check(
      'each attempt keeps a 4 KB excerpt and is a failed delivery',
      attempts.every((attempt) => attempt.excerpt.length <= 4096 && attempt.error !== null),
      `longest excerpt ${Math.max(...attempts.map((attempt) => attempt.excerpt.length))} characters`,
    );
  } finally {
    await gateway.kill('SIGTERM');
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return checks;
}

export async function slowReceiverScenario(hanging = 40, otherPayments = 10): Promise<Checks> {
  const checks = new Checks('slow-receiver');
  const dataDir = mkdtempSync(join(tmpdir(), 'spay-reliability-slow-receiver-'));
  let hangingConnections = 0;
  let heldAtOnce = 0;
  let mostHeldAtOnce = 0;
  const hangingReceiver = await listen((request) => {
    hangingConnections += 1;
    heldAtOnce += 1;
    mostHeldAtOnce = Math.max(mostHeldAtOnce, heldAtOnce);
    request.socket.once('close', () => (heldAtOnce -= 1));
    request.resume();
  });
  const arrivals = new Map<string, number>();
  const healthy = await listen((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const transactionId = (JSON.parse(body) as { transaction_id: string }).transaction_id;
      if (!arrivals.has(transactionId)) arrivals.set(transactionId, Date.now());
      response.end('success');
    });
  });
  const slowApp = demoApp({ webhookUrl: `http://127.0.0.1:${hangingReceiver.port}/webhook` });
  // A second app in the same data directory, made with the operators' CLI before the gateway starts.
  process.env.SPAY_ALLOW_PRIVATE_TARGETS = '1';
  const otherApp = (await runAppsCli(
    ['create', '--name', 'other shop', '--webhook-url', `http://127.0.0.1:${healthy.port}/webhook`],
    dataDir,
  )) as SeedApp;
  delete process.env.SPAY_ALLOW_PRIVATE_TARGETS;
  const gateway = await startGatewayProcess({ dataDir, app: slowApp, webhookRetryScale: 1 });
  try {
    checks.tried_(
      `${hanging} payments whose receiver never answers (10 s timeout), then ${otherPayments} of another app`,
    );
    const stats: BuyerStats = { refusals: [], networkRetries: 0 };
    await Promise.all(
      Array.from({ length: hanging }, (_, i) => payOnce(() => gateway.url, slowApp, 500 + i, stats)),
    );
    await waitUntil(() => hangingConnections > 0, 10_000);
    const latencies: number[] = [];
    for (let i = 0; i < otherPayments; i += 1) {
      const paid = await payOnce(() => gateway.url, otherApp, 700 + i, stats);
      const paidAt = Date.now();
      await waitUntil(() => arrivals.has(paid.billNo), 15_000);
      latencies.push((arrivals.get(paid.billNo) ?? Number.POSITIVE_INFINITY) - paidAt);
    }
    const worst = Math.max(...latencies);
    const sorted = [...latencies].sort((a, b) => a - b);
    checks.check(
      "another app's webhook latency while one receiver hangs ≤ 1 s",
      worst <= 1000 && stats.refusals.length === 0,
      `${otherPayments} webhooks: median ${sorted[Math.floor(sorted.length / 2)]} ms, worst ${worst} ms; ` +
        `the hanging receiver got ${hangingConnections} deliveries of ${hanging} due, at most ${mostHeldAtOnce} at once`,
    );
    checks.check(
      'the hanging receiver holds only its share of the dispatcher',
      mostHeldAtOnce <= dispatchLimits.perReceiver,
      `at most ${mostHeldAtOnce} of the dispatcher's ${dispatchLimits.total} deliveries in flight at once ` +
        `(cap of a receiver that does not answer: ${dispatchLimits.perReceiver})`,
    );
  } finally {
    await gateway.kill('SIGTERM');
    await hangingReceiver.close();
    await healthy.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return checks;
}
