import { describe, expect, it } from 'vitest';
import { renderTable } from './report-table.ts';
import type { BenchResults } from './results.ts';

const summary = (median: number, p99: number) => ({ samples: 20, median, p99, min: median, max: p99 });
const load = (name: string, requestsPerSecond: number) => ({
  name,
  requestsPerSecond,
  p50Ms: 5,
  p99Ms: 20,
  requests: requestsPerSecond * 10,
  errors: 0,
  errorKinds: { connection: 0, timeouts: 0, non2xx: 0, refused: 0 },
});

const results: BenchResults = {
  date: '2026-11-23T21:00:00.000Z',
  machine: { cores: 2, cpu: 'Test CPU', node: 'v20.20.2', platform: 'linux-x64' },
  widgetSize: {
    firstScript: { file: 'prelude + spay.js', raw: 36000, gzip: 14000, brotli: 12000 },
    chunks: [{ file: 'spay-qr.js', raw: 25000, gzip: 9800, brotli: 8500 }],
    everything: { file: 'everything', raw: 61000, gzip: 23800, brotli: 20500 },
  },
  widgetTiming: {
    pageLoads: 20,
    scriptToReadyMs: summary(60, 200),
    clickToMenuMs: summary(90, 180),
    clickToQrMs: summary(280, 460),
    paymentToPaidPushMs: summary(30, 90),
    paymentToPaidPolling3sMs: summary(1500, 2900),
    pollingOverPush: 50,
  },
  webhookLatency: [{ retryScale: 1, payments: 40, received: 40, latencyMs: summary(1008, 1050) }],
  throughput: {
    connections: 50,
    durationSeconds: 10,
    rounds: 5,
    bareGet: load('bare Fastify GET {}', 9000),
    barePost: load('bare Fastify POST {}', 5000),
    billCreation: load('POST /2/rest/bill', 500),
    billStatusRead: load('GET /2/rest/bill_public/{id}', 2700),
    creationRatio: 0.1,
    readRatio: 0.3,
    gatewayPeakRssBytes: 140 * 1024 * 1024,
    bareServerPeakRssBytes: 100 * 1024 * 1024,
  },
  webhookDispatch: [
    {
      failingShare: 0.1,
      webhooks: 500,
      delivered: 500,
      attempts: 556,
      failedAnswers: 56,
      seconds: 2,
      deliveriesPerSecond: 250,
      attemptsPerSecond: 278,
    },
  ],
};

describe('the benchmark table', () => {
  const table = renderTable(results);

  it('says when and where it ran', () => {
    expect(table.split('\n')[0]).toBe(
      'spay benchmark — 2026-11-23T21:00:00.000Z, 2 cores (Test CPU), node v20.20.2',
    );
  });

  it('shows sizes in KB, timings as median and p99, and push next to polling', () => {
    expect(table).toMatch(/\| prelude \+ spay\.js +\| 35\.16 KB \| 13\.67 KB \| 11\.72 KB \|/);
    expect(table).toMatch(/\| payment → QR panel shows paid \(push\) +\| 30 ms +\| 90 ms +\| 20 \|/);
    expect(table).toMatch(/\| polling \/ push \(medians\) +\| 50× /);
  });

  it('puts each gateway route next to its bare Fastify baseline with the ratio, and the peak RSS', () => {
    expect(table).toMatch(/\| POST \/2\/rest\/bill +\| 500 +\| 5 ms +\| 20 ms +\| 0 +\| 0\.1 +\|/);
    expect(table).toContain('gateway peak RSS 140.0 MB (bare Fastify process 100.0 MB)');
    expect(table).toContain(
      "Gateway throughput (autocannon, 50 connections, 10 s each in 5 rounds interleaved with the bare route's)",
    );
  });

  it('names the failing share of the dispatch run', () => {
    expect(table).toMatch(/\| 10 % of answers fail \| 500 +\| 250 +\| 278 +\| 556 +\| 500\/500 +\|/);
  });
});
