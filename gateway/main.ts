/**
 * `npm run gateway`: the gateway alone, configured by the environment.
 *   SPAY_GATEWAY_HOST (127.0.0.1)  SPAY_GATEWAY_PORT (8080)  SPAY_DATA_DIR (./data)
 *   SPAY_SEED_APP (a SeedApp JSON file; none by default: the demo app, whose secrets are public, is seeded only
 *     by `npm start`)  SPAY_WIDGET_DIR (dist/widget)
 *   SPAY_ALLOW_PRIVATE_TARGETS (0; 1 lets webhooks and notify_url reach loopback / private addresses: local
 *     development only)
 *   SPAY_WEBHOOK_RETRY_SCALE (1)  SPAY_PUBLIC_URL (http://HOST:PORT)  SPAY_LOG (1; 0 for quiet)
 *   SPAY_RATE_LIMIT_WRITES (600 bill creations per IP per minute; 0 = no limits)  SPAY_RATE_LIMIT_READS (6000)
 *   SPAY_RATE_LIMIT_REST (3000 /2/rest/* requests per IP per minute)  SPAY_RATE_LIMIT_REST_APP (6000 per app)
 *   SPAY_MAX_CONNECTIONS_PER_IP (256)  SPAY_MAX_CONNECTIONS (file limit - 128, at most 10,000)
 *   SPAY_DATABASE_URL (postgres://…: PostgreSQL instead of SQLite in SPAY_DATA_DIR, for several instances)
 *   SPAY_WEBHOOK_LEASE_MS (30000: how long an instance holds a webhook it is sending before others may send it)
 *   SPAY_TRUST_PROXY (none; "1" = any proxy, else comma-separated addresses/CIDRs whose X-Forwarded-For is believed)
 *   SPAY_RECONCILE_AFTER_MS (30000: first channel query about an unpaid attempt)  SPAY_RECONCILE_PASS_MS (5000)
 *   SPAY_REFUND_SETTLE_MS (60000: how often refunds left processing are settled) — tests and drills shorten these
 * SIGTERM / SIGINT: stop taking requests, finish those in flight, leave undelivered webhooks in the outbox.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SeedApp } from './apps/app.ts';
import { startGateway, type RunningGateway } from './server.ts';
import { describeStartupFailure } from './startup-failure.ts';

function numberFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a non-negative number, got "${text}"`);
  return value;
}

function trustProxyFromEnv(text: string | undefined): boolean | string[] {
  if (!text || text === '0') return false;
  if (text === '1' || text === 'true') return true;
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

const host = process.env.SPAY_GATEWAY_HOST || '127.0.0.1';
const port = numberFromEnv('SPAY_GATEWAY_PORT', 8080);
const dataDir = resolve(process.env.SPAY_DATA_DIR || 'data');
const seedFile = process.env.SPAY_SEED_APP ?? '';
const seedApps: SeedApp[] = seedFile
  ? [JSON.parse(await readFile(resolve(seedFile), 'utf8')) as SeedApp]
  : [];

let gateway: RunningGateway;
try {
  gateway = await startGateway({
    host,
    port,
    dataDir,
    databaseUrl: process.env.SPAY_DATABASE_URL || undefined,
    trustProxy: trustProxyFromEnv(process.env.SPAY_TRUST_PROXY),
    seedApps,
    widgetDir: resolve(process.env.SPAY_WIDGET_DIR || 'dist/widget'),
    webhookRetryScale: numberFromEnv('SPAY_WEBHOOK_RETRY_SCALE', 1),
    webhookLeaseMs: numberFromEnv('SPAY_WEBHOOK_LEASE_MS', 0) || undefined,
    publicUrl: process.env.SPAY_PUBLIC_URL || undefined,
    timings: {
      reconcileAfterMs: numberFromEnv('SPAY_RECONCILE_AFTER_MS', 0) || undefined,
      reconcilePassMs: numberFromEnv('SPAY_RECONCILE_PASS_MS', 0) || undefined,
      refundSettleMs: numberFromEnv('SPAY_REFUND_SETTLE_MS', 0) || undefined,
    },
    logger: process.env.SPAY_LOG !== '0',
    rateLimit:
      process.env.SPAY_RATE_LIMIT_WRITES === '0'
        ? false
        : {
            writesPerMinute: numberFromEnv('SPAY_RATE_LIMIT_WRITES', 600),
            readsPerMinute: numberFromEnv('SPAY_RATE_LIMIT_READS', 6000),
            restPerMinutePerIp: numberFromEnv('SPAY_RATE_LIMIT_REST', 3000),
            restPerMinutePerApp: numberFromEnv('SPAY_RATE_LIMIT_REST_APP', 6000),
          },
    connectionLimits: {
      maxConnectionsPerIp: numberFromEnv('SPAY_MAX_CONNECTIONS_PER_IP', 256),
      ...(process.env.SPAY_MAX_CONNECTIONS
        ? { maxConnections: numberFromEnv('SPAY_MAX_CONNECTIONS', 0) }
        : {}),
    },
  });
} catch (error) {
  // One line that says what is wrong and how to recover (a corrupt database, a busy port …), not a stack trace.
  console.error(describeStartupFailure(error, dataDir));
  if (process.env.SPAY_DEBUG === '1') console.error(error);
  process.exit(1);
}

console.log(`spay gateway listening on ${gateway.url}`);
for (const seed of seedApps) console.log(`seeded app: ${seed.appId}`);
console.log(`data: ${process.env.SPAY_DATABASE_URL ? 'PostgreSQL (SPAY_DATABASE_URL)' : dataDir}`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping (undelivered webhooks stay in the outbox)`);
  await gateway.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
