/**
 * GET /1/pay/jsbutton/result/{id}  — the default result page (no return_url).
 * POST /1/pay/jsbutton/result/{id} — the same, for channels that send the payer back with a form POST (UnionPay's
 *                                    frontUrl): the posted fields are ignored (never proof of payment) and the
 *                                    browser is sent on to the GET page.
 * GET /1/pay/jsbutton/guide/{id}   — inside WeChat: "open in browser" guide; elsewhere: on to the cashier.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { channelInfo } from '../channels/channels.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { looksLikeBillId } from '../bills/bill-id.ts';
import { sendPage } from '../http/send-page.ts';
import { noticePage } from '../sandbox/sandbox-pages.ts';
import { alipayGuidePage, outcomeOf, resultPage } from './result-page.ts';
import { html, page } from './html.ts';

const weChatBrowser = /MicroMessenger/i;

export function registerPageRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  async function billOr404(id: string, reply: FastifyReply) {
    const bill = looksLikeBillId(id) ? await ctx.core.payments.findBill(id) : undefined;
    if (!bill) sendPage(reply, noticePage('订单不存在', '找不到这笔订单。'), 404);
    return bill;
  }

  app.get<{ Params: { id: string }; Querystring: { outcome?: string } }>(
    '/1/pay/jsbutton/result/:id',
    async (request, reply) => {
      const bill = await billOr404(request.params.id, reply);
      if (!bill) return;
      const outcome = outcomeOf(bill, request.query.outcome);
      const retry =
        bill.status === 'open' && channelInfo(bill.subChannel).action === 'redirect' && bill.mode === 'test'
          ? `/sandbox/cashier/${bill.id}`
          : null;
      return sendPage(reply, resultPage(bill, outcome, retry));
    },
  );

  app.post<{ Params: { id: string } }>('/1/pay/jsbutton/result/:id', async (request, reply) => {
    const bill = await billOr404(request.params.id, reply);
    if (!bill) return;
    return reply.redirect(`/1/pay/jsbutton/result/${bill.id}`, 303);
  });

  app.get<{ Params: { id: string } }>('/1/pay/jsbutton/guide/:id', async (request, reply) => {
    const bill = await billOr404(request.params.id, reply);
    if (!bill) return;
    if (weChatBrowser.test(request.headers['user-agent'] ?? ''))
      return sendPage(reply, alipayGuidePage(bill));
    const start = await ctx.core.payments.continuePayment(bill);
    if (!start) return sendPage(reply, noticePage('无法继续支付', '订单已关闭或渠道不可用。', bill));
    if (start.action !== 'redirect')
      return sendPage(reply, noticePage('无法继续支付', '该订单不是跳转支付。', bill));
    if (start.method === 'GET') {
      const target = new URL(start.url);
      for (const [key, value] of Object.entries(start.param)) target.searchParams.set(key, value);
      return reply.redirect(target.toString(), 302);
    }
    const fields = Object.entries(start.param).map(
      ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
    );
    return sendPage(
      reply,
      page(
        '继续支付',
        html`<h1>继续支付</h1>
          <form method="post" action="${start.url}">
            ${fields}<button class="primary" type="submit">继续支付</button>
          </form>`,
      ),
    );
  });
}
