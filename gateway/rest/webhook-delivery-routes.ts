/**
 * GET  /2/rest/webhooks        — recent webhook deliveries of the app with every attempt (app secret);
 *                                filters transaction_type, transaction_id, id (webhook-id), status; skip/limit.
 * POST /2/rest/webhook/resend  — sends deliveries again now, by transaction_id (+ transaction_type) or id
 *                                (master secret: it makes the merchant's server act on money again).
 * spay additions: BeeCloud had no API for this (only its console).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import { schemaRoute } from '../schema/beecloud-schema.ts';
import { listDeliveries, resendDeliveries } from '../webhooks/webhook-deliveries.ts';
import { pagingFrom } from './list-query.ts';
import { authenticated, restBodyLimit, type RestContext } from './rest-context.ts';
import { deliveryFilterFrom } from './webhook-delivery-request.ts';
import { deliveryListAnswer, deliveryListQuery, resendRequestSchema } from './webhook-delivery-schemas.ts';

const tags = ['webhooks'];

export function registerWebhookDeliveryRoutes(fastify: FastifyInstance, rest: RestContext): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = rest.gateway.store;

  const listRoute = schemaRoute({
    tags,
    summary: 'Recent webhook deliveries, with every attempt',
    description: 'Signed with the app secret. GET: `?para=` URL-encoded JSON, or plain query parameters.',
    querystring: deliveryListQuery,
    answer: deliveryListAnswer,
  });
  server.get('/2/rest/webhooks', listRoute, async (request) => {
    const { app } = await authenticated(rest, request, 'payment');
    const filter = { ...deliveryFilterFrom(request.query), appId: app.appId };
    const webhooks = await listDeliveries(db, filter, pagingFrom(request.query));
    return okAnswer({ count: webhooks.length, webhooks });
  });

  const resendRoute = schemaRoute({
    tags,
    summary: 'Send webhooks again now',
    description:
      'Signed with the master secret. Which deliveries: transaction_id (+ transaction_type) or id.',
    body: resendRequestSchema,
    answer: deliveryListAnswer,
    bodyLimit: restBodyLimit,
  });
  server.post('/2/rest/webhook/resend', resendRoute, async (request) => {
    const { app } = await authenticated(rest, request, 'master');
    const filter = { ...deliveryFilterFrom(request.body), appId: app.appId };
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
    return okAnswer({ count: webhooks.length, webhooks });
  });
}
