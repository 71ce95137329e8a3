/**
 * `npm run gateway`: the gateway alone, configured by the environment, run by node with the flags of
 * `config.gatewayNodeFlags` in package.json (V8's heap bounds; give them to node when starting the bundle yourself).
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
 * Every variable is parsed and checked in config/gateway-config.ts: a bad one stops start-up with one line (exit
 * code 2). `npm run gateway -- --print-config` prints the effective configuration, secrets masked, and exits.
 * SIGTERM / SIGINT: stop taking requests, finish those in flight, leave undelivered webhooks in the outbox.
 */
import {
  ConfigError,
  describeConfig,
  readGatewayConfig,
  type GatewayConfig,
} from './config/gateway-config.ts';
import { startGateway, type RunningGateway } from './server.ts';
import { describeStartupFailure } from './startup-failure.ts';

let config: GatewayConfig;
try {
  const read = readGatewayConfig(process.env);
  config = read.config;
  if (process.argv.includes('--print-config')) {
    console.log(describeConfig(read.entries));
    process.exit(0);
  }
} catch (error) {
  // A bad variable: one line naming it and what it expects, before anything is opened.
  if (!(error instanceof ConfigError)) throw error;
  console.error(`spay gateway: ${error.message}`);
  process.exit(2);
}

let gateway: RunningGateway;
try {
  gateway = await startGateway({
    host: config.host,
    port: config.port,
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    // A checkpoint inside a COMMIT held the event loop 2–5 ms, about 8 times a second under load.
    sqliteCheckpointWorker: true,
    trustProxy: config.trustProxy,
    seedApps: config.seedApps,
    widgetDir: config.widgetDir,
    consoleDir: config.consoleDir,
    webhookRetryScale: config.webhookRetryScale,
    webhookLeaseMs: config.webhookLeaseMs,
    publicUrl: config.publicUrl,
    timings: config.timings,
    logger: config.logger,
    rateLimit: config.rateLimit,
    connectionLimits: config.connectionLimits,
    allowPrivateTargets: config.allowPrivateTargets,
    metrics: config.metrics,
  });
} catch (error) {
  // One line that says what is wrong and how to recover (a corrupt database, a busy port …), not a stack trace.
  console.error(describeStartupFailure(error, config.dataDir));
  if (config.debug) console.error(error);
  process.exit(1);
}

console.log(`spay gateway listening on ${gateway.url}`);
if (gateway.metricsUrl) console.log(`metrics: ${gateway.metricsUrl}/metrics`);
for (const seed of config.seedApps) console.log(`seeded app: ${seed.appId}`);
console.log(`data: ${config.databaseUrl ? 'PostgreSQL (SPAY_DATABASE_URL)' : config.dataDir}`);

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
