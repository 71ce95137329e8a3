/**
 * `npm run bench` (after `npm run build`): every benchmark in one run, one after the other so they do not
 * compete for the 2 cores, then the table on stdout and everything in bench/results.json.
 *   SPAY_BENCH_ONLY=size,timing,webhook,throughput,instances,scale,dispatch   run a subset
 *   SPAY_BENCH_SCALE_SIZES=10000,100000,1000000   the store sizes of the scale table
 *   SPAY_BENCH_SCALE_SECONDS=10                   seconds per load and size of the scale table (in 5 rounds)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTargets, missed, renderChecks } from './check-targets.ts';
import { measureThroughput } from './gateway-throughput.ts';
import { startThrowawayPostgres } from '../scripts/postgres-cluster.ts';
import { freshDatabase, measureInstances } from './instances-throughput.ts';
import { measureStoreScale } from './store-scale.ts';
import { repoRoot } from './lib/demo-app.ts';
import { renderTable } from './report-table.ts';
import { newResults } from './results.ts';
import { measureDispatch } from './webhook-dispatch.ts';
import { measureWebhookLatency } from './webhook-latency.ts';
import { measureWidgetSize } from './widget-size.ts';
import { measureWidgetTiming } from './widget-timing.ts';

const only = (process.env.SPAY_BENCH_ONLY ?? 'size,timing,webhook,throughput,instances,scale,dispatch').split(
  ',',
);
const results = newResults();
const startedAt = Date.now();

const failures: string[] = [];

/** Runs one benchmark; a benchmark that fails is reported and the others still run. */
async function step(name: string, key: string, measure: () => Promise<void> | void): Promise<void> {
  if (!only.includes(key)) return;
  console.error(`bench: ${name} (${Math.round((Date.now() - startedAt) / 1000)} s)`);
  try {
    await measure();
  } catch (error) {
    failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

await step('widget size', 'size', () => {
  results.widgetSize = measureWidgetSize();
});
await step('widget timing in Chromium', 'timing', async () => {
  results.widgetTiming = await measureWidgetTiming({ pageLoads: 20 });
});
await step('payment → webhook', 'webhook', async () => {
  // The shipped settings: the first attempt goes out when the payment commits (retries are not involved).
  results.webhookLatency.push(await measureWebhookLatency({ retryScale: 1, payments: 40 }));
});
await step('gateway throughput', 'throughput', async () => {
  results.throughput = await measureThroughput({
    connections: 50,
    durationSeconds: Number(process.env.SPAY_BENCH_SECONDS) || 10,
  });
});
await step('instances: SQLite, PostgreSQL × 1, 2, 3', 'instances', async () => {
  results.instances = await measureInstances({
    connections: 50,
    durationSeconds: Number(process.env.SPAY_BENCH_SECONDS) || 10,
  });
});
await step('the store at 10 k … 1 M bills: SQLite, PostgreSQL', 'scale', async () => {
  results.storeScale = await measureStoreScale({
    connections: 50,
    durationSeconds: Number(process.env.SPAY_BENCH_SCALE_SECONDS) || 10,
  });
});
await step('webhook dispatch', 'dispatch', async () => {
  results.webhookDispatch.push(await measureDispatch({ failingShare: 0 }));
  results.webhookDispatch.push(await measureDispatch({ failingShare: 0.1 }));
  // The same on PostgreSQL (a throw-away cluster, a fresh database per run).
  const cluster = await startThrowawayPostgres();
  try {
    for (const failingShare of [0, 0.1]) {
      const databaseUrl = await freshDatabase(cluster.url, `spay_bench_dispatch_${failingShare * 100}`);
      results.webhookDispatch.push(await measureDispatch({ failingShare, databaseUrl }));
    }
  } finally {
    await cluster.stop();
  }
});
results.seconds = Math.round((Date.now() - startedAt) / 1000);

console.log(renderTable(results));
if (process.env.SPAY_BENCH_ONLY) {
  console.log(`\n(${results.seconds} s; a subset, so bench/results.json was left as it was)`);
} else {
  writeFileSync(join(repoRoot, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`\n(${results.seconds} s; figures in bench/results.json)`);
}
// Issue 15's targets, checked on this run's figures (a subset run checks what it measured).
const checks = checkTargets(results);
console.log(`\n${renderChecks(checks)}`);
for (const target of missed(checks)) failures.push(`target missed: ${target.target} (${target.figure})`);
if (failures.length > 0) {
  console.error(`bench: ${failures.length} benchmark(s) failed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
