/**
 * What scales with instances, side by side in one run: bill creation (REST `POST /2/rest/bill`) and bill status
 * reads (`GET /2/rest/bill_public/{id}`) against one gateway on SQLite, one on PostgreSQL, and two and three on
 * one PostgreSQL. Every gateway is its own process; with N instances the load's connections are split over them
 * (as a balancer would) and their figures added up (req/s, requests, errors) or taken at the worst instance
 * (p50, p99). PostgreSQL is a throw-away cluster (scripts/postgres-cluster.ts) with a fresh database per setup.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startThrowawayPostgres } from '../scripts/postgres-cluster.ts';
import { load, type LoadFigures } from './gateway-throughput.ts';
import { demoApp } from './lib/demo-app.ts';
import { startGatewayProcess, type GatewayProcess } from './lib/gateway-process.ts';
import { createBill, loadPayBody } from './lib/rest-requests.ts';
import { round } from './lib/stats.ts';

export interface InstancesRow {
  setup: string;
  engine: 'sqlite' | 'postgres';
  instances: number;
  billCreation: LoadFigures;
  billStatusRead: LoadFigures;
}

export interface InstancesResult {
  connections: number;
  durationSeconds: number;
  rows: InstancesRow[];
}

/** One load spread over the instances at once; the figures of all of them together. */
async function loadSpread(
  gateways: GatewayProcess[],
  connections: number,
  make: (gateway: GatewayProcess) => Parameters<typeof load>[0],
): Promise<LoadFigures> {
  const share = Math.max(1, Math.floor(connections / gateways.length));
  const parts = await Promise.all(gateways.map((gateway) => load({ ...make(gateway), connections: share })));
  const first = parts[0]!;
  return {
    name: first.name,
    requestsPerSecond: round(parts.reduce((sum, part) => sum + part.requestsPerSecond, 0)),
    p50Ms: Math.max(...parts.map((part) => part.p50Ms)),
    p99Ms: Math.max(...parts.map((part) => part.p99Ms)),
    requests: parts.reduce((sum, part) => sum + part.requests, 0),
    errors: parts.reduce((sum, part) => sum + part.errors, 0),
    errorKinds: {
      connection: parts.reduce((sum, part) => sum + part.errorKinds.connection, 0),
      timeouts: parts.reduce((sum, part) => sum + part.errorKinds.timeouts, 0),
      non2xx: parts.reduce((sum, part) => sum + part.errorKinds.non2xx, 0),
      refused: parts.reduce((sum, part) => sum + part.errorKinds.refused, 0),
      ...(parts.find((part) => part.errorKinds.firstRefusal)?.errorKinds.firstRefusal
        ? { firstRefusal: parts.find((part) => part.errorKinds.firstRefusal)!.errorKinds.firstRefusal }
        : {}),
    },
  };
}

async function measureSetup(
  setup: Omit<InstancesRow, 'billCreation' | 'billStatusRead'> & { databaseUrl?: string },
  options: { connections: number; durationSeconds: number },
): Promise<InstancesRow> {
  const dirs: string[] = [];
  const gateways: GatewayProcess[] = [];
  const app = demoApp({ webhookUrl: '' });
  // Instances of one database share the key that seals channel secrets, as in production.
  const env = { SPAY_SECRET_KEY: randomBytes(32).toString('hex') };
  try {
    for (let i = 0; i < setup.instances; i += 1) {
      const dataDir = mkdtempSync(join(tmpdir(), 'spay-bench-instances-'));
      dirs.push(dataDir);
      // One after the other: the first creates the tables, the others find them. A shared machine may be slow
      // to start a process: wait longer than the default.
      gateways.push(
        await startGatewayProcess({
          dataDir,
          app,
          databaseUrl: setup.databaseUrl,
          env,
          startTimeoutMs: 90_000,
        }),
      );
    }
    const billCreation = await loadSpread(gateways, options.connections, (gateway) => ({
      name: 'POST /2/rest/bill',
      url: gateway.url,
      method: 'POST',
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      next: () => ({ path: '/2/rest/bill', body: loadPayBody(app) }),
      succeeded: (body) => body.includes('"result_code":0'),
    }));
    const billIds: string[] = [];
    for (let i = 0; i < 200; i += 1)
      billIds.push((await createBill(gateways[i % gateways.length]!.url, app)).id);
    let readIndex = 0;
    const billStatusRead = await loadSpread(gateways, options.connections, (gateway) => ({
      name: 'GET /2/rest/bill_public/{id}',
      url: gateway.url,
      method: 'GET',
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      next: () => ({ path: `/2/rest/bill_public/${billIds[readIndex++ % billIds.length]}` }),
      succeeded: (body) => body.includes('"result_code":0'),
    }));
    const { databaseUrl: _url, ...row } = setup;
    return { ...row, billCreation, billStatusRead };
  } finally {
    for (const gateway of gateways) await gateway.kill('SIGTERM');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

export async function freshDatabase(clusterUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function measureInstances(
  options: { connections?: number; durationSeconds?: number } = {},
): Promise<InstancesResult> {
  const loadOptions = {
    connections: options.connections ?? 50,
    durationSeconds: options.durationSeconds ?? 10,
  };
  const rows: InstancesRow[] = [];
  rows.push(await measureSetup({ setup: '1 × SQLite', engine: 'sqlite', instances: 1 }, loadOptions));
  const cluster = await startThrowawayPostgres();
  try {
    for (const instances of [1, 2, 3]) {
      const databaseUrl = await freshDatabase(cluster.url, `spay_bench_${instances}`);
      rows.push(
        await measureSetup(
          { setup: `${instances} × PostgreSQL`, engine: 'postgres', instances, databaseUrl },
          loadOptions,
        ),
      );
    }
  } finally {
    await cluster.stop();
  }
  return { ...loadOptions, rows };
}
