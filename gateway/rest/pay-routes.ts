/**
 * POST /2/rest/bill — pay: creates a bill (a payment attempt of the order bill_no) on a channel through the
 * core's `startPayment` (the same one the button uses) and answers what the payer needs by channel.
 * POST /2/rest/sandbox/bill — the same in the sandbox (test secret; the bill is a test bill whatever the app's mode),
 *                              with `url` for every channel but WX_JSAPI (what BeeCloud's Java SDK reads there).
 */
import type { FastifyInstance } from 'fastify';
import type { App, AppMode } from '../apps/app.ts';
import { okAnswer } from '../errors/result-codes.ts';
import { payChannelFields, sandboxUrl } from './pay-answer.ts';
import { readPayRequest, type PayRequest } from './pay-request.ts';
import { authenticated, restRouteOptions, type RestContext } from './rest-context.ts';

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
  return { ...okAnswer(), id: bill.id, ...fields };
}

export function registerPayRoutes(server: FastifyInstance, rest: RestContext): void {
  server.post('/2/rest/bill', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'payment');
    return pay(rest, app, app.mode, readPayRequest(fields), request.ip);
  });

  server.post('/2/rest/sandbox/bill', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'sandbox');
    return pay(rest, app, 'test', readPayRequest(fields), request.ip, true);
  });
}
