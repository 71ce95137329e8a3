/**
 * POST /2/rest/bill — pay: creates a bill (a payment attempt of the order bill_no) on a channel, through the same
 * bill service and channel adapters as the button, and answers what the payer needs by channel.
 * POST /2/rest/sandbox/bill — the same in the sandbox (test secret; the bill is a test bill whatever the app's mode).
 */
import type { FastifyInstance } from 'fastify';
import type { App, AppMode } from '../apps/app.ts';
import type { Bill } from '../bills/bill.ts';
import { isChannelEnabled } from '../channels/channels.ts';
import type { PaymentStart } from '../channels/channel-adapter.ts';
import { BeeCloudError, okAnswer, resultName } from '../errors/result-codes.ts';
import { saveBillExtras } from './bill-extras.ts';
import { payChannelFields } from './pay-answer.ts';
import { readPayRequest, type PayRequest } from './pay-request.ts';
import { authenticated, restRouteOptions, type RestContext } from './rest-context.ts';

/** The bill service speaks the button's field names; the REST API answers with its own. */
const REST_FIELD_NAMES: Record<string, string> = {
  amount: 'total_fee',
  out_trade_no: 'bill_no',
  appId: 'app_id',
};

function inRestTerms(error: unknown): unknown {
  if (!(error instanceof BeeCloudError)) return error;
  const field = REST_FIELD_NAMES[error.field];
  if (field === undefined) return error;
  const message = error.detail.slice(error.field.length + 2);
  return new BeeCloudError(resultName(error.code), field, message, error.httpStatus);
}

async function createBill(rest: RestContext, app: App, mode: AppMode, pay: PayRequest): Promise<Bill> {
  try {
    return await rest.gateway.bills.createAttempt({
      app: mode === app.mode ? app : { ...app, mode },
      channel: pay.channel,
      billNo: pay.billNo,
      title: pay.title,
      totalFee: pay.totalFee,
      returnUrl: pay.returnUrl ?? null,
      notifyUrl: pay.notifyUrl ?? null,
      optional: pay.optional ?? null,
      openid: pay.openid ?? null,
      billTimeoutSeconds: pay.billTimeoutSeconds ?? null,
    });
  } catch (error) {
    throw inRestTerms(error);
  }
}

async function pay(rest: RestContext, app: App, mode: AppMode, payRequest: PayRequest) {
  const { gateway } = rest;
  if (!isChannelEnabled(payRequest.channel, app.channels)) {
    throw new BeeCloudError(
      'CHANNEL_INVALID',
      'channel',
      `${payRequest.channel} is not enabled for this app`,
    );
  }
  const adapter = gateway.adapterFor(app, mode);
  if (!adapter) {
    throw new BeeCloudError(
      'PAY_FACTOR_NOT_SET',
      'channel',
      `${payRequest.channel} has no ${mode} credentials on this gateway`,
    );
  }
  const bill = await createBill(rest, app, mode, payRequest);
  await saveBillExtras(gateway.store.db, bill.id, payRequest);
  let start: PaymentStart;
  try {
    start = await adapter.createPayment(bill, { gatewayUrl: gateway.publicUrl() });
  } catch (error) {
    await gateway.bills.closeAttempt(bill.id, 'closed');
    gateway.log.error({ err: error, billId: bill.id }, 'channel refused the payment');
    throw new BeeCloudError('CHANNEL_ERROR', 'channel', `${payRequest.channel} did not accept the payment`);
  }
  return { ...okAnswer(), id: bill.id, ...payChannelFields(payRequest.channel, start) };
}

export function registerPayRoutes(server: FastifyInstance, rest: RestContext): void {
  server.post('/2/rest/bill', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'payment');
    return pay(rest, app, app.mode, readPayRequest(fields));
  });

  server.post('/2/rest/sandbox/bill', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'sandbox');
    return pay(rest, app, 'test', readPayRequest(fields));
  });
}
