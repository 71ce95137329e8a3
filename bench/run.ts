/**
 * `npm run bench` (after `npm run build`): every benchmark in one run, one after the other so they do not
 * compete for the 2 cores, then the table on stdout and everything in bench/results.json.
 *   SPAY_BENCH_ONLY=size,timing,webhook,throughput,dispatch   run a subset
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureThroughput } from './gateway-throughput.ts';
import { repoRoot } from './lib/demo-app.ts';
import { renderTable } from './report-table.ts';
import { newResults } from './results.ts';
import { measureDispatch } from './webhook-dispatch.ts';
import { measureWebhookLatency } from './webhook-latency.ts';
import { measureWidgetSize } from './widget-size.ts';
import { measureWidgetTiming } from './widget-timing.ts';

const only = (process.env.SPAY_BENCH_ONLY ?? 'size,timing,webhook,throughput,dispatch').split(',');
const results = newResults();
const startedAt = Date.now();

function step(name: string): void {
  console.error(`bench: ${name} (${Math.round((Date.now() - startedAt) / 1000)} s)`);
}

if (only.includes('size')) {
  step('widget size');
  results.widgetSize = measureWidgetSize();
}
if (only.includes('timing')) {
  step('widget timing in Chromium');
  results.widgetTiming = await measureWidgetTiming({ pageLoads: 20 });
}
if (only.includes('webhook')) {
  step('payment → webhook');
  results.webhookLatency.push(await measureWebhookLatency({ retryScale: 1, payments: 40 }));
  results.webhookLatency.push(await measureWebhookLatency({ retryScale: 0, payments: 40 }));
}
if (only.includes('throughput')) {
  step('gateway throughput');
  results.throughput = await measureThroughput({ connections: 50, durationSeconds: 10 });
}
if (only.includes('dispatch')) {
  step('webhook dispatch');
  results.webhookDispatch.push(await measureDispatch({ webhooks: 500, failingShare: 0 }));
  results.webhookDispatch.push(await measureDispatch({ webhooks: 500, failingShare: 0.1 }));
}
results.seconds = Math.round((Date.now() - startedAt) / 1000);

writeFileSync(join(repoRoot, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(renderTable(results));
console.log(`\n(${results.seconds} s; figures in bench/results.json)`);
