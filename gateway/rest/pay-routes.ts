/**
 * POST /2/rest/bill — pay: creates a bill (a payment attempt of the order bill_no) on a channel through the
 * core's `startPayment` (the same one the button uses) and answers what the payer needs by channel.
 * POST /2/rest/sandbox/bill — the same in the sandbox (test secret; the bill is a test bill whatever the app's mode),
 *                              with `url` for every channel but WX_JSAPI (what BeeCloud's Java SDK reads there).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { App, AppMode } from '../apps/app.ts';
import { okAnswer } from '../errors/result-codes.ts';
import { schemaRoute } from '../schema/beecloud-schema.ts';
import { payChannelFields, sandboxUrl } from './pay-answer.ts';
import { payRequestFrom, type PayRequest } from './pay-request.ts';
import { payAnswerSchema, payRequestSchema } from './pay-schemas.ts';
import { authenticated, restBodyLimit, type RestContext } from './rest-context.ts';

async function pay(
  rest: RestContext,
  app: App,
  mode: AppMode,
  payRequest: PayRequest,
  payerIp: string,
  sandboxAnswer = false,
) {
  const { bill, start } = await rest.gateway.core.payments.startPayment({
    app,
    mode,
    channel: payRequest.channel,
    billNo: payRequest.billNo,
    title: payRequest.title,
    totalFee: payRequest.totalFee,
    returnUrl: payRequest.returnUrl ?? null,
    notifyUrl: payRequest.notifyUrl ?? null,
    optional: payRequest.optional ?? null,
    openid: payRequest.openid ?? null,
    billTimeoutSeconds: payRequest.billTimeoutSeconds ?? null,
    extras: { buyerId: payRequest.buyerId, couponId: payRequest.couponId, analysis: payRequest.analysis },
    payerIp,
  });
  const fields = payChannelFields(payRequest.channel, start);
  if (sandboxAnswer) {
    const url = sandboxUrl(payRequest.channel, bill.id, start);
    if (url !== undefined) fields.url = url;
  }
  return okAnswer({ id: bill.id, ...fields });
}

export function registerPayRoutes(fastify: FastifyInstance, rest: RestContext): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const payRoute = (summary: string, description: string) =>
    schemaRoute({
      tags: ['payments'],
      summary,
      description,
      body: payRequestSchema,
      answer: payAnswerSchema,
      bodyLimit: restBodyLimit,
    });

  server.post(
    '/2/rest/bill',
    payRoute('Pay: create a bill', 'Signed with the app secret (a test-mode app: the test secret too).'),
    async (request) => {
      const { app } = await authenticated(rest, request, 'payment');
      return pay(rest, app, app.mode, payRequestFrom(request.body), request.ip);
    },
  );

  server.post(
    '/2/rest/sandbox/bill',
    payRoute(
      'Pay in the sandbox',
      'Signed with the test secret; the bill is a test bill whatever the app’s mode.',
    ),
    async (request) => {
      const { app } = await authenticated(rest, request, 'sandbox');
      return pay(rest, app, 'test', payRequestFrom(request.body), request.ip, true);
    },
  );
}
