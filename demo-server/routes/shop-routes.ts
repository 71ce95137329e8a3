/**
 * The shop's pages: `GET /` (the product page, a fresh signed order per view; inside WeChat, via the sandbox
 * WeChat OAuth first) and `GET /payresult` (return_url, display only).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { newOutTradeNo, signButtonOrderV2, type ButtonOrder } from '../../sdk/button-order.ts';
import type { DemoContext } from '../demo-context.ts';
import { messagePage } from '../pages/orders-page.ts';
import { payResultPage, RETURN_PARAMETERS } from '../pages/pay-result-page.ts';
import { productPage } from '../pages/product-page.ts';
import {
  isPlausibleOpenid,
  isWeChat,
  newOAuthState,
  liveOAuthUrl,
  sandboxOAuthUrl,
  stateCookie,
  stateMatches,
} from '../wechat/wechat-oauth.ts';

/** The product the demo sells, as in the seed tutorial. */
export const PRODUCT = { title: 'product', amount: 1, optional: { key: 'value' } } as const;

export function siteUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

type Query = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function registerShopRoutes(server: FastifyInstance, context: DemoContext): void {
  server.get('/', async (request, reply) => {
    const query = request.query as Query;
    const inWeChat = isWeChat(request.headers['user-agent']);
    let openid: string | undefined;
    if (inWeChat) {
      openid = single(query.openid);
      if (openid === undefined || openid === '') {
        const state = newOAuthState();
        reply.header('set-cookie', stateCookie(state));
        const back = `${siteUrl(request)}/`;
        return reply.redirect(
          context.app.testMode
            ? sandboxOAuthUrl(context.gatewayUrl, context.app.appId, back, state)
            : liveOAuthUrl(context.gatewayUrl, context.app.appId, back, state),
        );
      }
      if (!isPlausibleOpenid(openid)) {
        return reply
          .code(400)
          .type('text/html; charset=utf-8')
          .send(messagePage('无法支付', 'openid 格式不正确，请重新打开本页。').text);
      }
      if (!stateMatches(request.headers.cookie, single(query.state))) {
        return reply
          .code(400)
          .type('text/html; charset=utf-8')
          .send(messagePage('无法支付', '微信授权已过期或不属于本浏览器，请重新打开商品页。').text);
      }
    }

    const order: ButtonOrder = {
      title: PRODUCT.title,
      amount: PRODUCT.amount,
      out_trade_no: newOutTradeNo(),
      return_url: `${siteUrl(request)}/payresult`,
      optional: { ...PRODUCT.optional },
      ...(openid === undefined ? {} : { openid }),
    };
    // The v2 sign: title, amount, return_url and optional cannot be changed by the payer (the webhook's
    // transaction_fee is still checked against the stored order, receive-webhook.ts).
    const signed = signButtonOrderV2(context.app, order);
    context.orders.createOrder({
      outTradeNo: order.out_trade_no,
      title: order.title,
      amount: order.amount,
      optional: order.optional ?? {},
      createdAt: Date.now(),
    });
    reply.header('cache-control', 'no-store');
    return reply
      .type('text/html; charset=utf-8')
      .send(
        productPage({ gatewayUrl: context.gatewayUrl, appId: context.app.appId, order: signed, inWeChat })
          .text,
      );
  });

  server.get('/payresult', async (request, reply) => {
    const query = request.query as Query;
    const parameters: Record<string, string> = {};
    for (const [name] of RETURN_PARAMETERS) {
      const value = single(query[name]);
      if (value !== undefined) parameters[name] = value.slice(0, 256);
    }
    const billNo = parameters.bill_no;
    const order = billNo === undefined ? undefined : context.orders.findOrder(billNo);
    reply.header('cache-control', 'no-store');
    return reply.type('text/html; charset=utf-8').send(payResultPage({ parameters, order }).text);
  });
}
