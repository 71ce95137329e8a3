/**
 * What the REST routes share: the gateway's context, the refund service, bill records, and the authentication
 * of every request (`authenticated`) with the secret its endpoint requires.
 */
import type { FastifyRequest } from 'fastify';
import type { App } from '../apps/app.ts';
import type { GatewayContext } from '../gateway-context.ts';
import type { RefundService } from '../refunds/refund-service.ts';
import { authenticateApp, type SecretScope } from './app-auth.ts';
import type { BillListing } from './bill-listing.ts';
import type { RequestFields } from './request-fields.ts';
import { readRestFields } from './request-params.ts';

export interface RestContext {
  gateway: GatewayContext;
  refunds: RefundService;
  billListing: BillListing;
  timestampWindowMs: number;
}

export interface AuthenticatedRequest {
  app: App;
  fields: RequestFields;
}

export async function authenticated(
  rest: RestContext,
  request: FastifyRequest,
  scope: SecretScope,
): Promise<AuthenticatedRequest> {
  const fields = readRestFields(request);
  const app = await authenticateApp(fields, {
    findApp: (appId) => rest.gateway.apps.findApp(appId),
    scope,
    timestampWindowMs: rest.timestampWindowMs,
  });
  return { app, fields };
}

/** Route options shared by the REST endpoints: small bodies only (a REST request is a few hundred bytes). */
export const restRouteOptions = { bodyLimit: 64 * 1024 };
