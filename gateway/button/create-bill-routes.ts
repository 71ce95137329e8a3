/**
 * POST /2/rest/jsbutton/{CHANNEL}  — the widget's JSON form (CORS; text/plain bodies accepted too, so the widget
 *                                    can skip the preflight). The order is checked by its schema (button-order.ts).
 * GET  /2/rest/jsbutton/{CHANNEL}?para=<json>&callback=fn — the old JSONP form; errors come back through the
 *                                    callback too. BeeCloud's own button script (v4) puts the callback inside
 *                                    para and passes the URL through encodeURI (jsonp.ts reads both); `para` is then
 *                                    checked against the same schema here (the query schema documents the form).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance } from 'fastify';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { toBeeCloudError } from '../http/error-handler.ts';
import { schemaRoute } from '../schema/beecloud-schema.ts';
import { checkWithSchema, validationRefusal } from '../schema/request-validation.ts';
import { requestPageOrigin } from './bill-origin.ts';
import { buttonOrderSchema, type ButtonOrderFields } from './button-order.ts';
import { buttonBillAnswer, buttonTags, channelParams, jsonpQuery } from './button-schemas.ts';
import { createButtonBill } from './create-bill.ts';
import { parseJsonText, readJsonpRequest, sendJsonp } from './jsonp.ts';

export { parseJsonText };

export function registerCreateBillRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const server = app.withTypeProvider<TypeBoxTypeProvider>();
  server.post(
    '/2/rest/jsbutton/:channel',
    schemaRoute({
      tags: buttonTags,
      summary: 'Create a bill from the button (JSON form)',
      description:
        'The widget’s request: the order signed by the merchant’s page. The body may be sent as text/plain (no CORS preflight). Answers the `action` the payer continues with.',
      params: channelParams,
      body: buttonOrderSchema,
      answer: buttonBillAnswer,
      config: { edge: 'button' },
      bodyStatus: 200,
    }),
    async (request) =>
      createButtonBill(ctx, request.params.channel, request.body, {
        payerIp: request.ip,
        pageOrigin: requestPageOrigin(request.headers),
      }),
  );

  server.get(
    '/2/rest/jsbutton/:channel',
    {
      schema: {
        tags: buttonTags,
        summary: 'Create a bill from the button (JSONP form)',
        description:
          'The old pages’ form: `para` is the order (ButtonOrder) as URL-encoded JSON; with `callback` the answer (or the refusal) is `/**/callback({...});` as application/javascript.',
        params: channelParams,
        querystring: jsonpQuery,
        response: schemaRoute({ tags: [], summary: '', answer: buttonBillAnswer }).schema.response,
      },
      attachValidation: true,
      config: { edge: 'button' },
    },
    async (request, reply) => {
      const { callback, para, paraError } = readJsonpRequest(request);
      let answer: unknown;
      let status = 200;
      try {
        // The channel in the path is checked first (CHANNEL_INVALID); the query itself is read by jsonp.ts, as
        // BeeCloud's v4 script sends it (a para with raw `&` and `+`, the callback inside it).
        const invalid = request.validationError as FastifyError | undefined;
        if (invalid !== undefined && invalid.validationContext === 'params') {
          throw validationRefusal(invalid.validation, 'params', 'button');
        }
        if (paraError !== undefined) throw paraError;
        if (para === undefined) throw new BeeCloudError('MISS_PARAM', 'para', 'required');
        const order = checkWithSchema<ButtonOrderFields>(buttonOrderSchema, para);
        answer = await createButtonBill(ctx, request.params.channel, order, {
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
