import { describe, expect, it } from 'vitest';
import { checkTargets, missed, renderChecks } from './check-targets.ts';
import type { BenchResults } from './results.ts';

const summary = (median: number, p99: number) => ({ samples: 40, median, p99, min: median, max: p99 });
const load = (name: string, requestsPerSecond: number, p99Ms = 15) => ({
  name,
  requestsPerSecond,
  p50Ms: 5,
  p99Ms,
  requests: requestsPerSecond * 10,
  errors: 0,
  errorKinds: { connection: 0, timeouts: 0, non2xx: 0, refused: 0 },
});
const dispatch = (failingShare: number, deliveriesPerSecond: number) => ({
  failingShare,
  webhooks: 500,
  delivered: 500,
  attempts: 520,
  failedAnswers: 20,
  seconds: 0.3,
  deliveriesPerSecond,
  attemptsPerSecond: deliveriesPerSecond,
});

function results(overrides: Partial<BenchResults> = {}): BenchResults {
  return {
    date: '2026-12-02T18:00:00.000Z',
    machine: { cores: 2, cpu: 'Test CPU', node: 'v20.20.2', platform: 'linux-x64' },
    webhookLatency: [{ retryScale: 1, payments: 40, received: 40, latencyMs: summary(25, 70) }],
    throughput: {
      connections: 50,
      durationSeconds: 10,
      bareGet: load('bare Fastify GET {}', 9000),
      barePost: load('bare Fastify POST {}', 8000),
      billCreation: load('POST /2/rest/bill', 2400),
      billStatusRead: load('GET /2/rest/bill_public/{id}', 5000),
      creationRatio: 0.3,
      readRatio: 0.56,
      gatewayPeakRssBytes: 140 * 1024 * 1024,
      bareServerPeakRssBytes: 90 * 1024 * 1024,
    },
    webhookDispatch: [dispatch(0, 2100), dispatch(0.1, 1600)],
    ...overrides,
  };
}

const heldOf = (checks: ReturnType<typeof checkTargets>, start: string) =>
  checks.find((check) => check.target.startsWith(start))?.held;

function scaleRow(engine: 'sqlite' | 'postgres', bills: number, rate: number) {
  return {
    engine,
    bills,
    fillSeconds: 1,
    deepSkip: Math.floor(bills / 12),
    firstPage: load('GET /2/rest/bills first page', 1000 * rate),
    deepPageSkip: load('GET /2/rest/bills skip', 900 * rate * (10_000 / bills)),
    deepPageCursor: load('GET /2/rest/bills cursor', 1000 * rate),
    billCreation: load('POST /2/rest/bill', 2000 * rate),
  };
}

describe('the issue 15 target check', () => {
  it('holds the store at 1 M bills to 0.8 × its figures at 10 k, per engine, not the deep page by skip', () => {
    const storeScale = {
      connections: 50,
      durationSeconds: 5,
      sizes: [10_000, 100_000, 1_000_000],
      rows: [
        scaleRow('sqlite', 10_000, 1),
        scaleRow('sqlite', 100_000, 0.95),
        scaleRow('sqlite', 1_000_000, 0.85),
        scaleRow('postgres', 10_000, 1),
        scaleRow('postgres', 1_000_000, 0.7),
      ],
    };
    const checks = checkTargets(results({ storeScale }));
    expect(heldOf(checks, 'SQLite: bill creation at 1 M')).toBe(true);
    expect(heldOf(checks, 'SQLite: GET bills deep page (cursor)')).toBe(true);
    expect(missed(checks).map((check) => `${check.target}: ${check.figure}`)).toEqual([
      'PostgreSQL: bill creation at 1 M bills ≥ 0.8 × at 10 k: 0.7×',
      'PostgreSQL: GET bills first page at 1 M bills ≥ 0.8 × at 10 k: 0.7×',
      'PostgreSQL: GET bills deep page (cursor) at 1 M bills ≥ 0.8 × at 10 k: 0.7×',
    ]);
    // A run without the 1 M size does not claim the target.
    const small = checkTargets(results({ storeScale: { ...storeScale, rows: storeScale.rows.slice(0, 2) } }));
    expect(heldOf(small, 'SQLite: bill creation at 1 M')).toBe('not measured');
  });

  it('holds every measured target of a run that meets them, and lists what was not measured', () => {
    const checks = checkTargets(results());
    expect(missed(checks)).toEqual([]);
    expect(heldOf(checks, 'payment → merchant webhook')).toBe(true);
    expect(heldOf(checks, 'first script')).toBe('not measured');
    expect(renderChecks(checks)).toContain('held         bill creation ≥ 0.25 × a bare Fastify POST — 0.3×');
  });

  it('names each target a run misses with its figure', () => {
    const slow = results({
      webhookLatency: [{ retryScale: 1, payments: 40, received: 40, latencyMs: summary(1008, 1056) }],
      webhookDispatch: [dispatch(0, 368), dispatch(0.1, 1600)],
    });
    slow.throughput!.creationRatio = 0.105;
    slow.throughput!.billCreation = load('POST /2/rest/bill', 825, 105);
    const failed = missed(checkTargets(slow)).map((check) => `${check.target}: ${check.figure}`);
    expect(failed).toEqual([
      'payment → merchant webhook, median ≤ 50 ms (shipped settings): 1008 ms',
      'bill creation ≥ 0.25 × a bare Fastify POST: 0.105×',
      'bill creation p99 ≤ 20 ms at 50 connections: 105 ms',
      'webhook dispatch ≥ 2,000 deliveries/s: 368/s',
    ]);
  });

  it('fails a run that lost webhooks even when it was fast', () => {
    const lossy = results({
      webhookDispatch: [{ ...dispatch(0, 2500), delivered: 499 }, dispatch(0.1, 1600)],
    });
    expect(missed(checkTargets(lossy)).map((check) => check.figure)).toEqual(['499/500']);
  });
});
