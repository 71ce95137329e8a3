/**
 * A minimal merchant site for browser runs: every `GET /shop` is a page with the 秒支付 script tag and a fresh
 * order signed on this server (as a merchant's server signs it), so no two page loads share a bill_no. The page
 * records timings (performance.now(), Date.now()) in `window.__spayBench`; extra HTML and the response's
 * Content-Security-Policy can be chosen per server.
 */
import { createServer, type Server } from 'node:http';
import type { SeedApp } from '../../gateway/apps/app.ts';
import { buttonOrderSign } from '../../sdk/sign.ts';
import { uniqueBillNo } from './rest-requests.ts';

export interface MerchantPageOptions {
  gatewayUrl: string;
  app: SeedApp;
  /** Content-Security-Policy header for the page (none by default). */
  csp?: string;
  /** The page's own script (served from /shop.js so a strict CSP can allow it as 'self'). */
  pageScript: string;
  /** Order fields besides the signed ones. */
  title?: string;
  amount?: number;
}

export interface MerchantSite {
  url: string;
  close(): Promise<void>;
}

export function signedOrderFor(app: SeedApp, title: string, amount: number) {
  const outTradeNo = uniqueBillNo('P');
  return {
    title,
    amount,
    out_trade_no: outTradeNo,
    sign: buttonOrderSign(app.appId, title, amount, outTradeNo, app.appSecret),
  };
}

export async function startMerchantSite(options: MerchantPageOptions): Promise<MerchantSite> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/shop.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(options.pageScript);
      return;
    }
    if (path !== '/shop') {
      response.writeHead(404).end();
      return;
    }
    const order = signedOrderFor(options.app, options.title ?? '性能测试', options.amount ?? 1);
    // The order travels in a data attribute (JSON, HTML-escaped), so the page needs no inline script.
    const orderAttribute = JSON.stringify(order).replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>bench shop</title>
<script src="/shop.js"></script>
<script id="spay-script" src="${options.gatewayUrl}/1/pay/jsbutton/returnscripts?appId=${options.app.appId}"></script>
</head><body data-order="${orderAttribute}" data-gateway="${options.gatewayUrl}">
<button id="open-menu" type="button">menu</button> <button id="open-qr" type="button">qr</button>
</body></html>`;
    const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
    if (options.csp) headers['content-security-policy'] = options.csp;
    response.writeHead(200, headers).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('merchant site has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
