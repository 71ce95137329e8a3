/** GET /healthz — the store answers and the outbox backlog, for load balancers and operators. */
import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../gateway-context.ts';

export function registerHealthRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get('/healthz', async (_request, reply) => {
    try {
      const pending = await ctx.store.outbox.pendingCount();
      return { status: 'ok', store: 'ok', pending_webhooks: pending };
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable', store: String(error) });
    }
  });
}
