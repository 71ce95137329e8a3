/**
 * GET  /2/rest/webhooks        — recent webhook deliveries of the app with every attempt (app secret);
 *                                filters transaction_type, transaction_id, id (webhook-id), status; skip/limit.
 * POST /2/rest/webhook/resend  — sends deliveries again now, by transaction_id (+ transaction_type) or id
 *                                (master secret: it makes the merchant's server act on money again).
 * spay additions: BeeCloud had no API for this (only its console).
 */
import type { FastifyInstance } from 'fastify';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import { listDeliveries, resendDeliveries } from '../webhooks/webhook-deliveries.ts';
import { authenticated, restRouteOptions, type RestContext } from './rest-context.ts';
import { readDeliveryListing, readResendFilter } from './webhook-delivery-request.ts';

export function registerWebhookDeliveryRoutes(server: FastifyInstance, rest: RestContext): void {
  const db = rest.gateway.store;

  server.get('/2/rest/webhooks', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'payment');
    const { skip, limit, ...filter } = readDeliveryListing(fields);
    const webhooks = await listDeliveries(db, { ...filter, appId: app.appId }, { skip, limit });
    return { ...okAnswer(), count: webhooks.length, webhooks };
  });

  server.post('/2/rest/webhook/resend', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'master');
    const filter = { ...readResendFilter(fields), appId: app.appId };
    const resent = await resendDeliveries(db, filter, { requireEndpoint: true });
    if (resent.length === 0) {
      throw new BeeCloudError(
        filter.transactionType === 'REFUND' ? 'NO_SUCH_REFUND' : 'NO_SUCH_BILL',
        filter.webhookId !== undefined ? 'id' : 'transaction_id',
        'no webhook of this app matches',
      );
    }
    rest.gateway.webhooks.wake();
    const webhooks = await listDeliveries(db, filter, { skip: 0, limit: 50 });
    return { ...okAnswer(), count: webhooks.length, webhooks };
  });
}
