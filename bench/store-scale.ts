/**
 * Cost as the work grows: the store holding 10 k, 100 k and 1 M bills (SPAY_BENCH_SCALE_SIZES), on SQLite and on
 * PostgreSQL (a throw-away cluster). One gateway process per engine; before each size the store is filled up to it
 * straight through its tables (bench/lib/fill-bills.ts, seconds for a million), then, with autocannon at 50
 * connections:
 *   - `GET /2/rest/bills?channel=WX&spay_result=true&start_time&end_time&limit=10` — the first page;
 *   - the same, a deep page in the middle of the matches, once with BeeCloud's `skip` and once with spay's keyset
 *     `cursor` (the same 10 bills, checked);
 *   - `POST /2/rest/bill` (bill creation, as in gateway-throughput.ts).
 * Reads run before creation so the filled bills' positions stay put (created bills are unpaid, so never match),
 * except the deep page by skip, which runs last (see below); created bills never match the filter anyway.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startThrowawayPostgres } from '../scripts/postgres-cluster.ts';
import { encodeListCursor } from '../gateway/rest/list-cursor.ts';
import { load, type LoadFigures } from './gateway-throughput.ts';
import { freshDatabase } from './instances-throughput.ts';
import { demoApp } from './lib/demo-app.ts';
import {
  fillBills,
  filledBillId,
  filledCreateTime,
  FILL_STEP_MS,
  type FillTarget,
} from './lib/fill-bills.ts';
import { startGatewayProcess } from './lib/gateway-process.ts';
import { callGateway, loadPayBody, signedAuth } from './lib/rest-requests.ts';
import { round } from './lib/stats.ts';

export interface ScaleRow {
  engine: 'sqlite' | 'postgres';
  /** Filled bills in the store when the size's loads began (bills created by earlier loads come on top). */
  bills: number;
  /** Seconds the fill up to this size took (from the previous size). */
  fillSeconds: number;
  firstPage: LoadFigures;
  deepPageSkip: LoadFigures;
  deepPageCursor: LoadFigures;
  billCreation: LoadFigures;
  /** How deep the deep page is (its `skip`). */
  deepSkip: number;
}

export interface ScaleResult {
  connections: number;
  durationSeconds: number;
  sizes: number[];
  rows: ScaleRow[];
}

export function scaleSizes(text = process.env.SPAY_BENCH_SCALE_SIZES): number[] {
  const sizes = (text ?? '10000,100000,1000000')
    .split(',')
    .map((part) => Number(part.trim()))
    .filter((size) => Number.isSafeInteger(size) && size > 0);
  return [...new Set(sizes)].sort((a, b) => a - b);
}

/** 1 in 6 filled bills matches `channel=WX&spay_result=true`: those with `i % 6 == 0`. */
function matchesBelow(size: number): number {
  return Math.ceil(size / 6);
}

async function measureEngine(
  engine: 'sqlite' | 'postgres',
  options: { connections: number; durationSeconds: number; sizes: number[]; databaseUrl?: string },
): Promise<ScaleRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), `spay-bench-scale-${engine}-`));
  const app = demoApp({ webhookUrl: '' });
  const gateway = await startGatewayProcess({
    dataDir,
    app,
    databaseUrl: options.databaseUrl,
    startTimeoutMs: 90_000,
  });
  const target: FillTarget = {
    dataDir,
    databaseUrl: options.databaseUrl,
    appId: app.appId,
    mode: app.mode === 'live' ? 'live' : 'test',
    newestTime: Date.now() - 60_000,
  };
  const rows: ScaleRow[] = [];
  try {
    let filled = 0;
    for (const size of options.sizes) {
      const fillStart = Date.now();
      await fillBills(target, filled, size);
      filled = size;
      const fillSeconds = round((Date.now() - fillStart) / 1000, 1);

      const filter = {
        channel: 'WX',
        spay_result: true,
        start_time: filledCreateTime(target, size) - FILL_STEP_MS,
        end_time: Date.now() + 3_600_000,
        limit: 10,
      };
      const listPath = (extra: Record<string, unknown>) => {
        const query = new URLSearchParams();
        for (const [name, value] of Object.entries({ ...signedAuth(app, 'app'), ...filter, ...extra })) {
          query.set(name, String(value));
        }
        return `/2/rest/bills?${query}`;
      };
      const isPage = (body: string) => body.includes('"result_code":0') && body.includes('"count":10');
      // The deep page: the match in the middle, k = matches / 2 (filled bill 6k), by skip and by cursor.
      const deepSkip = Math.floor(matchesBelow(size) / 2);
      const cursor = encodeListCursor({
        createTime: filledCreateTime(target, 6 * (deepSkip - 1)),
        id: filledBillId(6 * (deepSkip - 1)),
      });
      const bySkip = await callGateway(`${gateway.url}${listPath({ skip: deepSkip })}`);
      const byCursor = await callGateway(`${gateway.url}${listPath({ cursor })}`);
      const firstIds = (answer: typeof bySkip) =>
        ((answer.json.bills ?? []) as { id: string }[]).map((bill) => bill.id).join(',');
      if (firstIds(bySkip) === '' || firstIds(bySkip) !== firstIds(byCursor)) {
        throw new Error(
          `${engine} at ${size}: the deep page by skip and by cursor differ: ${bySkip.text.slice(0, 200)} / ${byCursor.text.slice(0, 200)}`,
        );
      }
      if (!firstIds(bySkip).startsWith(filledBillId(6 * deepSkip))) {
        throw new Error(`${engine} at ${size}: the deep page does not start at filled bill ${6 * deepSkip}`);
      }
      const read = (name: string, extra: Record<string, unknown>) =>
        load({
          name,
          url: gateway.url,
          method: 'GET',
          connections: options.connections,
          durationSeconds: options.durationSeconds,
          next: () => ({ path: listPath(extra) }),
          succeeded: isPage,
        });
      // Each load is followed by one request that waits its turn: the gateway has answered what the load left
      // queued (a slow load's last requests would otherwise be served during the next one's).
      // (The gateway may shed that request while it is still overloaded: asked again until it answers 200.)
      const settled = async <T>(figures: T): Promise<T> => {
        const deadline = Date.now() + 180_000;
        for (;;) {
          const answer = await callGateway(`${gateway.url}/healthz`).catch(() => undefined);
          if (answer?.status === 200) return figures;
          if (Date.now() > deadline) throw new Error(`${engine} at ${size}: the gateway did not settle`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      };
      const firstPage = await settled(await read('GET /2/rest/bills first page', {}));
      const deepPageCursor = await settled(await read('GET /2/rest/bills cursor (same page)', { cursor }));
      const billCreation = await settled(
        await load({
          name: 'POST /2/rest/bill',
          url: gateway.url,
          method: 'POST',
          connections: options.connections,
          durationSeconds: options.durationSeconds,
          next: () => ({ path: '/2/rest/bill', body: loadPayBody(app) }),
          succeeded: (body) => body.includes('"result_code":0'),
        }),
      );
      // Last: at a large size the skipped rows make this one slow, and its backlog must not slow the others.
      const deepPageSkip = await settled(
        await read(`GET /2/rest/bills skip=${deepSkip}`, { skip: deepSkip }),
      );
      rows.push({
        engine,
        bills: size,
        fillSeconds,
        firstPage,
        deepPageSkip,
        deepPageCursor,
        billCreation,
        deepSkip,
      });
    }
    return rows;
  } finally {
    await gateway.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function measureStoreScale(
  options: { connections?: number; durationSeconds?: number; sizes?: number[]; engines?: string[] } = {},
): Promise<ScaleResult> {
  const connections = options.connections ?? 50;
  const durationSeconds = options.durationSeconds ?? 5;
  const sizes = options.sizes ?? scaleSizes();
  const engines = options.engines ?? ['sqlite', 'postgres'];
  const rows: ScaleRow[] = [];
  if (engines.includes('sqlite')) {
    rows.push(...(await measureEngine('sqlite', { connections, durationSeconds, sizes })));
  }
  if (engines.includes('postgres')) {
    const cluster = await startThrowawayPostgres();
    try {
      const databaseUrl = await freshDatabase(cluster.url, 'spay_bench_scale');
      rows.push(...(await measureEngine('postgres', { connections, durationSeconds, sizes, databaseUrl })));
    } finally {
      await cluster.stop();
    }
  }
  return { connections, durationSeconds, sizes, rows };
}

/** Figure at the largest size over the smallest, per engine and load (1 = no change; the target: ≥ 0.8). */
export function scaleRatios(result: ScaleResult): {
  engine: string;
  load: 'firstPage' | 'deepPageCursor' | 'deepPageSkip' | 'billCreation';
  ratio: number;
}[] {
  const out: ReturnType<typeof scaleRatios> = [];
  for (const engine of ['sqlite', 'postgres'] as const) {
    const rows = result.rows.filter((row) => row.engine === engine);
    if (rows.length < 2) continue;
    const smallest = rows[0]!;
    const largest = rows[rows.length - 1]!;
    for (const key of ['billCreation', 'firstPage', 'deepPageCursor', 'deepPageSkip'] as const) {
      out.push({
        engine,
        load: key,
        ratio: round(largest[key].requestsPerSecond / smallest[key].requestsPerSecond, 3),
      });
    }
  }
  return out;
}
