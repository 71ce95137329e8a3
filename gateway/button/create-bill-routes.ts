/**
 * POST /2/rest/jsbutton/{CHANNEL}  — the widget's JSON form (CORS; text/plain bodies accepted too, so the widget
 *                                    can skip the preflight). The order is checked by its schema (button-order.ts).
 * GET  /2/rest/jsbutton/{CHANNEL}?para=<json>&callback=fn — the old JSONP form; errors come back through the
 *                                    callback too (so this route checks `para` against the same schema itself).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance } from 'fastify';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { toBeeCloudError } from '../http/error-handler.ts';
import { schemaRoute } from '../schema/beecloud-schema.ts';
import { checkWithSchema, validationRefusal } from '../schema/request-validation.ts';
import { scriptSafeJson } from './widget-script.ts';
import { requestPageOrigin } from './bill-origin.ts';
import { buttonOrderSchema, type ButtonOrderFields } from './button-order.ts';
import { buttonBillAnswer, buttonTags, callbackQuery, channelParams, jsonpQuery } from './button-schemas.ts';
import { createButtonBill } from './create-bill.ts';

export function parseJsonText(text: string, field: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BeeCloudError('PARAM_INVALID', field, 'is not valid JSON');
  }
}

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
      const { callback } = checkWithSchema<{ callback?: string }>(
        callbackQuery,
        { callback: (request.query as Record<string, unknown>).callback },
        'querystring',
      );
      let answer: unknown;
      let status = 200;
      try {
        const invalid = request.validationError as FastifyError | undefined;
        if (invalid !== undefined) {
          throw validationRefusal(invalid.validation, invalid.validationContext ?? 'querystring', 'button');
        }
        const order = checkWithSchema<ButtonOrderFields>(
          buttonOrderSchema,
          parseJsonText(request.query.para, 'para'),
        );
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
      return reply
        .header('content-type', 'application/javascript; charset=utf-8')
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(`/**/${callback}(${scriptSafeJson(answer)});`);
    },
  );
}
