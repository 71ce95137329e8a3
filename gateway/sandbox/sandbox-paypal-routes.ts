/**
 * The sandbox's PayPal (test mode), behind PAYPAL_PAYPAL's `url`:
 *   GET  /sandbox/paypal/approve/{id}           the approval page (amount in the bill's currency)
 *   POST /sandbox/paypal/approve/{id}/approve   the payer approves: the sandbox's notify books the payment (PAY
 *                                               webhook) and the browser goes to return_url
 *   POST /sandbox/paypal/approve/{id}/cancel    the payer cancels: the bill is closed
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Bill } from '../bills/bill.ts';
import { looksLikeBillId } from '../bills/bill-id.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { sendPage } from '../http/send-page.ts';
import { formatMinorUnits } from '../rest/international-request.ts';
import { afterPaymentUrl, sandboxPay } from './sandbox-payment.ts';
import { noticePage, paypalApprovalPage } from './sandbox-pages.ts';

type Params = { Params: { id: string } };

export function registerSandboxPaypalRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  async function paypalBill(id: string, reply: FastifyReply): Promise<Bill | undefined> {
    const bill = looksLikeBillId(id) ? await ctx.core.payments.findBill(id) : undefined;
    if (!bill || bill.mode !== 'test' || bill.subChannel !== 'PAYPAL_PAYPAL') {
      sendPage(reply, noticePage('Not found', 'No such sandbox PayPal payment.'), 404);
      return undefined;
    }
    return bill;
  }
  const currencyOf = async (bill: Bill) => (await ctx.store.international.currencyOf(bill.id)) ?? 'USD';

  app.get<Params>('/sandbox/paypal/approve/:id', async (request, reply) => {
    const bill = await paypalBill(request.params.id, reply);
    if (bill)
      return sendPage(
        reply,
        paypalApprovalPage(bill, formatMinorUnits(bill.totalFee, await currencyOf(bill))),
      );
  });

  app.post<Params>('/sandbox/paypal/approve/:id/approve', async (request, reply) => {
    const bill = await paypalBill(request.params.id, reply);
    if (!bill) return;
    const result = await sandboxPay(ctx, bill, await currencyOf(bill));
    if (result.outcome !== 'paid' && result.outcome !== 'already_paid') {
      return reply.redirect(`/1/pay/jsbutton/result/${bill.id}`, 303);
    }
    return reply.redirect(afterPaymentUrl(ctx, result.bill), 303);
  });

  app.post<Params>('/sandbox/paypal/approve/:id/cancel', async (request, reply) => {
    const bill = await paypalBill(request.params.id, reply);
    if (!bill) return;
    await ctx.core.payments.closeAttempt(bill.id, 'closed');
    return reply.redirect(`/1/pay/jsbutton/result/${bill.id}?outcome=cancelled`, 303);
  });
}
