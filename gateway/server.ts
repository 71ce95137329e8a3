/**
 * The gateway: spay's self-hosted stand-in for BeeCloud's cloud. `startGateway` opens the store, seeds apps,
 * builds the channel registry and the payments core, starts the webhook dispatcher and the core's timers, and
 * listens; `close()` stops taking requests, finishes
 * those in flight and leaves undelivered webhooks in the outbox for the next start.
 */
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import type { SeedApp } from './apps/app.ts';
import { registerBillStatusRoutes } from './button/bill-status-routes.ts';
import { registerCreateBillRoutes } from './button/create-bill-routes.ts';
import { registerButtonCouponRoutes } from './button/coupon-routes.ts';
import { registerWidgetScriptRoutes } from './button/widget-script-routes.ts';
import type { ChannelFamily, OutboundHttp } from './channels/channel.ts';
import { installedChannelFamilies } from './channels/families.ts';
import { registerNotifyRoutes } from './channels/notify-routes.ts';
import { SandboxChannel } from './channels/sandbox-adapter.ts';
import { ChannelRegistry } from './core/channel-registry.ts';
import { GatewayCore, type CoreTimings } from './core/gateway-core.ts';
import type { SubscriptionOptions } from './core/subscriptions.ts';
import type { TransferOptions } from './core/transfers.ts';
import type { GatewayContext } from './gateway-context.ts';
import type { GatewayModule } from './gateway-module.ts';
import { installErrorHandlers } from './http/error-handler.ts';
import { gatewayLoggerOptions } from './http/log-redaction.ts';
import { registerHealthRoutes } from './http/health-routes.ts';
import {
  installConnectionLimits,
  resolveConnectionLimits,
  serverTimeoutOptions,
  type ConnectionLimits,
} from './http/connection-limits.ts';
import { installFairAdmission } from './http/request-admission.ts';
import { installRateLimits, type RateLimitOptions } from './http/rate-limit.ts';
import { installedModules } from './modules.ts';
import { GatewayMetrics } from './metrics/gateway-metrics.ts';
import {
  installRequestMetrics,
  listenForMetrics,
  registerMetricsRoute,
  type MetricsOptions,
} from './metrics/metrics-routes.ts';
import { registerPageRoutes } from './pages/page-routes.ts';
import { installSchemaValidation } from './schema/request-validation.ts';
import { installOpenApi, registerOpenApiRoutes } from './schema/openapi-routes.ts';
import { OutboundHttpClient } from './net/outbound-http.ts';
import { privateTargetsAllowedByEnv, targetRefusal } from './net/target-policy.ts';
import { registerSandboxRoutes } from './sandbox/sandbox-routes.ts';
import { openStore, type GatewayStore } from './storage/store.ts';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.ts';

export type { SeedApp } from './apps/app.ts';

export interface GatewayOptions {
  host?: string;
  port?: number;
  /** Where SQLite keeps `gateway.sqlite` (and nothing else needs) when there is no `databaseUrl`. */
  dataDir: string;
  /**
   * `postgres://user:password@host:port/database`: keep everything in PostgreSQL instead of SQLite, so several
   * gateway instances can serve one merchant platform (README "Running several instances").
   */
  databaseUrl?: string;
  /**
   * SQLite only: WAL checkpoints on a worker thread instead of inside a COMMIT on the event loop
   * (`storage/wal-checkpointer.ts`). The gateway process (`main.ts`) turns it on; gateways built in tests do not.
   */
  sqliteCheckpointWorker?: boolean;
  seedApps?: SeedApp[];
  widgetDir?: string;
  /** The built merchant console (default: `console` beside the widget directory). */
  consoleDir?: string;
  webhookRetryScale?: number;
  /**
   * How long a dispatcher holds a webhook it claimed before other instances may send it (default: the delivery
   * timeout + 20 s). Shorter means a killed instance's webhooks go out sooner.
   */
  webhookLeaseMs?: number;
  logger?: boolean;
  /** Where log lines go when `logger` is on (default stdout; tests read them). */
  logStream?: NodeJS.WritableStream;
  /** How browsers reach the gateway, when it is not `http://host:port` (behind a proxy, host 0.0.0.0). */
  publicUrl?: string;
  /** How often open attempts past their expiry are closed (default 5 s). */
  expirySweepMs?: number;
  /** Reconciliation and refund-settling timings (see core/gateway-core.ts). */
  timings?: Omit<CoreTimings, 'expirySweepMs'>;
  /** The sandbox's transfer balance per app and how soon card transfers settle (core/transfers.ts). */
  transfers?: TransferOptions;
  /** Subscriptions: passcode lifetime, the sandbox bank's review time, retries, scheduler pass (core/subscriptions.ts). */
  subscriptions?: SubscriptionOptions;
  /** The core's clock (tests run a simulated month of subscription charges with it; default Date.now). */
  now?: () => number;
  /** Live channel families in the registry; defaults to those listed in channels/families.ts. */
  channelFamilies?: readonly ChannelFamily[];
  /** Outbound HTTP for live channel adapters (default: fetch with a timeout, no redirects). */
  channelHttp?: OutboundHttp;
  /** Per-IP limits on the public endpoints and per-IP / per-app limits on /2/rest/*; false turns them off (benchmarks). */
  rateLimit?: RateLimitOptions | false;
  /** Request / header timeouts and caps on connections and event streams (per IP and in total). */
  connectionLimits?: ConnectionLimits;
  /**
   * Behind a load balancer: which proxies' `X-Forwarded-For` names the client (for per-IP limits and logs) —
   * addresses or CIDRs, or true for any (Fastify's `trustProxy`). Default: none, the peer address is the client.
   */
  trustProxy?: boolean | string[];
  /** Modules besides the core; defaults to those listed in modules.ts. */
  modules?: GatewayModule[];
  /**
   * Let webhooks and notify_url point at loopback / private / link-local addresses. For local development only
   * (`npm start`'s demo shop on 127.0.0.1); default: the SPAY_ALLOW_PRIVATE_TARGETS=1 environment switch, else off.
   */
  allowPrivateTargets?: boolean;
  /** Prometheus metrics: a token for `/metrics` on this port and/or a separate address (metrics/metrics-routes.ts). */
  metrics?: MetricsOptions;
  /** Called for every route as it is added (Fastify's onRoute): tests list the live routes with it. */
  onRoute?: (route: RouteOptions) => void;
}

export interface RunningGateway {
  url: string;
  /** The separate metrics listener's URL, when `metrics.address` is set. */
  metricsUrl?: string;
  close(): Promise<void>;
}

export interface BuiltGateway {
  app: FastifyInstance;
  ctx: GatewayContext;
  /** Starts background work (webhook dispatcher, the core's timers); `listen` does this for you. */
  startBackgroundWork(): void;
  /** Sets the URL browsers reach the gateway at (startGateway does this once listening). */
  setPublicUrl(url: string): void;
  /** The gateway's metrics (also the observer of its core, channels and dispatcher). */
  metrics: GatewayMetrics;
  /** Starts the separate metrics listener when `metrics.address` is set (once); its URL. `listenGateway` calls it. */
  listenMetrics(): Promise<string | undefined>;
  close(): Promise<void>;
}

/**
 * With several instances on one database: bill changes made here are announced to the others, and theirs are
 * passed to the payers' status streams open here (the bill read again from the database).
 */
async function relayBillChanges(store: GatewayStore, core: GatewayCore, app: FastifyInstance): Promise<void> {
  const feed = store.billChanges;
  if (!feed) return;
  core.events.onLocalBillChange((bill) => {
    feed.announce(bill.id).catch((error: unknown) => {
      app.log.warn({ billId: bill.id, err: String(error) }, 'announcing a bill change failed');
    });
  });
  await feed.listen((billId) => {
    if (!core.events.isWatched(billId)) return;
    store.bills
      .findBill(billId)
      .then((bill) => {
        if (bill) core.events.billChangedElsewhere(bill);
      })
      .catch((error: unknown) => {
        app.log.warn({ billId, err: String(error) }, 'reading a bill another instance changed failed');
      });
  });
}

/** Builds the gateway without listening (tests may use `app.inject`). */
export async function buildGateway(options: GatewayOptions): Promise<BuiltGateway> {
  const modules = options.modules ?? installedModules;
  const extraMigrations = Object.assign({}, ...modules.map((module) => module.migrations ?? {}));
  const store = await openStore(
    { dataDir: resolve(options.dataDir), databaseUrl: options.databaseUrl },
    extraMigrations,
    { checkpointWorker: options.sqliteCheckpointWorker ?? false },
  );
  const allowPrivateTargets = options.allowPrivateTargets ?? privateTargetsAllowedByEnv();
  for (const seed of options.seedApps ?? []) {
    for (const [field, url] of [
      ['webhookUrl', seed.webhookUrl],
      ['liveWebhookUrl', seed.liveWebhookUrl],
    ] as const) {
      const refusal = url ? targetRefusal(url, allowPrivateTargets) : null;
      if (refusal) {
        await store.close();
        throw new Error(
          `seed app ${seed.appId}: ${field} ${refusal} (set SPAY_ALLOW_PRIVATE_TARGETS=1 for local development)`,
        );
      }
    }
    await store.apps.seedApp(seed);
  }
  const outbound = new OutboundHttpClient({ allowPrivateTargets });
  let log: FastifyInstance['log'] | undefined;
  const metrics = new GatewayMetrics({
    outbox: store.outbox,
    onCollectError: (error) =>
      log?.warn({ err: String(error) }, 'metrics: reading the outbox backlog failed'),
  });

  const connectionLimits = resolveConnectionLimits(options.connectionLimits);
  const app = Fastify({
    // Secrets and personal data are redacted by the logger itself (http/log-redaction.ts).
    logger: options.logger ? gatewayLoggerOptions(options.logStream) : false,
    bodyLimit: 64 * 1024,
    forceCloseConnections: 'idle',
    ...serverTimeoutOptions(connectionLimits),
    trustProxy: options.trustProxy ?? false,
  });
  log = app.log;
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  installConnectionLimits(app, connectionLimits);
  const webhookRetryScale = options.webhookRetryScale ?? 1;
  const webhooks = new WebhookDispatcher({
    store,
    retryScale: webhookRetryScale,
    outbound,
    log: (level, message, fields) => app.log[level](fields, message),
    // A SQLite database is this gateway's alone: leases found at start are its own killed run's.
    releaseLeasesAtStart: store.engine === 'sqlite',
    leaseMs: options.webhookLeaseMs,
    observer: metrics,
  });
  let publicUrl = options.publicUrl?.replace(/\/+$/, '') ?? '';
  const registry = new ChannelRegistry({
    sandbox: new SandboxChannel(() => publicUrl),
    http: options.channelHttp ?? outbound.http,
    families: options.channelFamilies ?? installedChannelFamilies,
    observer: metrics,
  });
  const core = new GatewayCore({
    store,
    registry,
    webhooksEnqueued: () => webhooks.wake(),
    webhookRetryScale,
    publicUrl: () => publicUrl,
    log: (level, message, fields) => app.log[level](fields, message),
    allowPrivateTargets,
    expirySweepMs: options.expirySweepMs,
    transfers: options.transfers,
    subscriptions: options.subscriptions,
    now: options.now,
    ...options.timings,
    observer: metrics,
  });
  await relayBillChanges(store, core, app);
  const ctx: GatewayContext = {
    core,
    store,
    webhooks,
    outbound,
    publicUrl: () => publicUrl,
    widgetDir: resolve(options.widgetDir ?? 'dist/widget'),
    consoleDir: resolve(
      options.consoleDir ?? join(dirname(resolve(options.widgetDir ?? 'dist/widget')), 'console'),
    ),
    webhookRetryScale,
    log: app.log,
  };

  installFairAdmission(app);
  // Group commit: no answer leaves before the writes committed so far are on disk (one fsync for all waiting).
  // When they already are (a read, or writes another answer's sync covered), the answer goes on at once.
  app.addHook('onSend', (_request, _reply, payload, done) => {
    if (store.isDurable()) {
      done(null, payload);
      return;
    }
    store.durable().then(() => done(null, payload), done);
  });
  await app.register(cors, { origin: true, methods: ['GET', 'POST', 'PUT'], maxAge: 600 });
  await app.register(formbody);
  installErrorHandlers(app);
  installSchemaValidation(app);
  // Before any route: the OpenAPI document is collected from the routes' schemas as they are added.
  await installOpenApi(app);
  registerOpenApiRoutes(app, () => publicUrl);
  installRequestMetrics(app, metrics);
  registerMetricsRoute(app, metrics, options.metrics ?? {});
  if (options.rateLimit !== false) installRateLimits(app, options.rateLimit);
  registerHealthRoutes(app, ctx);
  registerWidgetScriptRoutes(app, ctx);
  registerCreateBillRoutes(app, ctx);
  registerButtonCouponRoutes(app, ctx);
  registerBillStatusRoutes(app, ctx);
  registerPageRoutes(app, ctx);
  registerSandboxRoutes(app, ctx);
  registerNotifyRoutes(app, ctx);
  for (const module of modules) await module.register(app, ctx);

  let closed = false;
  let metricsListener: Promise<{ url: string; server: Server }> | undefined;
  return {
    app,
    ctx,
    metrics,
    async listenMetrics() {
      const address = options.metrics?.address;
      if (!address) return undefined;
      metricsListener ??= listenForMetrics(metrics, { ...options.metrics, address });
      return (await metricsListener).url;
    },
    startBackgroundWork() {
      webhooks.start();
      core.start();
    },
    async close() {
      if (closed) return;
      closed = true;
      core.stop();
      await webhooks.stop();
      const metricsServer = await metricsListener?.then(
        (listening) => listening.server,
        () => undefined,
      );
      if (metricsServer) {
        metricsServer.closeAllConnections();
        await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      }
      outbound.close();
      await app.close();
      for (const module of modules) await module.close?.();
      await store.close();
    },
    setPublicUrl(url: string) {
      publicUrl = url.replace(/\/+$/, '');
    },
  };
}

/** Listens on host:port (0 = a free port), sets the public URL unless configured, starts background work. */
export async function listenGateway(
  gateway: BuiltGateway,
  options: Pick<GatewayOptions, 'host' | 'port' | 'publicUrl'>,
): Promise<string> {
  const host = options.host ?? '127.0.0.1';
  try {
    await gateway.app.listen({ host, port: options.port ?? 0 });
  } catch (error) {
    await gateway.close();
    throw error;
  }
  const address = gateway.app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!options.publicUrl) gateway.setPublicUrl(url);
  try {
    await gateway.listenMetrics();
  } catch (error) {
    await gateway.close();
    throw error;
  }
  gateway.startBackgroundWork();
  return url;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const gateway = await buildGateway(options);
  const url = await listenGateway(gateway, options);
  const metricsUrl = await gateway.listenMetrics();
  return { url, ...(metricsUrl ? { metricsUrl } : {}), close: () => gateway.close() };
}
