/**
 * GET  /2/rest/webhooks        — recent webhook deliveries of the app with every attempt (app secret);
 *                                filters transaction_type, transaction_id, id (webhook-id), status; skip/limit.
 * POST /2/rest/webhook/resend  — sends deliveries again now, by transaction_id (+ transaction_type) or id
 *                                (master secret: it makes the merchant's server act on money again).
 * spay additions: BeeCloud had no API for this (only its console).
 */
import type { FastifyInstance } from 'fastify';
import { okAnswer } from '../errors/result-codes.ts';
import { authenticated, restRouteOptions, type RestContext } from './rest-context.ts';
import { readDeliveryFilter, readDeliveryListing, WebhookDeliveries } from './webhook-deliveries.ts';

export function registerWebhookDeliveryRoutes(server: FastifyInstance, rest: RestContext): void {
  const deliveries = new WebhookDeliveries(rest.gateway.store.db);

  server.get('/2/rest/webhooks', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'payment');
    const webhooks = await deliveries.list(app.appId, readDeliveryListing(fields));
    return { ...okAnswer(), count: webhooks.length, webhooks };
  });

  server.post('/2/rest/webhook/resend', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'master');
    const webhooks = await deliveries.resend(app, readDeliveryFilter(fields));
    rest.gateway.webhooks.wake();
    return { ...okAnswer(), count: webhooks.length, webhooks };
  });
}
