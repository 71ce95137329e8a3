/**
 * The merchant's webhook API, for the REST module to register with its own authentication (master secret):
 *   GET  {prefix}/webhooks?para={app_id, timestamp, app_sign, transaction_id?, status?, limit?}
 *   POST {prefix}/webhook/resend  {app_id, timestamp, app_sign, webhook_id? | transaction_id?}
 * `authenticate` returns the app the request is signed for (or throws a BeeCloudError) and the request's fields.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { listWebhooks, resendTransactionWebhooks, resendWebhook } from './webhook-admin.ts';

export type AuthenticateWebhookRequest = (
  request: FastifyRequest,
) => Promise<{ appId: string; field(name: string): unknown }>;

const statuses = ['pending', 'delivered', 'failed', 'no_endpoint'] as const;

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 64) {
    throw new BeeCloudError('PARAM_INVALID', field, 'must be a string of at most 64 characters');
  }
  return value;
}

export function registerWebhookRoutes(
  server: FastifyInstance,
  ctx: GatewayContext,
  authenticate: AuthenticateWebhookRequest,
  prefix = '/2/rest',
): void {
  server.get(`${prefix}/webhooks`, async (request) => {
    const { appId, field } = await authenticate(request);
    const status = optionalString(field('status'), 'status');
    if (status !== undefined && !(statuses as readonly string[]).includes(status)) {
      throw new BeeCloudError('PARAM_INVALID', 'status', `must be one of ${statuses.join(', ')}`);
    }
    const limit = field('limit');
    if (
      limit !== undefined &&
      (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 200)
    ) {
      throw new BeeCloudError('PARAM_INVALID', 'limit', 'must be an integer from 1 to 200');
    }
    const webhooks = await listWebhooks(ctx.store.db, {
      appId,
      transactionId: optionalString(field('transaction_id'), 'transaction_id'),
      status: status as (typeof statuses)[number] | undefined,
      limit: limit as number | undefined,
    });
    return { ...okAnswer(), count: webhooks.length, webhooks };
  });

  server.post(`${prefix}/webhook/resend`, async (request) => {
    const { appId, field } = await authenticate(request);
    const webhookId = optionalString(field('webhook_id'), 'webhook_id');
    const transactionId = optionalString(field('transaction_id'), 'transaction_id');
    let count = 0;
    if (webhookId) {
      if (!(await resendWebhook(ctx.store.db, webhookId, { appId }))) {
        throw new BeeCloudError('PARAM_INVALID', 'webhook_id', `no webhook ${webhookId}`);
      }
      count = 1;
    } else if (transactionId) {
      count = await resendTransactionWebhooks(ctx.store.db, appId, transactionId);
      if (count === 0)
        throw new BeeCloudError('PARAM_INVALID', 'transaction_id', `no webhook for ${transactionId}`);
    } else {
      throw new BeeCloudError('MISS_PARAM', 'webhook_id', 'webhook_id or transaction_id is required');
    }
    ctx.webhooks.wake();
    return { ...okAnswer(), count };
  });
}
