/**
 * The gateway: spay's self-hosted stand-in for BeeCloud's cloud. `startGateway` opens the store, seeds apps,
 * starts the webhook dispatcher and the expiry sweeper, and listens; `close()` stops taking requests, finishes
 * those in flight and leaves undelivered webhooks in the outbox for the next start.
 */
import { resolve } from 'node:path';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { AppStore } from './apps/app-store.ts';
import type { SeedApp } from './apps/app.ts';
import { BillEvents } from './bills/bill-events.ts';
import { BillService } from './bills/bill-service.ts';
import { registerBillStatusRoutes } from './button/bill-status-routes.ts';
import { registerCreateBillRoutes } from './button/create-bill-routes.ts';
import { registerWidgetScriptRoutes } from './button/widget-script-routes.ts';
import type { ChannelAdapter } from './channels/channel-adapter.ts';
import { registerNotifyRoutes } from './channels/notify-routes.ts';
import { SandboxChannel } from './channels/sandbox-adapter.ts';
import type { GatewayContext } from './gateway-context.ts';
import type { GatewayModule } from './gateway-module.ts';
import { installErrorHandlers } from './http/error-handler.ts';
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
import { registerPageRoutes } from './pages/page-routes.ts';
import { OutboundHttpClient } from './net/outbound-http.ts';
import { privateTargetsAllowedByEnv, targetRefusal } from './net/target-policy.ts';
import { registerSandboxRoutes } from './sandbox/sandbox-routes.ts';
import { openSqliteStore } from './storage/store.ts';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.ts';

export type { SeedApp } from './apps/app.ts';

export interface GatewayOptions {
  host?: string;
  port?: number;
  dataDir: string;
  seedApps?: SeedApp[];
  widgetDir?: string;
  webhookRetryScale?: number;
  logger?: boolean;
  /** How browsers reach the gateway, when it is not `http://host:port` (behind a proxy, host 0.0.0.0). */
  publicUrl?: string;
  /** How often open attempts past their expiry are closed (default 5 s). */
  expirySweepMs?: number;
  /** Per-IP limits on the public endpoints and per-IP / per-app limits on /2/rest/*; false turns them off (benchmarks). */
  rateLimit?: RateLimitOptions | false;
  /** Request / header timeouts and caps on connections and event streams (per IP and in total). */
  connectionLimits?: ConnectionLimits;
  /** Modules besides the core; defaults to those listed in modules.ts. */
  modules?: GatewayModule[];
  /**
   * Let webhooks and notify_url point at loopback / private / link-local addresses. For local development only
   * (`npm start`'s demo shop on 127.0.0.1); default: the SPAY_ALLOW_PRIVATE_TARGETS=1 environment switch, else off.
   */
  allowPrivateTargets?: boolean;
}

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

export interface BuiltGateway {
  app: FastifyInstance;
  ctx: GatewayContext;
  /** Starts background work (webhook dispatcher, expiry sweeper); `listen` does this for you. */
  startBackgroundWork(): void;
  /** Sets the URL browsers reach the gateway at (startGateway does this once listening). */
  setPublicUrl(url: string): void;
  close(): Promise<void>;
}

/** Builds the gateway without listening (tests may use `app.inject`). */
export async function buildGateway(options: GatewayOptions): Promise<BuiltGateway> {
  const modules = options.modules ?? installedModules;
  const extraMigrations = Object.assign({}, ...modules.map((module) => module.migrations ?? {}));
  const store = await openSqliteStore(resolve(options.dataDir), extraMigrations);
  const apps = new AppStore(store.db);
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
    await apps.seedApp(seed);
  }
  const outbound = new OutboundHttpClient({ allowPrivateTargets });

  const connectionLimits = resolveConnectionLimits(options.connectionLimits);
  const app = Fastify({
    logger: options.logger ? { level: 'info' } : false,
    bodyLimit: 64 * 1024,
    forceCloseConnections: 'idle',
    ...serverTimeoutOptions(connectionLimits),
  });
  installConnectionLimits(app, connectionLimits);
  const webhookRetryScale = options.webhookRetryScale ?? 1;
  const billEvents = new BillEvents();
  const webhooks = new WebhookDispatcher({
    db: store.db,
    retryScale: webhookRetryScale,
    outbound,
    log: (level, message, fields) => app.log[level](fields, message),
  });
  const bills = new BillService({
    db: store.db,
    events: billEvents,
    webhookRetryScale,
    onWebhookEnqueued: () => webhooks.wake(),
    allowPrivateTargets,
    log: (fields, message) => app.log.info(fields, message),
  });
  const sandbox = new SandboxChannel();
  const adapters = new Map<string, ChannelAdapter>([[sandbox.name, sandbox]]);
  let publicUrl = options.publicUrl?.replace(/\/+$/, '') ?? '';
  const ctx: GatewayContext = {
    store,
    apps,
    bills,
    billEvents,
    webhooks,
    outbound,
    sandbox,
    adapters,
    // Live credentials for real channels are not implemented yet: live apps get PAY_FACTOR_NOT_SET.
    adapterFor: (_app, mode) => (mode === 'test' ? sandbox : undefined),
    publicUrl: () => publicUrl,
    widgetDir: resolve(options.widgetDir ?? 'dist/widget'),
    webhookRetryScale,
    log: app.log,
  };

  installFairAdmission(app);
  await app.register(cors, { origin: true, methods: ['GET', 'POST', 'PUT'], maxAge: 600 });
  await app.register(formbody);
  installErrorHandlers(app);
  if (options.rateLimit !== false) installRateLimits(app, options.rateLimit);
  registerHealthRoutes(app, ctx);
  registerWidgetScriptRoutes(app, ctx);
  registerCreateBillRoutes(app, ctx);
  registerBillStatusRoutes(app, ctx);
  registerPageRoutes(app, ctx);
  registerSandboxRoutes(app, ctx);
  registerNotifyRoutes(app, ctx);
  for (const module of modules) await module.register(app, ctx);

  let sweeper: NodeJS.Timeout | undefined;
  let closed = false;
  return {
    app,
    ctx,
    startBackgroundWork() {
      webhooks.start();
      sweeper = setInterval(() => {
        ctx.bills
          .expireDueAttempts()
          .catch((error: unknown) => app.log.warn({ err: error }, 'expiry sweep failed'));
      }, options.expirySweepMs ?? 5000);
      sweeper.unref();
    },
    async close() {
      if (closed) return;
      closed = true;
      if (sweeper) clearInterval(sweeper);
      await webhooks.stop();
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
  gateway.startBackgroundWork();
  return url;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const gateway = await buildGateway(options);
  const url = await listenGateway(gateway, options);
  return { url, close: () => gateway.close() };
}
