/**
 * Cost as the work grows: the store holding 10 k, 100 k and 1 M bills (SPAY_BENCH_SCALE_SIZES), on SQLite and on
 * PostgreSQL (a throw-away cluster). Each size has its own store and gateway process; the store is filled straight
 * through its tables (bench/lib/fill-bills.ts, seconds for a million), then, with autocannon at 50 connections, each
 * load runs on every size in turn, in rounds (see measureEngine):
 *   - `GET /2/rest/bills?channel=WX&spay_result=true&start_time&end_time&limit=10` — the first page;
 *   - the same, a deep page in the middle of the matches, with spay's keyset `cursor`;
 *   - `POST /2/rest/bill` (bill creation, as in gateway-throughput.ts);
 *   - last, the deep page by BeeCloud's `skip` (the same 10 bills as by cursor, checked).
 * Created bills are unpaid, so they never match the filter: the filled bills' positions stay put.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startThrowawayPostgres } from '../scripts/postgres-cluster.ts';
import { encodeListCursor } from '../gateway/rest/list-cursor.ts';
import { interleavedLoads, load, type LoadFigures, type LoadOptions } from './gateway-throughput.ts';
import { freshDatabase } from './instances-throughput.ts';
import { demoApp } from './lib/demo-app.ts';
import {
  fillBills,
  filledBillId,
  filledCreateTime,
  FILL_STEP_MS,
  type FillTarget,
} from './lib/fill-bills.ts';
import { startGatewayProcess, type GatewayProcess } from './lib/gateway-process.ts';
import { callGateway, loadPayBody, signedAuth } from './lib/rest-requests.ts';
import { round } from './lib/stats.ts';

export interface ScaleRow {
  engine: 'sqlite' | 'postgres';
  /** Filled bills in the size's store before its loads (bills created by the creation load come on top). */
  bills: number;
  /** Seconds the fill of this size's store took. */
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
  /** Seconds of each load per size, cut into `rounds` rounds (absent: one run per size, one size after another). */
  durationSeconds: number;
  rounds?: number;
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

/** One size's own store and gateway process, filled and checked. */
interface SizeStore {
  size: number;
  fillSeconds: number;
  gateway: GatewayProcess;
  dataDir: string;
  /** The filtered list's path with the given extra query fields, signed. */
  listPath(extra: Record<string, unknown>): string;
  /** The deep page: the match in the middle, k = matches / 2 (filled bill 6k), by skip and by cursor. */
  deepSkip: number;
  cursor: string;
}

async function openSizeStore(
  engine: 'sqlite' | 'postgres',
  size: number,
  app: ReturnType<typeof demoApp>,
  newestTime: number,
  databaseUrl: string | undefined,
): Promise<SizeStore> {
  const dataDir = mkdtempSync(join(tmpdir(), `spay-bench-scale-${engine}-${size}-`));
  const gateway = await startGatewayProcess({ dataDir, app, databaseUrl, startTimeoutMs: 90_000 }).catch(
    (error: unknown) => {
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    },
  );
  // Until the caller holds it, a store that fails its fill or its checks is stopped and removed here.
  try {
    const target: FillTarget = {
      dataDir,
      databaseUrl,
      appId: app.appId,
      mode: app.mode === 'live' ? 'live' : 'test',
      newestTime,
    };
    const fillStart = Date.now();
    await fillBills(target, 0, size);
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
    return { size, fillSeconds, gateway, dataDir, listPath, deepSkip, cursor };
  } catch (error) {
    await gateway.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Each load is followed by one request that waits its turn: the gateway has answered what the load left queued (a
 * slow load's last requests would otherwise be served during the next one's). The gateway may shed that request
 * while it is still overloaded: asked again until it answers 200.
 */
async function settled(engine: string, store: SizeStore): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const answer = await callGateway(`${store.gateway.url}/healthz`).catch(() => undefined);
    if (answer?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`${engine} at ${store.size}: the gateway did not settle`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Every size gets its own store and gateway, all running at once; each load then runs on every size in turn, in
 * short rounds whose order is reversed every other round, so a slower minute of the machine falls on every size
 * alike (one size after the other, the ratios swung by a quarter between runs of the same code).
 */
async function measureEngine(
  engine: 'sqlite' | 'postgres',
  options: {
    connections: number;
    durationSeconds: number;
    rounds: number;
    sizes: number[];
    databaseFor?: (size: number) => Promise<string>;
  },
): Promise<ScaleRow[]> {
  const app = demoApp({ webhookUrl: '' });
  const newestTime = Date.now() - 60_000;
  const stores: SizeStore[] = [];
  try {
    for (const size of options.sizes) {
      const databaseUrl = options.databaseFor ? await options.databaseFor(size) : undefined;
      stores.push(await openSizeStore(engine, size, app, newestTime, databaseUrl));
    }
    const isPage = (body: string) => body.includes('"result_code":0') && body.includes('"count":10');
    const read = (store: SizeStore, name: string, extra: Record<string, unknown>): LoadOptions => ({
      name,
      url: store.gateway.url,
      method: 'GET',
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      next: () => ({ path: store.listPath(extra) }),
      succeeded: isPage,
    });
    const onEverySize = (build: (store: SizeStore) => LoadOptions) =>
      interleavedLoads(stores.map(build), options.rounds, (index) => settled(engine, stores[index]!));
    // Created bills are unpaid, so they never match the filter: the pages stay put whatever creation adds.
    const firstPages = await onEverySize((store) => read(store, 'GET /2/rest/bills first page', {}));
    const deepPagesByCursor = await onEverySize((store) =>
      read(store, 'GET /2/rest/bills cursor (same page)', { cursor: store.cursor }),
    );
    const creations = await onEverySize((store) => ({
      name: 'POST /2/rest/bill',
      url: store.gateway.url,
      method: 'POST',
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      next: () => ({ path: '/2/rest/bill', body: loadPayBody(app) }),
      succeeded: (body) => body.includes('"result_code":0'),
    }));
    // Last, one size after another and not in rounds: at a large size the skipped rows make this one slow (it is
    // shown, not held to a target), and its backlog must not slow the others.
    const deepPagesBySkip: LoadFigures[] = [];
    for (const store of stores) {
      deepPagesBySkip.push(
        await load(read(store, `GET /2/rest/bills skip=${store.deepSkip}`, { skip: store.deepSkip })),
      );
      await settled(engine, store);
    }
    return stores.map((store, index) => ({
      engine,
      bills: store.size,
      fillSeconds: store.fillSeconds,
      firstPage: firstPages[index]!,
      deepPageSkip: deepPagesBySkip[index]!,
      deepPageCursor: deepPagesByCursor[index]!,
      billCreation: creations[index]!,
      deepSkip: store.deepSkip,
    }));
  } finally {
    for (const store of stores) {
      await store.gateway.kill('SIGTERM');
      rmSync(store.dataDir, { recursive: true, force: true });
    }
  }
}

export async function measureStoreScale(
  options: {
    connections?: number;
    durationSeconds?: number;
    rounds?: number;
    sizes?: number[];
    engines?: string[];
  } = {},
): Promise<ScaleResult> {
  const connections = options.connections ?? 50;
  // 5 rounds of 2 s (3 before): one disturbed round of the machine moved a 1 M / 10 k ratio by a third (0.67× in a
  // full run, 0.99× in the next, same code).
  const durationSeconds = options.durationSeconds ?? 10;
  const rounds = options.rounds ?? 5;
  const sizes = options.sizes ?? scaleSizes();
  const engines = options.engines ?? ['sqlite', 'postgres'];
  const rows: ScaleRow[] = [];
  if (engines.includes('sqlite')) {
    rows.push(...(await measureEngine('sqlite', { connections, durationSeconds, rounds, sizes })));
  }
  if (engines.includes('postgres')) {
    const cluster = await startThrowawayPostgres();
    try {
      const databaseFor = (size: number) => freshDatabase(cluster.url, `spay_bench_scale_${size}`);
      rows.push(
        ...(await measureEngine('postgres', { connections, durationSeconds, rounds, sizes, databaseFor })),
      );
    } finally {
      await cluster.stop();
    }
  }
  return { connections, durationSeconds, rounds, sizes, rows };
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
