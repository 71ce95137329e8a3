/**
 * The sandbox channel's pages and endpoints (test mode):
 *   GET  /sandbox/cashier/{id}               cashier for ALI_WEB, ALI_WAP, UN_WEB, UN_WAP, WX_WAP
 *   POST /sandbox/cashier/{id}/pay|fail|cancel
 *   GET  /sandbox/wx/scan/{id}               the phone page behind a WX_NATIVE code_url
 *   POST /sandbox/wx/scan/{id}/pay|cancel
 *   GET  /sandbox/ali/scan/{id}              the same for an ALI_QRCODE code_url (POST …/pay|cancel)
 *   POST /sandbox/wx/jsapi/{id}/complete     completes a WX_JSAPI payment as WeChat's notify would
 *   GET  /sandbox/wx/oauth?appid=&redirect_uri=&state=  sandbox WeChat OAuth: redirects back with openid and code
 *                                            (only to an origin the app registered)
 *   GET  /sandbox/pages.css
 *   GET  /sandbox/paypal/approve/{id}, POST …/approve|cancel   PAYPAL_PAYPAL approval (sandbox-paypal-routes.ts)
 *   GET  /sandbox/transfer/{token}, POST …/confirm|cancel   Alipay transfer confirmation (sandbox-transfer-routes.ts)
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Bill } from '../bills/bill.ts';
import { channelInfo } from '../channels/channels.ts';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { looksLikeBillId } from '../bills/bill-id.ts';
import { sendPage } from '../http/send-page.ts';
import { pagesCss } from '../pages/html.ts';
import { checkOAuthTarget, parseReturnUrlWithQuery } from './oauth-redirect.ts';
import { afterPaymentUrl, sandboxFail, sandboxPay } from './sandbox-payment.ts';
import { cashierPage, noticePage, wxScanPage } from './sandbox-pages.ts';
import { registerSandboxPaypalRoutes } from './sandbox-paypal-routes.ts';
import { registerSandboxTransferRoutes } from './sandbox-transfer-routes.ts';

type Params = { Params: { id: string } };

export function registerSandboxRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  registerSandboxTransferRoutes(app, ctx);
  registerSandboxPaypalRoutes(app, ctx);
  /** The bill behind a sandbox page, or an HTML 404 already sent. */
  async function sandboxBill(id: string, reply: FastifyReply, kinds: string[]): Promise<Bill | undefined> {
    const bill = looksLikeBillId(id) ? await ctx.core.payments.findBill(id) : undefined;
    if (!bill || bill.mode !== 'test' || !kinds.includes(channelInfo(bill.subChannel).action)) {
      sendPage(reply, noticePage('订单不存在', '找不到这笔沙箱订单。'), 404);
      return undefined;
    }
    return bill;
  }

  app.get('/sandbox/pages.css', async (_request, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(pagesCss),
  );

  app.get<Params>('/sandbox/cashier/:id', async (request, reply) => {
    const bill = await sandboxBill(request.params.id, reply, ['redirect']);
    if (bill) return sendPage(reply, cashierPage(bill));
  });

  app.post<Params>('/sandbox/cashier/:id/pay', async (request, reply) => {
    const bill = await sandboxBill(request.params.id, reply, ['redirect']);
    if (!bill) return;
    const result = await sandboxPay(ctx, bill);
    if (result.outcome === 'late_payment') return reply.redirect(`/1/pay/jsbutton/result/${bill.id}`, 303);
    if (result.outcome !== 'paid' && result.outcome !== 'already_paid') {
      // The notify was lost (or refused): the result page shows the bill as it is; reconciliation settles it.
      return reply.redirect(`/1/pay/jsbutton/result/${bill.id}`, 303);
    }
    return reply.redirect(afterPaymentUrl(ctx, result.bill), 303);
  });

  app.post<Params>('/sandbox/cashier/:id/fail', async (request, reply) => {
    const bill = await sandboxBill(request.params.id, reply, ['redirect']);
    if (!bill) return;
    await sandboxFail(ctx, bill, 'payer chose 支付失败 on the sandbox cashier');
    return reply.redirect(`/1/pay/jsbutton/result/${bill.id}?outcome=failed`, 303);
  });

  app.post<Params>('/sandbox/cashier/:id/cancel', async (request, reply) => {
    const bill = await sandboxBill(request.params.id, reply, ['redirect']);
    if (!bill) return;
    await ctx.core.payments.closeAttempt(bill.id, 'closed');
    return reply.redirect(`/1/pay/jsbutton/result/${bill.id}?outcome=cancelled`, 303);
  });

  for (const family of ['wx', 'ali'] as const) {
    app.get<Params>(`/sandbox/${family}/scan/:id`, async (request, reply) => {
      const bill = await sandboxBill(request.params.id, reply, ['qr']);
      if (bill) return sendPage(reply, wxScanPage(bill));
    });

    app.post<Params>(`/sandbox/${family}/scan/:id/pay`, async (request, reply) => {
      const bill = await sandboxBill(request.params.id, reply, ['qr']);
      if (!bill) return;
      const result = await sandboxPay(ctx, bill);
      if (result.outcome === 'paid' || result.outcome === 'already_paid') {
        return sendPage(reply, noticePage('支付成功', '请返回电脑查看订单。', result.bill));
      }
      const latest = (await ctx.core.payments.findBill(bill.id)) ?? bill;
      if (result.outcome === 'notify_dropped' && latest.status === 'open') {
        return sendPage(reply, noticePage('支付成功', '请返回电脑查看订单。', latest));
      }
      return sendPage(reply, noticePage('订单已关闭', '订单已关闭或已过期，款项将原路退回。', latest));
    });

    app.post<Params>(`/sandbox/${family}/scan/:id/cancel`, async (request, reply) => {
      const bill = await sandboxBill(request.params.id, reply, ['qr']);
      if (!bill) return;
      return sendPage(reply, noticePage('已取消', '您已取消支付，可以重新扫码。', bill));
    });
  }

  app.post<Params & { Body: unknown }>('/sandbox/wx/jsapi/:id/complete', async (request) => {
    const { id } = request.params;
    const bill = looksLikeBillId(id) ? await ctx.core.payments.findBill(id) : undefined;
    if (!bill || bill.mode !== 'test')
      throw new BeeCloudError('NO_SUCH_BILL', 'id', `no sandbox bill ${id}`, 404);
    if (bill.subChannel !== 'WX_JSAPI')
      throw new BeeCloudError('CHANNEL_INVALID', 'id', 'is not a WX_JSAPI bill');
    const body = request.body;
    const requested =
      typeof body === 'object' && body !== null && 'result' in body
        ? (body as { result: unknown }).result
        : 'ok';
    if (requested !== 'ok' && requested !== 'fail' && requested !== 'cancel') {
      throw new BeeCloudError('PARAM_INVALID', 'result', 'must be "ok", "fail" or "cancel"');
    }
    if (requested === 'cancel') return okAnswer({ err_msg: 'get_brand_wcpay_request:cancel' });
    if (requested === 'fail') {
      await sandboxFail(ctx, bill, 'payer failed the JSAPI payment');
      return okAnswer({ err_msg: 'get_brand_wcpay_request:fail' });
    }
    const result = await sandboxPay(ctx, bill);
    const paid =
      result.outcome === 'paid' || result.outcome === 'already_paid' || result.outcome === 'notify_dropped';
    return okAnswer({ err_msg: paid ? 'get_brand_wcpay_request:ok' : 'get_brand_wcpay_request:fail' });
  });

  app.get<{ Querystring: Record<string, unknown> }>('/sandbox/wx/oauth', async (request, reply) => {
    const target = parseReturnUrlWithQuery(request.query.redirect_uri, 'redirect_uri');
    await checkOAuthTarget(request.query.appid, target, (appId) => ctx.store.apps.findApp(appId));
    const state = request.query.state;
    if (state !== undefined && (typeof state !== 'string' || state.length > 128)) {
      throw new BeeCloudError('PARAM_INVALID', 'state', 'must be a string of at most 128 characters');
    }
    // One stable sandbox payer per merchant site, like WeChat's openid per official account.
    const openid = `o${createHash('sha256').update(target.origin).digest('base64url').slice(0, 27)}`;
    target.searchParams.set('openid', openid);
    target.searchParams.set('code', randomBytes(16).toString('hex'));
    if (typeof state === 'string') target.searchParams.set('state', state);
    return reply.redirect(target.toString(), 302);
  });
}
