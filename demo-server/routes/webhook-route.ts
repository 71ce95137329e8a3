/**
 * `POST /webhook`: the gateway's webhooks. The raw body is kept as received (the Standard Webhooks signature
 * covers its exact bytes); `receiveWebhook` decides, this route only answers and logs.
 */
import type { FastifyInstance } from 'fastify';
import type { DemoContext } from '../demo-context.ts';
import { receiveWebhook } from '../webhook/receive-webhook.ts';

export function registerWebhookRoute(server: FastifyInstance, context: DemoContext): void {
  server.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_request, body, done) => {
      done(null, body);
    });
    scope.post('/webhook', async (request, reply) => {
      const rawBody = typeof request.body === 'string' ? request.body : '';
      const decision = receiveWebhook(rawBody, request.headers, { app: context.app, orders: context.orders });
      request.log.info({ outcome: decision.outcome, reason: decision.reason }, 'webhook');
      return reply.code(decision.httpStatus).type('text/plain; charset=utf-8').send(decision.answer);
    });
  });
}
