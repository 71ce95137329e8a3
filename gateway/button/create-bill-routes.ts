/**
 * POST /2/rest/jsbutton/{CHANNEL}  — the widget's JSON form (CORS; text/plain bodies accepted too, so the widget
 *                                    can skip the preflight).
 * GET  /2/rest/jsbutton/{CHANNEL}?para=<json>&callback=fn — the old JSONP form; errors come back through the
 *                                    callback too. BeeCloud's own button script (v4) puts the callback inside
 *                                    para and passes the URL through encodeURI (jsonp.ts reads both).
 */
import type { FastifyInstance } from 'fastify';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { toBeeCloudError } from '../http/error-handler.ts';
import { requestPageOrigin } from './bill-origin.ts';
import { createButtonBill } from './create-bill.ts';
import { parseJsonText, readJsonpRequest, sendJsonp } from './jsonp.ts';

export { parseJsonText };

export function registerCreateBillRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.post<{ Params: { channel: string } }>(
    '/2/rest/jsbutton/:channel',
    { config: { edge: 'button' } },
    async (request) => {
      const body = typeof request.body === 'string' ? parseJsonText(request.body, 'body') : request.body;
      return createButtonBill(ctx, request.params.channel, body, {
        payerIp: request.ip,
        pageOrigin: requestPageOrigin(request.headers),
      });
    },
  );

  app.get<{ Params: { channel: string }; Querystring: Record<string, unknown> }>(
    '/2/rest/jsbutton/:channel',
    { config: { edge: 'button' } },
    async (request, reply) => {
      const { callback, para, paraError } = readJsonpRequest(request);
      let answer: unknown;
      let status = 200;
      try {
        if (paraError !== undefined) throw paraError;
        if (para === undefined) throw new BeeCloudError('MISS_PARAM', 'para', 'required');
        answer = await createButtonBill(ctx, request.params.channel, para, {
          payerIp: request.ip,
          pageOrigin: requestPageOrigin(request.headers),
        });
      } catch (error) {
        const known = toBeeCloudError(error as Error, 'button');
        if (!known) throw error;
        answer = known.toAnswer();
        status = callback === undefined ? known.httpStatus : 200;
      }
      if (callback === undefined) return reply.code(status).send(answer);
      return sendJsonp(reply, callback, answer);
    },
  );
}
