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
import { RequestFields } from './request-fields.ts';
import { readRestFields } from './request-params.ts';

export interface RestContext {
  gateway: GatewayContext;
  timestampWindowMs: number;
  /** Signs and nonces already used (item 6 of issue 21). */
  replayGuard: ReplayGuardStore;
}

export interface AuthenticatedRequest {
  app: App;
  /**
   * LEGACY, for routes without schemas (request-fields.ts): the request's fields to read by hand. A route made with
   * `schemaRoute` reads its typed `request.body` / `request.query` instead.
   */
  fields: RequestFields;
}

/** What the route's schema checked: the body when it has one, else the query (GET, DELETE). */
function checkedFields(request: FastifyRequest): Record<string, unknown> {
  return (request.routeOptions.schema?.body !== undefined ? request.body : request.query) as Record<
    string,
    unknown
  >;
}

/** The legacy field reader over what the route's schema checked, or over the raw request for a route without one. */
function legacyFields(request: FastifyRequest): RequestFields {
  const schema = request.routeOptions.schema;
  if (schema?.body === undefined && schema?.querystring === undefined) return readRestFields(request);
  return new RequestFields(checkedFields(request), 'json');
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
  const legacy = legacyFields(request);
  // The signature fields, checked by the route's schema (`SignedRequest`): in the body, or in the query (GET, DELETE).
  // A route without a schema: read by hand, as before (LEGACY).
  const schema = request.routeOptions.schema;
  const hasSchema = schema?.body !== undefined || schema?.querystring !== undefined;
  const fields: SignatureFields = hasSchema
    ? (checkedFields(request) as unknown as SignatureFields)
    : {
        app_id: legacy.requiredString('app_id', { maxLength: 64 }),
        timestamp: legacy.has('timestamp') ? legacy.requiredInteger('timestamp', { min: 0 }) : undefined,
        app_sign: legacy.optionalString('app_sign'),
      };
  const authOptions = {
    findApp: (appId: string) => rest.gateway.store.apps.findApp(appId),
    scope,
    timestampWindowMs: rest.timestampWindowMs,
  };
  if (hasRequestSignature(request)) {
    const app = await authenticateSignedRequest(request, fields, { ...authOptions, guard: rest.replayGuard });
    return { app, fields: legacy };
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
  return { app, fields: legacy };
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
