/**
 * The gateway as a separate process, the way it runs in production: its own CPU, its own memory (peak RSS from
 * /proc), and killable with SIGKILL. By default `gateway/main.ts` under node + tsx (the crash tests: no build
 * needed); the benchmarks and the reliability suite run the built `dist/gateway/main.js` (`entry`), as
 * `npm run gateway` does. It is started on 127.0.0.1 and a free port (SPAY_GATEWAY_PORT=0) and reports its URL on
 * stdout. `node --import tsx` rather than `npx tsx` so the process we measure and kill is the gateway itself, not
 * a launcher in front of it. Used by the crash tests and bench/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeedApp } from '../apps/app.ts';

const repoRoot = new URL('../../', import.meta.url).pathname;

export interface GatewayProcessOptions {
  dataDir: string;
  app: SeedApp;
  webhookRetryScale?: number;
  widgetDir?: string;
  /**
   * The script to run instead of `gateway/main.ts` under tsx: the built gateway (`dist/gateway/main.js`, what
   * `npm run build` bundles and `npm run gateway` runs: plain node, no TypeScript compiler in the process), or
   * the bare Fastify baseline. A `.js` entry runs on node alone, a `.ts` one with `--import tsx`.
   */
  entry?: string;
  /**
   * Keep the gateway's per-IP rate limits on (default off: every benchmark and reliability client is 127.0.0.1,
   * and the limits would turn a load test into a test of the limiter).
   */
  rateLimits?: boolean;
  /** A fixed port (to restart on the same address after a crash); default 0, a free port. */
  port?: number;
  /** Webhooks to loopback receivers (default true: every test receiver is on 127.0.0.1). */
  allowPrivateTargets?: boolean;
  /** More environment for the gateway (limits, timeouts). */
  env?: Record<string, string>;
  /** `postgres://…`: the gateway keeps its data there (SPAY_DATABASE_URL) instead of SQLite in `dataDir`. */
  databaseUrl?: string;
  /** How long the gateway's dispatcher holds a webhook it claimed (SPAY_WEBHOOK_LEASE_MS). */
  webhookLeaseMs?: number;
  /** How long to wait for it to listen before giving up (default 30 s; more for several starting on a busy machine). */
  startTimeoutMs?: number;
  /**
   * Node's flags for the process (default: the gateway's, `gatewayNodeFlags()`, for the gateway; none for another
   * entry such as the bare Fastify baseline).
   */
  nodeFlags?: string[];
}

/**
 * The node flags the gateway runs with, from their one definition: `config.gatewayNodeFlags` in package.json, which
 * `npm run gateway` and `npm start` pass to node (`$npm_package_config_gatewayNodeFlags`). Today V8's young
 * generation capped at 8 MB semi-spaces (`--max-semi-space-size=8`): the gateway's peak RSS under load ~15 MB lower
 * for the same throughput (README, "Performance work (issue 15)").
 */
export function gatewayNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    config?: { gatewayNodeFlags?: string };
  };
  return (manifest.config?.gatewayNodeFlags ?? '').split(/\s+/).filter((flag) => flag !== '');
}

function isGatewayEntry(entry: string): boolean {
  return entry === 'gateway/main.ts' || entry === 'dist/gateway/main.js';
}

export interface GatewayProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resident memory now, in bytes (0 once exited). */
  rssBytes(): number;
  /** The kernel's high-water mark of resident memory for this process, in bytes. */
  peakRssBytes(): number;
  kill(signal: NodeJS.Signals): Promise<void>;
}

function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export async function startGatewayProcess(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const seedFile = join(options.dataDir, 'seed-app.json');
  writeFileSync(seedFile, JSON.stringify(options.app));
  const entry = options.entry ?? 'gateway/main.ts';
  const nodeFlags = options.nodeFlags ?? (isGatewayEntry(entry) ? gatewayNodeFlags() : []);
  const nodeArgs = [...nodeFlags, ...(entry.endsWith('.js') ? [entry] : ['--import', 'tsx', entry])];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: repoRoot,
    env: {
      ...process.env,
      SPAY_GATEWAY_HOST: '127.0.0.1',
      SPAY_GATEWAY_PORT: String(options.port ?? 0),
      SPAY_LOG: '0',
      SPAY_DATA_DIR: options.dataDir,
      SPAY_SEED_APP: seedFile,
      SPAY_WEBHOOK_RETRY_SCALE: String(options.webhookRetryScale ?? 1),
      SPAY_DATABASE_URL: options.databaseUrl ?? '',
      ...(options.webhookLeaseMs ? { SPAY_WEBHOOK_LEASE_MS: String(options.webhookLeaseMs) } : {}),
      ...(options.widgetDir ? { SPAY_WIDGET_DIR: options.widgetDir } : {}),
      ...(options.rateLimits ? {} : { SPAY_RATE_LIMIT_WRITES: '0' }),
      SPAY_ALLOW_PRIVATE_TARGETS: options.allowPrivateTargets === false ? '0' : '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    const timer = setTimeout(
      () => reject(new Error(`the gateway did not start within ${timeoutMs / 1000} s:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited before listening:\n${output}`));
    });
  });
  // Keep draining its output so a chatty process never blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  const pid = child.pid!;
  return {
    url,
    pid,
    child,
    exited,
    rssBytes: () => procStatusKb(pid, 'VmRSS') * 1024,
    peakRssBytes: () => procStatusKb(pid, 'VmHWM') * 1024,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}
