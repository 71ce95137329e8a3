/**
 * What the REST routes share: the gateway's context (its core) and the authentication of every request
 * (`authenticated`) with the secret its endpoint requires.
 */
import type { FastifyRequest } from 'fastify';
import type { App } from '../apps/app.ts';
import type { Bill } from '../bills/bill.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { authenticateApp, type SecretScope } from './app-auth.ts';
import { billRecord, type BillRecord } from './bill-record.ts';
import type { RequestFields } from './request-fields.ts';
import { readRestFields } from './request-params.ts';

export interface RestContext {
  gateway: GatewayContext;
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
    findApp: (appId) => rest.gateway.store.apps.findApp(appId),
    scope,
    timestampWindowMs: rest.timestampWindowMs,
  });
  return { app, fields };
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

/** Route options shared by the REST endpoints: small bodies only (a REST request is a few hundred bytes). */
export const restRouteOptions = { bodyLimit: 64 * 1024 };
