/**
 * GET /1/pay/jsbutton/result/{id}  — where a live channel's cashier sends the payer back (ChannelUrls.returnUrl):
 *                                    a live bill still open is first checked with the channel (queryPayment, never
 *                                    the browser's parameters), then the payer goes on to the merchant's return_url
 *                                    with BeeCloud's parameters; without a return_url, the default result page.
 * POST /1/pay/jsbutton/result/{id} — the same, for channels that send the payer back with a form POST (UnionPay's
 *                                    frontUrl): the posted fields are ignored (never proof of payment) and the
 *                                    browser is sent on to the GET page.
 * GET /1/pay/jsbutton/guide/{id}   — inside WeChat: "open in browser" guide; elsewhere: on to the cashier.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { returnUrlParams, type Bill } from '../bills/bill.ts';
import { attemptOf } from '../core/core-deps.ts';
import { channelInfo } from '../channels/channels.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { looksLikeBillId } from '../bills/bill-id.ts';
import { headerSafeUrl } from '../bills/visible-text.ts';
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

  /** The payer is back before the channel's notify: ask the channel once (best effort) so return_url says paid. */
  async function settleOnReturn(bill: Bill): Promise<Bill> {
    if (bill.status !== 'open') return bill;
    try {
      const app = await ctx.store.apps.findApp(bill.appId);
      if (!app) return bill;
      const answer = await ctx.core.registry
        .adapterFor(app, bill.mode, bill.subChannel)
        .queryPayment(attemptOf(bill));
      if (answer.status === 'paid') await ctx.core.payments.bookChannelPayment(bill.id, answer);
    } catch (error) {
      // The notify or reconciliation will settle it; the merchant's page then shows what the bill says now.
      app.log.warn({ billId: bill.id, err: String(error) }, 'channel query on return failed');
    }
    return (await ctx.core.payments.findBill(bill.id)) ?? bill;
  }

  app.get<{ Params: { id: string }; Querystring: { outcome?: string } }>(
    '/1/pay/jsbutton/result/:id',
    async (request, reply) => {
      let bill = await billOr404(request.params.id, reply);
      if (!bill) return;
      if (bill.mode === 'live') {
        bill = await settleOnReturn(bill);
        // A stored return_url that cannot be a Location header falls back to the result page: never a 500 here.
        const returnUrl = bill.returnUrl ? headerSafeUrl(bill.returnUrl) : undefined;
        if (returnUrl) return reply.redirect(`${returnUrl}?${returnUrlParams(bill).toString()}`, 303);
      }
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
