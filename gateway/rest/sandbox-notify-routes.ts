/**
 * GET /2/rest/sandbox/notify/{appId}/{billId} — the sandbox pays a test bill (test secret), exactly as the
 * sandbox cashier's "支付" button does: a signed sandbox notify through the channel notify path, so the bill,
 * its siblings, the PAY webhook and the SSE stream all change as for a real payment. Paying an attempt that was
 * closed or expired simulates a late payment, which the refunds side refunds automatically.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import { sandboxPay } from '../sandbox/sandbox-payment.ts';
import { OkAnswer, schemaRoute, SignedRequest, Type } from '../schema/beecloud-schema.ts';
import { BillRecordSchema } from './common-schemas.ts';
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

export function registerSandboxNotifyRoutes(fastify: FastifyInstance, rest: RestContext): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();
  server.get(
    '/2/rest/sandbox/notify/:appId/:billId',
    schemaRoute({
      tags: ['sandbox'],
      summary: 'Pay a test bill in the sandbox',
      description:
        'Signed with the test secret: a signed sandbox notify through the channel notify path, as the sandbox cashier’s 支付 button.',
      params: sandboxPayParams,
      querystring: SignedRequest({}),
      answer: sandboxPayAnswer,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'sandbox');
      if (request.params.appId !== app.appId) {
        throw new BeeCloudError('APP_INVALID', 'app_id', 'does not match the app in the path');
      }
      const bill = await rest.gateway.core.payments.findBill(request.params.billId);
      if (bill === undefined || bill.appId !== app.appId || bill.mode !== 'test') {
        throw new BeeCloudError(
          'NO_SUCH_BILL',
          'billId',
          `no test bill ${request.params.billId.slice(0, 64)}`,
        );
      }
      // A closed or expired attempt is paid too: that is the race a real channel can lose (the payer paid just as
      // another attempt won), and the gateway records it as a late payment and refunds it.
      const result = await sandboxPay(rest.gateway, bill);
      if (
        result.outcome !== 'paid' &&
        result.outcome !== 'already_paid' &&
        result.outcome !== 'late_payment'
      ) {
        throw new BeeCloudError(
          'CHANNEL_ERROR',
          'billId',
          `the sandbox payment was not booked (${result.outcome})`,
        );
      }
      const [pay] = await billRecords(rest, [result.bill], false);
      return { ...okAnswer(), id: result.bill.id, outcome: result.outcome, pay };
    },
  );
}
