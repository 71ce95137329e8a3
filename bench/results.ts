/** The shape of bench/results.json: every figure of one `npm run bench` run, with when and where it ran. */
import { cpus } from 'node:os';
import type { ThroughputResult } from './gateway-throughput.ts';
import type { InstancesResult } from './instances-throughput.ts';
import type { ScaleResult } from './store-scale.ts';
import type { DispatchResult } from './webhook-dispatch.ts';
import type { WebhookLatencyResult } from './webhook-latency.ts';
import type { WidgetSizeResult } from './widget-size.ts';
import type { WidgetTimingResult } from './widget-timing.ts';

export interface BenchResults {
  date: string;
  machine: { cores: number; cpu: string; node: string; platform: string };
  widgetSize?: WidgetSizeResult;
  widgetTiming?: WidgetTimingResult;
  webhookLatency: WebhookLatencyResult[];
  throughput?: ThroughputResult;
  /** Bill creation and status reads for 1 instance on SQLite and 1, 2, 3 on one PostgreSQL. */
  instances?: InstancesResult;
  /** The store at 10 k, 100 k and 1 M bills: creation and `GET bills` pages, on SQLite and PostgreSQL. */
  storeScale?: ScaleResult;
  webhookDispatch: DispatchResult[];
  seconds?: number;
}

export function newResults(): BenchResults {
  return {
    date: new Date().toISOString(),
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    webhookLatency: [],
    webhookDispatch: [],
  };
}
