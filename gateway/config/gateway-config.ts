/**
 * The gateway's configuration (`npm run gateway`): every `SPAY_*` variable it reads, parsed and checked here and
 * nowhere else. A bad value is a `ConfigError` whose message is one line naming the variable, what it expects and
 * what it got (a secret's value is never repeated); `main.ts` prints it and stops before opening anything.
 * `describeConfig` lists the effective configuration for `npm run gateway -- --print-config`, secrets masked.
 *
 * An empty variable counts as unset (its default applies). Variables read by development tools (tests, benchmarks,
 * simulators, the demo shop) are listed in `toolVariables` with the program that reads them.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import type { SeedApp } from '../apps/app.ts';
import { parseSecretKey } from '../storage/secret-sealer.ts';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    got: string,
  ) {
    super(`${variable} must be ${expected}, got ${got}`);
    this.name = 'ConfigError';
  }
}

export interface GatewayConfig {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl?: string;
  seedApps: SeedApp[];
  seedAppFile?: string;
  widgetDir: string;
  consoleDir: string;
  allowPrivateTargets: boolean;
  webhookRetryScale: number;
  webhookLeaseMs?: number;
  publicUrl?: string;
  logger: boolean;
  debug: boolean;
  /** false: no rate limits (SPAY_RATE_LIMIT_WRITES=0). */
  rateLimit:
    | false
    | {
        writesPerMinute: number;
        readsPerMinute: number;
        restPerMinutePerIp: number;
        restPerMinutePerApp: number;
      };
  connectionLimits: { maxConnectionsPerIp: number; maxConnections?: number };
  trustProxy: boolean | string[];
  timings: { reconcileAfterMs?: number; reconcilePassMs?: number; refundSettleMs?: number };
  restTimestampWindowMs?: number;
  metrics: { token?: string; address?: { host: string; port: number } };
}

/** One variable as `--print-config` shows it. */
export interface ConfigEntry {
  variable: string;
  /** The effective value as text; secrets masked. */
  value: string;
  source: 'environment' | 'default';
  description: string;
}

interface Spec {
  variable: string;
  description: string;
  secret?: boolean;
}

/** Every variable the gateway reads, in the order `--print-config` lists them. */
export const gatewayVariables: readonly Spec[] = [
  { variable: 'SPAY_GATEWAY_HOST', description: 'address the gateway listens on' },
  { variable: 'SPAY_GATEWAY_PORT', description: 'port the gateway listens on (0 = any free port)' },
  { variable: 'SPAY_DATA_DIR', description: 'where the SQLite store and secret.key live' },
  { variable: 'SPAY_DATABASE_URL', description: 'postgres://…: PostgreSQL instead of SQLite', secret: true },
  { variable: 'SPAY_SECRET_KEY', description: 'key sealing channel settings at rest', secret: true },
  { variable: 'SPAY_SEED_APP', description: 'a SeedApp JSON file created on start' },
  { variable: 'SPAY_WIDGET_DIR', description: 'the built widget served to pages' },
  { variable: 'SPAY_CONSOLE_DIR', description: 'the built merchant console served at /console/' },
  { variable: 'SPAY_ALLOW_PRIVATE_TARGETS', description: 'webhooks may reach loopback / private addresses' },
  { variable: 'SPAY_WEBHOOK_RETRY_SCALE', description: 'multiplies the webhook retry schedule' },
  { variable: 'SPAY_WEBHOOK_LEASE_MS', description: 'how long an instance holds a webhook it sends' },
  { variable: 'SPAY_PUBLIC_URL', description: 'the address browsers reach the gateway at' },
  { variable: 'SPAY_LOG', description: 'JSON request and domain logs' },
  { variable: 'SPAY_DEBUG', description: 'print stack traces of start-up failures' },
  { variable: 'SPAY_RATE_LIMIT_WRITES', description: 'bill creations per IP per minute (0 = no limits)' },
  { variable: 'SPAY_RATE_LIMIT_READS', description: 'public reads per IP per minute' },
  { variable: 'SPAY_RATE_LIMIT_REST', description: '/2/rest/* requests per IP per minute' },
  { variable: 'SPAY_RATE_LIMIT_REST_APP', description: '/2/rest/* requests per app per minute' },
  { variable: 'SPAY_MAX_CONNECTIONS_PER_IP', description: 'open connections per client IP' },
  { variable: 'SPAY_MAX_CONNECTIONS', description: 'open connections in total' },
  { variable: 'SPAY_TRUST_PROXY', description: 'proxies whose X-Forwarded-For names the client' },
  { variable: 'SPAY_RECONCILE_AFTER_MS', description: 'first channel query about an unpaid attempt' },
  { variable: 'SPAY_RECONCILE_PASS_MS', description: 'how often reconciliation looks for due attempts' },
  { variable: 'SPAY_REFUND_SETTLE_MS', description: 'how often refunds left processing are settled' },
  { variable: 'SPAY_REST_TIMESTAMP_WINDOW_MS', description: "how far a REST request's timestamp may drift" },
  { variable: 'SPAY_METRICS_TOKEN', description: 'bearer token for GET /metrics', secret: true },
  { variable: 'SPAY_METRICS_ADDRESS', description: 'separate HOST:PORT serving /metrics only' },
];

/** `SPAY_*` variables read by development tools, not by the gateway, with the program that reads them. */
export const toolVariables: Readonly<Record<string, string>> = {
  SPAY_HOST: 'npm start (scripts/start.ts)',
  SPAY_DEMO_PORT: 'npm start, npm run demo',
  SPAY_DEMO_HOST: 'npm run demo (demo-server/main.ts)',
  SPAY_DEMO_APP: 'npm run demo',
  SPAY_GATEWAY_URL: 'npm run demo',
  SPAY_SIM_HOST: 'npm run simulators',
  SPAY_SIM_ALIPAY_PORT: 'npm run simulators',
  SPAY_SIM_WECHATPAY_PORT: 'npm run simulators',
  SPAY_SIM_UNIONPAY_PORT: 'npm run simulators',
  SPAY_SIM_NOTIFY_RETRY_SCALE: 'npm run simulators',
  SPAY_BENCH_ONLY: 'npm run bench',
  SPAY_BENCH_SECONDS: 'npm run bench',
  SPAY_BENCH_SCALE_SIZES: 'npm run bench',
  SPAY_BENCH_SCALE_SECONDS: 'npm run bench',
  SPAY_RELIABILITY_ONLY: 'npm run test:reliability',
  SPAY_RELIABILITY_SEED: 'npm run test:reliability',
  SPAY_CRASH_SEED: 'npm run test:reliability',
  SPAY_KILL_SEED: 'npm run test:reliability',
  SPAY_FUZZ_SEED: 'npm run test:reliability',
  SPAY_TEST_DATABASE: 'vitest (postgres config)',
  SPAY_TEST_POSTGRES_URL: 'vitest (postgres config)',
  SPAY_TEST_NO_INSTALL: 'npm run test:prerequisites',
  SPAY_POSTGRES_BIN: 'scripts/postgres-cluster.ts',
  SPAY_CHROMIUM: 'playwright, npm run size',
  SPAY_E2E_OUTPUT: 'playwright',
  SPAY_UPDATE_SCREENSHOTS: 'playwright',
  SPAY_MUTATE: 'npm run test:mutation',
  SPAY_MUTATION_SHARED_WORKER: 'npm run test:mutation (one test worker kept from mutant to mutant)',
  SPAY_MAP: 'npm run build (source maps for bundle analysis)',
};

const quoted = (text: string) => JSON.stringify(text);

/** Reads one environment: values, and what `--print-config` shows for each. */
class EnvironmentReader {
  readonly entries: ConfigEntry[] = [];
  private readonly specs = new Map(gatewayVariables.map((spec) => [spec.variable, spec]));

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** The variable's text, or undefined when unset or empty. */
  raw(variable: string): string | undefined {
    const text = this.env[variable];
    return text === undefined || text === '' ? undefined : text;
  }

  private spec(variable: string): Spec {
    const spec = this.specs.get(variable);
    if (!spec) throw new Error(`${variable} is not in gatewayVariables`);
    return spec;
  }

  /** A value shown to the operator: secrets masked, a database URL with its password masked. */
  private shown(spec: Spec, text: string): string {
    if (!spec.secret) return text;
    if (spec.variable === 'SPAY_DATABASE_URL') return maskUrlPassword(text);
    return `(set, ${text.length} characters, hidden)`;
  }

  /** What the error message says the variable held (never a secret's value). */
  got(variable: string, text: string): string {
    return this.spec(variable).secret ? `a value of ${text.length} characters (not shown)` : quoted(text);
  }

  record(variable: string, effective: string | undefined): void {
    const spec = this.spec(variable);
    const text = this.raw(variable);
    this.entries.push({
      variable,
      value: text === undefined ? (effective ?? '(none)') : this.shown(spec, text),
      source: text === undefined ? 'default' : 'environment',
      description: spec.description,
    });
  }

  /** Reads, parses and records; `fallback` is shown when unset. */
  read<T>(
    variable: string,
    expected: string,
    parse: (text: string) => T | undefined,
    fallback: { value: T; shown: string },
  ): T {
    const text = this.raw(variable);
    this.record(variable, fallback.shown);
    if (text === undefined) return fallback.value;
    let value: T | undefined;
    try {
      value = parse(text);
    } catch {
      value = undefined;
    }
    if (value === undefined) throw new ConfigError(variable, expected, this.got(variable, text));
    return value;
  }
}

function maskUrlPassword(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '*****';
    return url.toString();
  } catch {
    return '(unparsable, hidden)';
  }
}

function integerIn(min: number, max: number): (text: string) => number | undefined {
  return (text) => {
    if (!/^\d+$/.test(text.trim())) return undefined;
    const value = Number(text.trim());
    return value >= min && value <= max ? value : undefined;
  };
}

function flag(text: string): boolean | undefined {
  const lower = text.trim().toLowerCase();
  if (lower === '1' || lower === 'true') return true;
  if (lower === '0' || lower === 'false') return false;
  return undefined;
}

const hostnamePattern =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function listenHost(text: string): string | undefined {
  const trimmed = text.trim();
  return isIP(trimmed) || hostnamePattern.test(trimmed) ? trimmed : undefined;
}

function httpUrl(text: string): string | undefined {
  const url = new URL(text.trim());
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.search || url.hash || url.username || url.password) return undefined;
  return text.trim().replace(/\/+$/, '');
}

function postgresUrl(text: string): string | undefined {
  const url = new URL(text.trim());
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return undefined;
  return url.hostname || url.searchParams.has('host') ? text.trim() : undefined;
}

function isCidrOrAddress(part: string): boolean {
  const [address, bits, ...rest] = part.split('/');
  const family = isIP(address ?? '');
  if (!family || rest.length > 0) return false;
  if (bits === undefined) return true;
  if (!/^\d+$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function trustProxy(text: string): boolean | string[] | undefined {
  const yesNo = flag(text);
  if (yesNo !== undefined) return yesNo;
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return parts.length > 0 && parts.every(isCidrOrAddress) ? parts : undefined;
}

function metricsToken(text: string): string | undefined {
  return text.length >= 16 && /^[\x21-\x7e]+$/.test(text) ? text : undefined;
}

function hostPort(text: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const host = listenHost(match[1] ?? match[2] ?? '');
  const port = integerIn(0, 65_535)(match[3]!);
  return host !== undefined && port !== undefined ? { host, port } : undefined;
}

function seedApp(cwd: string): (text: string) => SeedApp[] | undefined {
  return (text) => {
    const parsed = JSON.parse(readFileSync(resolve(cwd, text), 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const seed = parsed as Partial<SeedApp>;
    if (typeof seed.appId !== 'string' || typeof seed.appSecret !== 'string') return undefined;
    return [seed as SeedApp];
  };
}

const DAY_MS = 86_400_000;

/** Parses and checks the environment; throws `ConfigError` for the first bad variable. */
export function readGatewayConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): { config: GatewayConfig; entries: ConfigEntry[] } {
  const reader = new EnvironmentReader(env);
  const port = integerIn(0, 65_535);
  const positive = integerIn(1, 1_000_000_000);
  const perMinute = integerIn(0, 100_000_000);
  const ms = integerIn(1, DAY_MS);

  const host = reader.read('SPAY_GATEWAY_HOST', 'an IP address or host name', listenHost, {
    value: '127.0.0.1',
    shown: '127.0.0.1',
  });
  const listenPort = reader.read('SPAY_GATEWAY_PORT', 'a port number from 0 to 65535', port, {
    value: 8080,
    shown: '8080',
  });
  const dataDir = reader.read('SPAY_DATA_DIR', 'a directory path', (text) => resolve(cwd, text), {
    value: resolve(cwd, 'data'),
    shown: resolve(cwd, 'data'),
  });
  const databaseUrl = reader.read(
    'SPAY_DATABASE_URL',
    'a postgres:// or postgresql:// URL with a host',
    postgresUrl,
    { value: undefined as string | undefined, shown: '(none: SQLite in SPAY_DATA_DIR)' },
  );
  // Checked here; the store reads it itself (storage/secret-sealer.ts), also for the CLIs.
  reader.read('SPAY_SECRET_KEY', '32 bytes written as 64 hex characters or base64', parseSecretKey, {
    value: undefined as Buffer | undefined,
    shown: `(none: ${resolve(dataDir, 'secret.key')})`,
  });
  const seedAppFile = reader.raw('SPAY_SEED_APP');
  const seedApps = reader.read(
    'SPAY_SEED_APP',
    'a readable JSON file holding an app (at least appId and appSecret)',
    seedApp(cwd),
    { value: [] as SeedApp[], shown: '(none)' },
  );
  const widgetDir = reader.read('SPAY_WIDGET_DIR', 'a directory path', (text) => resolve(cwd, text), {
    value: resolve(cwd, 'dist/widget'),
    shown: resolve(cwd, 'dist/widget'),
  });
  const consoleDir = reader.read('SPAY_CONSOLE_DIR', 'a directory path', (text) => resolve(cwd, text), {
    value: resolve(widgetDir, '..', 'console'),
    shown: resolve(widgetDir, '..', 'console'),
  });
  const allowPrivateTargets = reader.read('SPAY_ALLOW_PRIVATE_TARGETS', '0 or 1', flag, {
    value: false,
    shown: '0',
  });
  const webhookRetryScale = reader.read(
    'SPAY_WEBHOOK_RETRY_SCALE',
    'a number greater than 0 and at most 1000',
    (text) => {
      const value = Number(text);
      return /^\s*[0-9.e+-]+\s*$/i.test(text) && Number.isFinite(value) && value > 0 && value <= 1000
        ? value
        : undefined;
    },
    { value: 1, shown: '1' },
  );
  const webhookLeaseMs = reader.read('SPAY_WEBHOOK_LEASE_MS', 'milliseconds from 1 to 86400000', ms, {
    value: undefined as number | undefined,
    shown: '(delivery timeout + 20000)',
  });
  const publicUrl = reader.read(
    'SPAY_PUBLIC_URL',
    'an http:// or https:// URL without query, fragment or credentials',
    httpUrl,
    { value: undefined as string | undefined, shown: '(http://HOST:PORT)' },
  );
  const logger = reader.read('SPAY_LOG', '0 or 1', flag, { value: true, shown: '1' });
  const debug = reader.read('SPAY_DEBUG', '0 or 1', flag, { value: false, shown: '0' });
  const writes = reader.read(
    'SPAY_RATE_LIMIT_WRITES',
    'a whole number of requests per minute (0 = no limits)',
    perMinute,
    {
      value: 600,
      shown: '600',
    },
  );
  const reads = reader.read('SPAY_RATE_LIMIT_READS', 'a whole number of requests per minute', positive, {
    value: 6000,
    shown: '6000',
  });
  const restPerIp = reader.read('SPAY_RATE_LIMIT_REST', 'a whole number of requests per minute', positive, {
    value: 3000,
    shown: '3000',
  });
  const restPerApp = reader.read(
    'SPAY_RATE_LIMIT_REST_APP',
    'a whole number of requests per minute',
    positive,
    {
      value: 6000,
      shown: '6000',
    },
  );
  const maxConnectionsPerIp = reader.read('SPAY_MAX_CONNECTIONS_PER_IP', 'a whole number from 1', positive, {
    value: 256,
    shown: '256',
  });
  const maxConnections = reader.read('SPAY_MAX_CONNECTIONS', 'a whole number from 1', positive, {
    value: undefined as number | undefined,
    shown: '(open file limit - 128, at most 10000)',
  });
  const trust = reader.read('SPAY_TRUST_PROXY', '0, 1, or comma-separated IP addresses / CIDRs', trustProxy, {
    value: false as boolean | string[],
    shown: '(none)',
  });
  const reconcileAfterMs = reader.read('SPAY_RECONCILE_AFTER_MS', 'milliseconds from 1 to 86400000', ms, {
    value: undefined as number | undefined,
    shown: '30000',
  });
  const reconcilePassMs = reader.read('SPAY_RECONCILE_PASS_MS', 'milliseconds from 1 to 86400000', ms, {
    value: undefined as number | undefined,
    shown: '5000',
  });
  const refundSettleMs = reader.read('SPAY_REFUND_SETTLE_MS', 'milliseconds from 1 to 86400000', ms, {
    value: undefined as number | undefined,
    shown: '60000',
  });
  const restTimestampWindowMs = reader.read(
    'SPAY_REST_TIMESTAMP_WINDOW_MS',
    'milliseconds from 1 to 86400000',
    ms,
    { value: undefined as number | undefined, shown: '300000' },
  );

  const token = reader.read(
    'SPAY_METRICS_TOKEN',
    'at least 16 printable characters without spaces',
    metricsToken,
    { value: undefined as string | undefined, shown: '(none: /metrics not served on the gateway port)' },
  );
  const metricsAddress = reader.read(
    'SPAY_METRICS_ADDRESS',
    'HOST:PORT (e.g. 127.0.0.1:9464, [::1]:9464)',
    hostPort,
    { value: undefined as { host: string; port: number } | undefined, shown: '(none)' },
  );

  const config: GatewayConfig = {
    host,
    port: listenPort,
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    seedApps,
    ...(seedAppFile ? { seedAppFile: resolve(cwd, seedAppFile) } : {}),
    widgetDir,
    consoleDir,
    allowPrivateTargets,
    webhookRetryScale,
    ...(webhookLeaseMs ? { webhookLeaseMs } : {}),
    ...(publicUrl ? { publicUrl } : {}),
    logger,
    debug,
    rateLimit:
      writes === 0
        ? false
        : {
            writesPerMinute: writes,
            readsPerMinute: reads,
            restPerMinutePerIp: restPerIp,
            restPerMinutePerApp: restPerApp,
          },
    connectionLimits: { maxConnectionsPerIp, ...(maxConnections ? { maxConnections } : {}) },
    trustProxy: trust,
    timings: {
      ...(reconcileAfterMs ? { reconcileAfterMs } : {}),
      ...(reconcilePassMs ? { reconcilePassMs } : {}),
      ...(refundSettleMs ? { refundSettleMs } : {}),
    },
    ...(restTimestampWindowMs ? { restTimestampWindowMs } : {}),
    metrics: { ...(token ? { token } : {}), ...(metricsAddress ? { address: metricsAddress } : {}) },
  };
  return { config, entries: reader.entries };
}

/** The REST API's timestamp window from the environment (the same check as at start; undefined when unset). */
export function restTimestampWindowFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env.SPAY_REST_TIMESTAMP_WINDOW_MS;
  if (text === undefined || text === '') return undefined;
  const value = integerIn(1, DAY_MS)(text);
  if (value === undefined) {
    throw new ConfigError('SPAY_REST_TIMESTAMP_WINDOW_MS', 'milliseconds from 1 to 86400000', quoted(text));
  }
  return value;
}

/** `--print-config`: one line per variable, `NAME=value  (default|environment)  what it does`. */
export function describeConfig(entries: readonly ConfigEntry[]): string {
  const width = Math.max(...entries.map((entry) => entry.variable.length + entry.value.length + 1));
  return entries
    .map((entry) => {
      const assignment = `${entry.variable}=${entry.value}`;
      return `${assignment.padEnd(width)}  ${entry.source === 'default' ? '(default)    ' : '(environment)'}  ${entry.description}`;
    })
    .join('\n');
}
