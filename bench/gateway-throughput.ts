/**
 * Gateway throughput with autocannon (concurrency 50, ≥ 10 s each), in one run and side by side:
 *   - bill creation: REST `POST /2/rest/bill` signed with app_sign, a new bill_no on every request;
 *   - bill status reads: `GET /2/rest/bill_public/{id}` over bills created beforehand;
 * each next to a bare Fastify route answering `{}` (POST with a JSON body / GET), both servers run as child
 * processes (the gateway as built by `npm run build`, `dist/gateway/main.js`; the bare server under tsx). The gateway's peak RSS is the kernel's high-water mark for its process.
 */
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoApp } from './lib/demo-app.ts';
import { startGatewayProcess } from './lib/gateway-process.ts';
import { createBill, payBody } from './lib/rest-requests.ts';
import { round } from './lib/stats.ts';

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
  return loadOnce(options);
}

async function loadOnce(options: LoadOptions): Promise<LoadFigures> {
  let refused = 0;
  let firstRefusal: string | undefined;
  const result = await autocannon({
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
  });
  return {
    name: options.name,
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

export async function measureThroughput(
  options: { connections?: number; durationSeconds?: number } = {},
): Promise<ThroughputResult> {
  const connections = options.connections ?? 50;
  const durationSeconds = options.durationSeconds ?? 10;
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
    const bareGet = await load({
      name: 'bare Fastify GET {}',
      url: bare.url,
      method: 'GET',
      connections,
      durationSeconds,
      next: () => ({ path: '/bare' }),
    });
    const barePost = await load({
      name: 'bare Fastify POST {}',
      url: bare.url,
      method: 'POST',
      connections,
      durationSeconds,
      next: () => ({ path: '/bare', body: JSON.stringify(payBody(app)) }),
    });
    const bareServerPeakRssBytes = bare.peakRssBytes();
    await bare.kill('SIGTERM');

    const billCreation = await load({
      name: 'POST /2/rest/bill',
      url: gateway.url,
      method: 'POST',
      connections,
      durationSeconds,
      next: () => ({ path: '/2/rest/bill', body: JSON.stringify(payBody(app)) }),
      succeeded: (body) => body.includes('"result_code":0'),
    });
    const billIds: string[] = [];
    for (let i = 0; i < 200; i += 1) billIds.push((await createBill(gateway.url, app)).id);
    let readIndex = 0;
    const billStatusRead = await load({
      name: 'GET /2/rest/bill_public/{id}',
      url: gateway.url,
      method: 'GET',
      connections,
      durationSeconds,
      next: () => ({ path: `/2/rest/bill_public/${billIds[readIndex++ % billIds.length]}` }),
      succeeded: (body) => body.includes('"result_code":0'),
    });
    return {
      connections,
      durationSeconds,
      bareGet,
      barePost,
      billCreation,
      billStatusRead,
      creationRatio: round(billCreation.requestsPerSecond / barePost.requestsPerSecond, 3),
      readRatio: round(billStatusRead.requestsPerSecond / bareGet.requestsPerSecond, 3),
      gatewayPeakRssBytes: gateway.peakRssBytes(),
      bareServerPeakRssBytes,
    };
  } finally {
    await bare.kill('SIGKILL');
    await gateway.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
