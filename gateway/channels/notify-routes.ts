/**
 * Where channels post their notifies. The body is kept raw (signatures cover the exact bytes) and handed to the
 * core's one notify path (core/notices.ts); the answer is the adapter's own (`notifyAnswer`).
 *   POST /notify/{family}/{appId}  live channels: family `ali`, `wx` or `un`; the app's settings verify it
 *   POST /notify/sandbox           the sandbox channel (test mode)
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { NotifyAnswer } from './channel.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { GatewayContext } from '../gateway-context.ts';

function sendAnswer(reply: FastifyReply, answer: NotifyAnswer) {
  return reply.code(answer.status).header('content-type', answer.contentType).send(answer.body);
}

export function registerNotifyRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const { core } = ctx;
  app.register(async (scope) => {
    // Channels post JSON, XML or forms: take every body as raw text.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    scope.post('/notify/sandbox', async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const handled = await core.notices.receive(
        core.registry.sandbox,
        { body, headers: request.headers },
        { mode: 'test' },
      );
      return sendAnswer(reply, handled.answer);
    });

    scope.post<{ Params: { family: string; appId: string } }>(
      '/notify/:family/:appId',
      async (request, reply) => {
        const { family: segment, appId } = request.params;
        const family = core.registry.familyForRoute(segment);
        if (!family || segment !== segment.toLowerCase()) {
          throw new BeeCloudError(
            'CHANNEL_INVALID',
            'family',
            `no channel family ${segment.slice(0, 16)}`,
            404,
          );
        }
        const merchant = await ctx.store.apps.findApp(appId);
        const adapter = merchant ? core.registry.liveAdapter(merchant, family.family) : undefined;
        if (!merchant || !adapter) {
          throw new BeeCloudError(
            'APP_INVALID',
            'appId',
            `no live ${family.family} app ${appId.slice(0, 64)}`,
            404,
          );
        }
        const body = typeof request.body === 'string' ? request.body : '';
        const handled = await core.notices.receive(
          adapter,
          { body, headers: request.headers },
          { mode: 'live', appId: merchant.appId },
        );
        return sendAnswer(reply, handled.answer);
      },
    );
  });
}
