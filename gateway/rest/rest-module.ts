/**
 * The server-SDK REST API (reference §4) as one gateway module: the `/2/rest/*` routes, translating requests into
 * calls on the core (payments, refunds, bill and refund listings, webhook deliveries). It builds no service and
 * runs no timer: refunds, their tables and their background work belong to the core.
 */
import type { FastifyInstance } from 'fastify';
import { restTimestampWindowFromEnv } from '../config/gateway-config.ts';
import type { GatewayContext } from '../gateway-context.ts';
import type { GatewayModule } from '../gateway-module.ts';
import { DEFAULT_TIMESTAMP_WINDOW_MS } from './app-auth.ts';
import { registerBillQueryRoutes } from './bill-query-routes.ts';
import { registerInternationalRoutes } from './international-routes.ts';
import { registerOfflineRoutes } from './offline-routes.ts';
import { registerPayRoutes } from './pay-routes.ts';
import { registerRefundRoutes } from './refund-routes.ts';
import type { RestContext } from './rest-context.ts';
import { installSignedBodyCapture } from './request-signature.ts';
import { registerSandboxNotifyRoutes } from './sandbox-notify-routes.ts';
import { registerSubscriptionRoutes } from './subscription-routes.ts';
import { registerTransferRoutes } from './transfer-routes.ts';
import { registerWebhookDeliveryRoutes } from './webhook-delivery-routes.ts';
import { registerUserCouponRoutes } from './user-coupon-routes.ts';

export interface RestApiOptions {
  /** How far a request's `timestamp` may be from the server's clock (default ±5 min, or SPAY_REST_TIMESTAMP_WINDOW_MS). */
  timestampWindowMs?: number;
}

/** Registers the routes on the gateway's server. */
export function registerRestApi(
  server: FastifyInstance,
  gateway: GatewayContext,
  options: RestApiOptions = {},
): RestContext {
  const rest: RestContext = {
    gateway,
    timestampWindowMs:
      options.timestampWindowMs ?? restTimestampWindowFromEnv() ?? DEFAULT_TIMESTAMP_WINDOW_MS,
    replayGuard: gateway.store.seenSignatures,
  };
  installSignedBodyCapture(server);
  registerPayRoutes(server, rest);
  registerBillQueryRoutes(server, rest);
  registerRefundRoutes(server, rest);
  registerSandboxNotifyRoutes(server, rest);
  registerTransferRoutes(server, rest);
  registerOfflineRoutes(server, rest);
  registerInternationalRoutes(server, rest);
  registerSubscriptionRoutes(server, rest);
  registerWebhookDeliveryRoutes(server, rest);
  registerUserCouponRoutes(server, rest);
  return rest;
}

/** The module to install (gateway/modules.ts). Stateless: one instance serves any number of gateways. */
export const restApiModule: GatewayModule = {
  name: 'rest-api',
  register(server, gateway) {
    registerRestApi(server, gateway);
  },
};
