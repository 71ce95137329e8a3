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

describe('the issue 15 target check', () => {
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
