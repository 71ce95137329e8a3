/**
 * Fuzz the gateway's HTTP API: ≥ 1,000 random or mutated REST bodies and query strings (pay, refunds, queries,
 * sandbox payments, webhook resends, the button's order POST and JSONP, bill status). Never a 5xx; every
 * refusal is a BeeCloud answer naming the field; nothing that must fail succeeds; and the bills that existed
 * before — paid and open — are exactly as they were afterwards.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoApp } from '../lib/demo-app.ts';
import { startGatewayProcess } from '../lib/gateway-process.ts';
import { createBill, observedResponses, sandboxPay } from '../lib/rest-requests.ts';
import { Checks } from './lib/checks.ts';
import { fuzzRequest } from './fuzz/rest-mutations.ts';
import { seededRandom } from './fuzz/random.ts';

function snapshot(dataDir: string, ids: Set<string>): Map<string, string> {
  const db = new Database(join(dataDir, 'gateway.sqlite'), { readonly: true });
  try {
    const rows = new Map<string, string>();
    for (const bill of db.prepare('SELECT * FROM bills').all() as Record<string, unknown>[]) {
      // Reconciliation's bookkeeping (when it next asks the channel about an open bill) is not a change of the bill:
      // a run longer than the first reconciliation (30 s) moves it for every open bill.
      const { reconcile_at: _at, reconcile_count: _count, ...state } = bill;
      if (ids.has(String(bill.id))) rows.set(`bill ${String(bill.id)}`, JSON.stringify(state));
    }
    for (const order of db.prepare('SELECT * FROM orders').all() as Record<string, unknown>[]) {
      rows.set(`order ${String(order.bill_no)}`, JSON.stringify(order));
    }
    const refunds = db.prepare('SELECT COUNT(*) AS n FROM refunds').get() as { n: number };
    rows.set('refunds', String(refunds.n));
    return rows;
  } finally {
    db.close();
  }
}

export async function restFuzzScenario(requests = 1500): Promise<Checks> {
  const checks = new Checks('fuzz-rest');
  const random = seededRandom();
  const dataDir = mkdtempSync(join(tmpdir(), 'spay-reliability-fuzz-rest-'));
  const app = demoApp({ webhookUrl: '' });
  const gateway = await startGatewayProcess({ dataDir, app });
  try {
    const paidBillNos: string[] = [];
    const billIds: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const bill = await createBill(gateway.url, app, { totalFee: 5000 + i });
      await sandboxPay(gateway.url, app, bill.id);
      paidBillNos.push(bill.billNo);
      billIds.push(bill.id);
    }
    for (let i = 0; i < 10; i += 1) {
      const bill = await createBill(gateway.url, app, {
        totalFee: 7000 + i,
        channel: 'ALI_WEB',
        returnUrl: 'https://shop.example/r',
      });
      billIds.push(bill.id);
    }
    const before = snapshot(dataDir, new Set(billIds));
    checks.tried_(
      `${requests} random or mutated requests (seed ${random.seed}, replay: SPAY_FUZZ_SEED=${random.seed}) against 20 paid and 10 open bills`,
    );

    const serverErrors: string[] = [];
    const unnamed: string[] = [];
    const wrongSuccesses: string[] = [];
    const byLabel = new Map<string, number>();
    const byStatus = new Map<number, number>();
    let succeeded = 0;
    for (let i = 0; i < requests; i += 1) {
      const request = fuzzRequest({ app, paidBillNos, billIds }, random);
      byLabel.set(request.label, (byLabel.get(request.label) ?? 0) + 1);
      const response = await fetch(`${gateway.url}${request.path}`, {
        method: request.method,
        headers:
          request.contentType !== undefined && request.body !== undefined
            ? { 'content-type': request.contentType }
            : {},
        body: request.body,
      });
      const text = await response.text();
      observedResponses.listener?.(`${request.method} ${request.path}`, text);
      byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
      const where = `${request.label} → ${response.status} ${text.slice(0, 160)}`;
      if (response.status >= 500) serverErrors.push(where);
      let answer: Record<string, unknown> | undefined;
      try {
        answer = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // JSONP answers are scripts; 404s of unknown paths may be plain.
      }
      const code = answer?.result_code ?? answer?.resultCode;
      if (code === 0) {
        succeeded += 1;
        if (request.mustFail) wrongSuccesses.push(where);
      } else if (answer && typeof code === 'number') {
        if (typeof answer.err_detail !== 'string' || !/^[A-Za-z_][\w.[\]-]*[:\s]/.test(answer.err_detail))
          unnamed.push(where);
      } else if (response.status < 400 && !request.label.includes('JSONP')) {
        unnamed.push(where);
      }
    }
    const after = snapshot(dataDir, new Set(billIds));
    const changed = [...before].filter(([key, row]) => after.get(key) !== row).map(([key]) => key);

    checks.check(
      'never a 5xx',
      serverErrors.length === 0,
      `${requests} requests: ${[...byStatus]
        .sort()
        .map(([status, n]) => `${n}× ${status}`)
        .join(', ')}` + `${serverErrors[0] ? ` (first: ${serverErrors[0]})` : ''}`,
    );
    checks.check(
      'every refusal is a BeeCloud answer whose err_detail names the field',
      unnamed.length === 0,
      `${requests - succeeded - unnamed.length} named refusals, ${unnamed.length} unnamed${unnamed[0] ? ` (first: ${unnamed[0]})` : ''}`,
    );
    checks.check(
      'nothing invalid by construction succeeded',
      wrongSuccesses.length === 0,
      `${succeeded} successes (new bills, queries), ${wrongSuccesses.length} wrong${wrongSuccesses[0] ? ` (first: ${wrongSuccesses[0]})` : ''}`,
    );
    checks.check(
      'never a changed bill',
      changed.length === 0,
      `${before.size - 1} bills and orders compared, ${changed.length} changed${changed[0] ? ` (first: ${changed[0]})` : ''}; ` +
        `mix: ${[...byLabel].map(([label, n]) => `${n} ${label}`).join(', ')}`,
    );
  } finally {
    await gateway.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  return checks;
}
