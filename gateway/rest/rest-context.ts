/**
 * What the REST routes share: the gateway's context (its core) and the authentication of every request
 * (`authenticated`) with the secret its endpoint requires.
 */
import type { FastifyRequest } from 'fastify';
import type { App } from '../apps/app.ts';
import type { Bill } from '../bills/bill.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { authenticateApp, type SecretScope, type SignatureFields } from './app-auth.ts';
import type { ReplayGuardStore } from '../storage/replay-guard-store.ts';
import { billRecord, type BillRecord } from './bill-record.ts';
import { authenticateSignedRequest, claimLegacySign, hasRequestSignature } from './request-signature.ts';

export interface RestContext {
  gateway: GatewayContext;
  timestampWindowMs: number;
  /** Signs and nonces already used (item 6 of issue 21). */
  replayGuard: ReplayGuardStore;
}

export interface AuthenticatedRequest {
  app: App;
}

/**
 * The signature fields (`SignedRequest` in every REST request schema), as the route's schema checked them: in the
 * body when the route has one, else in the query (GET, DELETE). Every REST route is made with `schemaRoute`.
 */
function signatureFields(request: FastifyRequest): SignatureFields {
  const schema = request.routeOptions.schema;
  if (schema?.body !== undefined) return request.body as SignatureFields;
  if (schema?.querystring !== undefined) return request.query as SignatureFields;
  throw new Error(
    `${request.method} ${request.routeOptions.url}: a REST route needs its schemas (schemaRoute)`,
  );
}

export interface AuthenticationOptions {
  /**
   * The endpoint moves money out (refunds, their approval, transfers): a legacy (timestamp, app_sign) is accepted
   * once. Requests signed with the v2 signature are always one-use (their nonce).
   */
  oneUse?: boolean;
}

/**
 * Authenticates by the v2 request signature when the request carries X-Spay-Signature, else by the legacy
 * app_sign (refused when the app requires v2).
 */
export async function authenticated(
  rest: RestContext,
  request: FastifyRequest,
  scope: SecretScope,
  options: AuthenticationOptions = {},
): Promise<AuthenticatedRequest> {
  const fields = signatureFields(request);
  const authOptions = {
    findApp: (appId: string) => rest.gateway.store.apps.findApp(appId),
    scope,
    timestampWindowMs: rest.timestampWindowMs,
  };
  if (hasRequestSignature(request)) {
    const app = await authenticateSignedRequest(request, fields, { ...authOptions, guard: rest.replayGuard });
    return { app };
  }
  const app = await authenticateApp(fields, authOptions);
  if (app.requestSign === 'v2_required') {
    throw new BeeCloudError(
      'APP_INVALID',
      'X-Spay-Signature',
      'this app requires the v2 request signature (headers X-Spay-Timestamp, X-Spay-Nonce, X-Spay-Signature, as the SDK sends them); app_sign alone is refused',
    );
  }
  if (options.oneUse) await claimLegacySign(rest.replayGuard, app.appId, fields, rest.timestampWindowMs);
  return { app };
}

/** Bills as REST records (with refund_result and buyer_id). */
export async function billRecords(
  rest: RestContext,
  bills: Bill[],
  needDetail: boolean,
): Promise<BillRecord[]> {
  const views = await rest.gateway.core.payments.views(bills);
  return views.map((view) => billRecord(view.bill, view, needDetail));
}

/** Small bodies only (a REST request is a few hundred bytes). */
export const restBodyLimit = 64 * 1024;

/** LEGACY route options for REST routes without schemas (kept for routes from other branches). */
export const restRouteOptions = { bodyLimit: restBodyLimit };
