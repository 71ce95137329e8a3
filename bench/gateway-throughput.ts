/**
 * Gateway throughput with autocannon (concurrency 50, 10 s each), in one run and side by side:
 *   - bill creation: REST `POST /2/rest/bill` signed with app_sign, a new bill_no on every request;
 *   - bill status reads: `GET /2/rest/bill_public/{id}` over bills created beforehand;
 * each next to a bare Fastify route answering `{}` (POST with a JSON body / GET), both servers run as child
 * processes at once (the gateway as built by `npm run build`, `dist/gateway/main.js`; the bare server under tsx).
 * The gateway's peak RSS is the kernel's high-water mark for its process.
 *
 * Interleaved: each load's seconds are cut into rounds, and each round runs the bare route and the gateway's one
 * after the other (the order swapped every round), so both meet the same minutes of the machine. On this 2-core VM
 * the bare server's own req/s swung by half from one minute to the next (the load generator shares the cores), and
 * a ratio of two loads run minutes apart measured the minute as much as the gateway. Each figure adds its rounds up:
 * req/s is all requests over all measured seconds, p50 / p99 are over every response of every round.
 */
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoApp } from './lib/demo-app.ts';
import { startGatewayProcess } from './lib/gateway-process.ts';
import { createBill, loadPayBody } from './lib/rest-requests.ts';
import { percentile, round } from './lib/stats.ts';

export interface LoadFigures {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Connection errors, timeouts, non-2xx answers, and answers whose result_code was not 0. */
  errors: number;
  errorKinds: {
    connection: number;
    timeouts: number;
    non2xx: number;
    refused: number;
    firstRefusal?: string;
  };
}

export interface ThroughputResult {
  connections: number;
  durationSeconds: number;
  bareGet: LoadFigures;
  barePost: LoadFigures;
  billCreation: LoadFigures;
  billStatusRead: LoadFigures;
  /** The rounds each load's seconds were cut into, interleaved with its bare counterpart (absent: one run each). */
  rounds?: number;
  /** Gateway req/s divided by the bare route's req/s. */
  creationRatio: number;
  readRatio: number;
  gatewayPeakRssBytes: number;
  bareServerPeakRssBytes: number;
}

export interface LoadOptions {
  name: string;
  url: string;
  method: 'GET' | 'POST';
  connections: number;
  durationSeconds: number;
  /** Builds each request's path and body. */
  next(): { path: string; body?: string };
  /** True when an answer body is a success (default: any 2xx). */
  succeeded?(body: string): boolean;
}

/** A 2 s run that is not counted (JIT, SQLite caches), then the measured run. */
export async function load(options: LoadOptions): Promise<LoadFigures> {
  await loadOnce({ ...options, durationSeconds: 2 });
  const { seconds: _seconds, latenciesMs: _latencies, ...figures } = await loadOnce(options);
  return figures;
}

/** One autocannon run: its figures, and every response's latency in ms (for figures over several runs). */
async function loadOnce(
  options: LoadOptions,
): Promise<LoadFigures & { seconds: number; latenciesMs: number[] }> {
  let refused = 0;
  let firstRefusal: string | undefined;
  const latenciesMs: number[] = [];
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        requests: [
          {
            method: options.method,
            headers: options.method === 'POST' ? { 'content-type': 'application/json' } : {},
            setupRequest(request) {
              const { path, body } = options.next();
              return { ...request, path, ...(body !== undefined ? { body } : {}) };
            },
            onResponse(status, body) {
              if (status === 200 && options.succeeded && !options.succeeded(body)) {
                refused += 1;
                firstRefusal ??= body.slice(0, 300);
              }
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance!.on('response', (_client, _status, _bytes, responseTimeMs: number) =>
    latenciesMs.push(responseTimeMs),
  );
  const result = await finished;
  return {
    name: options.name,
    seconds: result.duration,
    latenciesMs,
    requestsPerSecond: round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx + refused,
    errorKinds: {
      connection: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      refused,
      ...(firstRefusal ? { firstRefusal } : {}),
    },
  };
}

/** Figures over several runs of one load: all requests over all seconds, percentiles over every response. */
function combined(runs: Array<Awaited<ReturnType<typeof loadOnce>>>): LoadFigures {
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const latencies = runs.flatMap((run) => run.latenciesMs);
  const kinds = runs.map((run) => run.errorKinds);
  const sum = (pick: (kind: LoadFigures['errorKinds']) => number) =>
    kinds.reduce((total, kind) => total + pick(kind), 0);
  const firstRefusal = kinds.find((kind) => kind.firstRefusal)?.firstRefusal;
  return {
    name: runs[0]!.name,
    requestsPerSecond: round(requests / seconds),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    requests,
    errors: runs.reduce((total, run) => total + run.errors, 0),
    errorKinds: {
      connection: sum((kind) => kind.connection),
      timeouts: sum((kind) => kind.timeouts),
      non2xx: sum((kind) => kind.non2xx),
      refused: sum((kind) => kind.refused),
      ...(firstRefusal ? { firstRefusal } : {}),
    },
  };
}

/**
 * Each load warmed up once (2 s, not counted), then `rounds` rounds of `durationSeconds / rounds` seconds each, the
 * loads back to back, their order reversed every other round (A B C, C B A, …): what the machine does meanwhile
 * falls on every load alike. Figures per load, over all its rounds.
 */
export async function interleavedLoads(
  loads: LoadOptions[],
  rounds: number,
  /** Called after every run (warm-up or measured) with the load's index: waits until its server settled. */
  afterRun: (index: number) => Promise<void> = async () => {},
): Promise<LoadFigures[]> {
  for (const [index, options] of loads.entries()) {
    await loadOnce({ ...options, durationSeconds: 2 });
    await afterRun(index);
  }
  const runs = loads.map(() => [] as Array<Awaited<ReturnType<typeof loadOnce>>>);
  for (let round = 0; round < rounds; round += 1) {
    const order = loads.map((_, index) => index);
    if (round % 2 === 1) order.reverse();
    for (const index of order) {
      const options = loads[index]!;
      runs[index]!.push(await loadOnce({ ...options, durationSeconds: options.durationSeconds / rounds }));
      await afterRun(index);
    }
  }
  return runs.map(combined);
}

async function interleaved(
  bare: LoadOptions,
  gateway: LoadOptions,
  rounds: number,
): Promise<{ bare: LoadFigures; gateway: LoadFigures }> {
  const [bareFigures, gatewayFigures] = await interleavedLoads([bare, gateway], rounds);
  return { bare: bareFigures!, gateway: gatewayFigures! };
}

export async function measureThroughput(
  options: { connections?: number; durationSeconds?: number; rounds?: number } = {},
): Promise<ThroughputResult> {
  const connections = options.connections ?? 50;
  const durationSeconds = options.durationSeconds ?? 10;
  const rounds = options.rounds ?? 5;
  const dataDir = mkdtempSync(join(tmpdir(), 'spay-bench-throughput-'));
  const app = demoApp({ webhookUrl: '' });
  const bare = await startGatewayProcess({ dataDir, app, entry: 'bench/bare-server.ts' });
  const gateway = await startGatewayProcess({ dataDir, app }).catch(async (error: unknown) => {
    // The gateway did not start: the bare server must not outlive the run.
    await bare.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  try {
    const billIds: string[] = [];
    for (let i = 0; i < 200; i += 1) billIds.push((await createBill(gateway.url, app)).id);
    let readIndex = 0;
    const reads = await interleaved(
      {
        name: 'bare Fastify GET {}',
        url: bare.url,
        method: 'GET',
        connections,
        durationSeconds,
        next: () => ({ path: '/bare' }),
      },
      {
        name: 'GET /2/rest/bill_public/{id}',
        url: gateway.url,
        method: 'GET',
        connections,
        durationSeconds,
        next: () => ({ path: `/2/rest/bill_public/${billIds[readIndex++ % billIds.length]}` }),
        succeeded: (body) => body.includes('"result_code":0'),
      },
      rounds,
    );
    const creations = await interleaved(
      {
        name: 'bare Fastify POST {}',
        url: bare.url,
        method: 'POST',
        connections,
        durationSeconds,
        next: () => ({ path: '/bare', body: loadPayBody(app) }),
      },
      {
        name: 'POST /2/rest/bill',
        url: gateway.url,
        method: 'POST',
        connections,
        durationSeconds,
        next: () => ({ path: '/2/rest/bill', body: loadPayBody(app) }),
        succeeded: (body) => body.includes('"result_code":0'),
      },
      rounds,
    );
    return {
      connections,
      durationSeconds,
      rounds,
      bareGet: reads.bare,
      barePost: creations.bare,
      billCreation: creations.gateway,
      billStatusRead: reads.gateway,
      creationRatio: round(creations.gateway.requestsPerSecond / creations.bare.requestsPerSecond, 3),
      readRatio: round(reads.gateway.requestsPerSecond / reads.bare.requestsPerSecond, 3),
      gatewayPeakRssBytes: gateway.peakRssBytes(),
      bareServerPeakRssBytes: bare.peakRssBytes(),
    };
  } finally {
    await bare.kill('SIGKILL');
    await gateway.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
