/**
 * The server-SDK REST API (reference §4) and the refunds behind it, as one gateway module: the refund tables'
 * migration, the `/2/rest/*` routes, the automatic refund of late payments, and the resumption at start of
 * refunds a stopped gateway left half done.
 */
import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../gateway-context.ts';
import type { GatewayModule } from '../gateway-module.ts';
import { RefundService } from '../refunds/refund-service.ts';
import { m100_refunds } from '../storage/migrations/100-refunds.ts';
import { DEFAULT_TIMESTAMP_WINDOW_MS } from './app-auth.ts';
import { BillListing } from './bill-listing.ts';
import { registerBillQueryRoutes } from './bill-query-routes.ts';
import { registerPayRoutes } from './pay-routes.ts';
import { registerRefundRoutes } from './refund-routes.ts';
import type { RestContext } from './rest-context.ts';
import { ReplayGuardStore } from './replay-guard-store.ts';
import { installSignedBodyCapture } from './request-signature.ts';
import { registerSandboxNotifyRoutes } from './sandbox-notify-routes.ts';
import { registerWebhookDeliveryRoutes } from './webhook-delivery-routes.ts';

const STUCK_REFUND_RETRY_MS = 60_000;
const STUCK_REFUND_AGE_MS = 30_000;
const SEEN_SIGNATURES_CLEANUP_MS = 60_000;

export interface RestApiOptions {
  /** How far a request's `timestamp` may be from the server's clock (default ±5 min, or SPAY_REST_TIMESTAMP_WINDOW_MS). */
  timestampWindowMs?: number;
}

function timestampWindowFromEnvironment(): number | undefined {
  const text = process.env.SPAY_REST_TIMESTAMP_WINDOW_MS;
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** Registers the routes on the gateway's server and starts the refunds side; returns what it built. */
export function registerRestApi(
  server: FastifyInstance,
  gateway: GatewayContext,
  options: RestApiOptions = {},
): RestContext {
  const refunds = new RefundService({
    db: gateway.store.db,
    channelFor: (app, bill) => gateway.adapterFor(app, bill.mode),
    webhookRetryScale: gateway.webhookRetryScale,
    onWebhookEnqueued: () => gateway.webhooks.wake(),
    log: (level, message, fields) => gateway.log[level](fields, message),
  });
  const rest: RestContext = {
    gateway,
    refunds,
    billListing: new BillListing(gateway.store.db),
    timestampWindowMs:
      options.timestampWindowMs ?? timestampWindowFromEnvironment() ?? DEFAULT_TIMESTAMP_WINDOW_MS,
    replayGuard: new ReplayGuardStore(gateway.store.db),
  };
  installSignedBodyCapture(server);
  registerPayRoutes(server, rest);
  registerBillQueryRoutes(server, rest);
  registerRefundRoutes(server, rest);
  registerSandboxNotifyRoutes(server, rest);
  registerWebhookDeliveryRoutes(server, rest);

  const stopListening = refunds.listenForLatePayments(gateway.billEvents);
  // Refunds a channel did not answer are sent again every minute (and at every start).
  const retryTimer = setInterval(() => {
    refunds.retryProcessing(STUCK_REFUND_AGE_MS).catch((error: unknown) => {
      gateway.log.warn({ err: error }, 'retrying unanswered refunds failed');
    });
  }, STUCK_REFUND_RETRY_MS);
  retryTimer.unref();
  // Used signs and nonces are only needed inside their timestamp window.
  const cleanupTimer = setInterval(() => {
    rest.replayGuard.deleteExpired(Date.now()).catch((error: unknown) => {
      gateway.log.warn({ err: error }, 'deleting expired signs and nonces failed');
    });
  }, SEEN_SIGNATURES_CLEANUP_MS);
  cleanupTimer.unref();
  server.addHook('onClose', async () => {
    clearInterval(retryTimer);
    clearInterval(cleanupTimer);
    stopListening();
  });
  server.addHook('onReady', async () => {
    await refunds.resumeUnfinished().catch((error: unknown) => {
      gateway.log.warn({ err: error }, 'resuming unfinished refunds failed');
    });
  });
  return rest;
}

/** The module to install (gateway/modules.ts). Stateless: one instance serves any number of gateways. */
export const restApiModule: GatewayModule = {
  name: 'rest-api',
  migrations: { '100_refunds': m100_refunds },
  register(server, gateway) {
    registerRestApi(server, gateway);
  },
};
