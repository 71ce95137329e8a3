/**
 * POST /2/rest/jsbutton/{CHANNEL}  — the widget's JSON form (CORS; text/plain bodies accepted too, so the widget
 *                                    can skip the preflight).
 * GET  /2/rest/jsbutton/{CHANNEL}?para=<json>&callback=fn — the old JSONP form; errors come back through the
 *                                    callback too.
 */
import type { FastifyInstance } from 'fastify';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { toBeeCloudError } from '../http/error-handler.ts';
import { scriptSafeJson } from './widget-script.ts';
import { requestPageOrigin } from './bill-origin.ts';
import { createButtonBill } from './create-bill.ts';

/** A JavaScript identifier path such as `cb`, `jQuery1234_5678` or `window.handlers.pay`. */
const jsonpCallback = /^[A-Za-z_$][\w$]{0,63}(\.[A-Za-z_$][\w$]{0,63}){0,4}$/;

export function parseJsonText(text: string, field: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BeeCloudError('PARAM_INVALID', field, 'is not valid JSON');
  }
}

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
      const { callback, para } = request.query;
      if (callback !== undefined && (typeof callback !== 'string' || !jsonpCallback.test(callback))) {
        throw new BeeCloudError('PARAM_INVALID', 'callback', 'must be a JavaScript identifier');
      }
      let answer: unknown;
      let status = 200;
      try {
        if (para === undefined || para === '') throw new BeeCloudError('MISS_PARAM', 'para', 'required');
        if (typeof para !== 'string')
          throw new BeeCloudError('PARAM_INVALID', 'para', 'must be one JSON string');
        answer = await createButtonBill(ctx, request.params.channel, parseJsonText(para, 'para'), {
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
      return reply
        .header('content-type', 'application/javascript; charset=utf-8')
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(`/**/${callback}(${scriptSafeJson(answer)});`);
    },
  );
}
