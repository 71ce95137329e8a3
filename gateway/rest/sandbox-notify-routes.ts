/**
 * GET /2/rest/sandbox/notify/{appId}/{billId} — the sandbox pays a test bill, exactly as the sandbox cashier's
 * "支付" button does: a signed sandbox notify through the channel notify path, so the bill, its siblings, the PAY
 * webhook and the SSE stream all change as for a real payment. Paying an attempt that was closed or expired
 * simulates a late payment, which the refunds side refunds automatically.
 *
 * Two forms, as BeeCloud accepted them:
 * - signed: `?para={app_id, timestamp, app_sign}` with the test secret (or the v2 request signature);
 * - unsigned: no `para` (or `para=` / `para={}`), as BeeCloud's Android, iOS and Java SDKs call it in test mode.
 *   The app is the one in the path. Only a test-mode bill of that app is ever paid this way (a live bill is
 *   "no such bill" to both forms), and an app that requires the v2 request signature refuses the unsigned form.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../apps/app.ts';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import { sandboxPay } from '../sandbox/sandbox-payment.ts';
import { OkAnswer, schemaRoute, SignedRequest, Type } from '../schema/beecloud-schema.ts';
import { BillRecordSchema } from './common-schemas.ts';
import { hasRequestSignature } from './request-signature.ts';
import { authenticated, billRecords, type RestContext } from './rest-context.ts';

const sandboxPayParams = Type.Object({
  appId: Type.String({ maxLength: 64 }),
  billId: Type.String({ maxLength: 128 }),
});
const sandboxPayAnswer = OkAnswer({
  id: Type.String(),
  outcome: Type.Enum(['paid', 'already_paid', 'late_payment']),
  pay: BillRecordSchema,
});

/** True when the request carries no credentials at all: no v2 headers and an empty (or absent) `para`. */
export function isUnsignedSandboxNotify(request: Pick<FastifyRequest, 'query' | 'headers'>): boolean {
  if (hasRequestSignature(request as FastifyRequest)) return false;
  const query = (request.query ?? {}) as Record<string, unknown>;
  const names = Object.keys(query);
  if (names.length === 0) return true;
  if (names.length !== 1 || names[0] !== 'para') return false;
  const para = query.para;
  return para === '' || (typeof para === 'string' && /^\s*\{\s*\}\s*$/.test(para));
}

/** The unsigned requests, told apart before the query is decoded (`para=` is not JSON). */
const unsignedRequests = new WeakSet<FastifyRequest>();

async function notifyingApp(rest: RestContext, request: FastifyRequest, appId: string): Promise<App> {
  if (!unsignedRequests.has(request)) {
    const { app } = await authenticated(rest, request, 'sandbox');
    if (appId !== app.appId) {
      throw new BeeCloudError('APP_INVALID', 'app_id', 'does not match the app in the path');
    }
    return app;
  }
  const app = await rest.gateway.store.apps.findApp(appId);
  if (app === undefined) {
    throw new BeeCloudError('APP_INVALID', 'appId', `no app ${appId.slice(0, 64)}`);
  }
  if (app.requestSign === 'v2_required') {
    throw new BeeCloudError(
      'APP_INVALID',
      'X-Spay-Signature',
      'this app requires the v2 request signature; the unsigned sandbox notify is refused',
    );
  }
  return app;
}

export function registerSandboxNotifyRoutes(fastify: FastifyInstance, rest: RestContext): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const route = schemaRoute({
    tags: ['sandbox'],
    summary: 'Pay a test bill in the sandbox',
    description:
      'A sandbox notify through the channel notify path, as the sandbox cashier’s 支付 button. Signed with the test secret (`?para={app_id, timestamp, app_sign}` or the v2 headers), or unsigned (no `para`, `para=` or `para={}`) as BeeCloud’s Android, iOS and Java SDKs call it in test mode: the app is then the one in the path, and an app that requires the v2 signature refuses it.',
    params: sandboxPayParams,
    querystring: Type.Partial(SignedRequest({})),
    answer: sandboxPayAnswer,
  });
  const decodeQuery = route.preValidation;
  const options = {
    ...route,
    preValidation: async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      if (isUnsignedSandboxNotify(request)) {
        unsignedRequests.add(request);
        request.query = {};
        return;
      }
      await decodeQuery(request, reply);
      // A signed request names its app (the schema leaves app_id optional only for the unsigned form).
      const signed = request.query as Record<string, unknown>;
      if (signed.app_id === undefined && !hasRequestSignature(request)) {
        throw new BeeCloudError(
          'MISS_PARAM',
          'app_id',
          'is required (or send no parameters: the unsigned form)',
        );
      }
    },
  };
  server.get('/2/rest/sandbox/notify/:appId/:billId', options, async (request) => {
    const app = await notifyingApp(rest, request, request.params.appId);
    const bill = await rest.gateway.core.payments.findBill(request.params.billId);
    if (bill === undefined || bill.appId !== app.appId || bill.mode !== 'test') {
      throw new BeeCloudError('NO_SUCH_BILL', 'billId', `no test bill ${request.params.billId.slice(0, 64)}`);
    }
    // A closed or expired attempt is paid too: that is the race a real channel can lose (the payer paid just as
    // another attempt won), and the gateway records it as a late payment and refunds it.
    const result = await sandboxPay(rest.gateway, bill);
    if (result.outcome !== 'paid' && result.outcome !== 'already_paid' && result.outcome !== 'late_payment') {
      throw new BeeCloudError(
        'CHANNEL_ERROR',
        'billId',
        `the sandbox payment was not booked (${result.outcome})`,
      );
    }
    const [pay] = await billRecords(rest, [result.bill], false);
    return okAnswer({ id: result.bill.id, outcome: result.outcome, pay });
  });
}
