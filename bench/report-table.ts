/** Renders the benchmark's results as the plain-text table `npm run bench` prints (and README quotes). */
import type { BenchResults } from './results.ts';
import { scaleRatios } from './store-scale.ts';

const KB = 1024;

function bytes(value: number): string {
  return `${(value / KB).toFixed(2)} KB`;
}

/** 10000 → "10 k", 1000000 → "1 M". */
export function count(value: number): string {
  if (value >= 1_000_000 && value % 1_000_000 === 0) return `${value / 1_000_000} M`;
  if (value >= 1000 && value % 1000 === 0) return `${value / 1000} k`;
  return String(value);
}

function ms(value: number): string {
  return `${value} ms`;
}

function table(title: string, header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [
    `### ${title}`,
    line(header),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}

export function renderTable(results: BenchResults): string {
  const parts: string[] = [
    `spay benchmark — ${results.date}, ${results.machine.cores} cores (${results.machine.cpu}), node ${results.machine.node}`,
  ];
  const size = results.widgetSize;
  if (size) {
    parts.push(
      table(
        'Widget size (gzip -9, brotli q11)',
        ['file', 'raw', 'gzip', 'brotli'],
        [size.firstScript, ...size.chunks, size.everything].map((row) => [
          row.file === 'everything' ? 'everything it can load' : row.file,
          bytes(row.raw),
          bytes(row.gzip),
          bytes(row.brotli),
        ]),
      ),
    );
  }
  const timing = results.widgetTiming;
  if (timing) {
    const row = (name: string, summary: { median: number; p99: number; samples: number }) => [
      name,
      ms(summary.median),
      ms(summary.p99),
      String(summary.samples),
    ];
    parts.push(
      table(
        `Widget in Chromium (${timing.pageLoads} fresh page loads)`,
        ['from → to', 'median', 'p99', 'n'],
        [
          row('script request → beecloud:onready', timing.scriptToReadyMs),
          row('click → channel menu visible', timing.clickToMenuMs),
          row('click → WeChat QR visible (bill created)', timing.clickToQrMs),
          row('payment → QR panel shows paid (push)', timing.paymentToPaidPushMs),
          row('payment → paid seen by 3 s polling (original)', timing.paymentToPaidPolling3sMs),
          ['polling / push (medians)', `${timing.pollingOverPush}×`, '', ''],
        ],
      ),
    );
  }
  if (results.webhookLatency.length > 0) {
    parts.push(
      table(
        'Payment → demo merchant webhook received',
        ['retry schedule', 'median', 'p99', 'received'],
        results.webhookLatency.map((run) => [
          run.retryScale === 1
            ? 'as shipped (first attempt at commit)'
            : `retries scaled × ${run.retryScale}`,
          ms(run.latencyMs.median),
          ms(run.latencyMs.p99),
          `${run.received}/${run.payments}`,
        ]),
      ),
    );
  }
  const throughput = results.throughput;
  if (throughput) {
    const row = (figures: typeof throughput.bareGet, ratio: string) => [
      figures.name,
      figures.requestsPerSecond.toFixed(0),
      ms(figures.p50Ms),
      ms(figures.p99Ms),
      String(figures.errors),
      ratio,
    ];
    parts.push(
      table(
        `Gateway throughput (autocannon, ${throughput.connections} connections, ${throughput.durationSeconds} s each` +
          (throughput.rounds ? ` in ${throughput.rounds} rounds interleaved with the bare route's)` : ')'),
        ['route', 'req/s', 'p50', 'p99', 'errors', 'vs bare'],
        [
          row(throughput.bareGet, '1'),
          row(throughput.billStatusRead, `${throughput.readRatio}`),
          row(throughput.barePost, '1'),
          row(throughput.billCreation, `${throughput.creationRatio}`),
        ],
      ) +
        `\ngateway peak RSS ${(throughput.gatewayPeakRssBytes / KB / KB).toFixed(1)} MB` +
        ` (bare Fastify process ${(throughput.bareServerPeakRssBytes / KB / KB).toFixed(1)} MB)`,
    );
  }
  const instances = results.instances;
  if (instances) {
    const cell = (figures: { requestsPerSecond: number; p99Ms: number; errors: number }) =>
      `${figures.requestsPerSecond.toFixed(0)} (p99 ${figures.p99Ms} ms${figures.errors ? `, ${figures.errors} errors` : ''})`;
    parts.push(
      table(
        `Instances (autocannon, ${instances.connections} connections split over the instances, ${instances.durationSeconds} s each)`,
        ['setup', 'POST /2/rest/bill req/s', 'GET bill_public req/s'],
        instances.rows.map((row) => [row.setup, cell(row.billCreation), cell(row.billStatusRead)]),
      ),
    );
  }
  const scale = results.storeScale;
  if (scale) {
    const cell = (figures: { requestsPerSecond: number; p99Ms: number; errors: number }) =>
      `${figures.requestsPerSecond.toFixed(0)} (p99 ${figures.p99Ms} ms${figures.errors ? `, ${figures.errors} errors` : ''})`;
    parts.push(
      table(
        `The store at ${scale.sizes.map(count).join(', ')} bills (req/s, autocannon, ${scale.connections} connections, ${scale.durationSeconds} s each${scale.rounds ? `, the sizes interleaved in ${scale.rounds} rounds` : ''})`,
        [
          'engine',
          'bills',
          'POST /2/rest/bill',
          'GET bills first page',
          'deep page by cursor',
          'deep page by skip',
        ],
        scale.rows.map((row) => [
          row.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL',
          count(row.bills),
          cell(row.billCreation),
          cell(row.firstPage),
          cell(row.deepPageCursor),
          `${cell(row.deepPageSkip)}, skip ${row.deepSkip}`,
        ]),
      ) +
        '\n' +
        scaleRatios(scale)
          .map((r) => `${r.engine} ${r.load}: largest / smallest = ${r.ratio}`)
          .join('\n'),
    );
  }
  if (results.webhookDispatch.length > 0) {
    parts.push(
      table(
        'Webhook dispatch (outbox backlog drained by the gateway process)',
        ['store', 'receiver', 'webhooks', 'delivered/s', 'attempts/s', 'attempts', 'delivered'],
        results.webhookDispatch.map((run) => [
          run.engine === 'postgres' ? 'PostgreSQL' : 'SQLite',
          run.failingShare === 0 ? 'answers success' : `${run.failingShare * 100} % of answers fail`,
          String(run.webhooks),
          run.deliveriesPerSecond.toFixed(0),
          run.attemptsPerSecond.toFixed(0),
          String(run.attempts),
          `${run.delivered}/${run.webhooks}`,
        ]),
      ),
    );
  }
  return parts.join('\n\n');
}
