/**
 * POST /notify/{adapter} — where channels send their payment notifies. The body is kept raw (signatures cover the
 * exact bytes) and handed to the adapter; the answer is what that channel expects.
 */
import type { FastifyInstance } from 'fastify';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { handleChannelNotify } from './channel-notify.ts';

export function registerNotifyRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.register(async (scope) => {
    // Channels post JSON, XML or forms: take every body as raw text.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    scope.post<{ Params: { adapter: string } }>('/notify/:adapter', async (request, reply) => {
      const adapter = ctx.adapters.get(request.params.adapter);
      if (!adapter)
        throw new BeeCloudError('CHANNEL_INVALID', 'adapter', `no channel ${request.params.adapter}`, 404);
      const body = typeof request.body === 'string' ? request.body : '';
      const result = await handleChannelNotify(adapter, ctx.bills, { body, headers: request.headers });
      request.log.info(
        { billId: 'bill' in result ? result.bill.id : result.billId, result: result.result },
        'channel notify',
      );
      const answer = adapter.notifyAnswer(true);
      return reply.header('content-type', answer.contentType).send(answer.body);
    });
  });
}
