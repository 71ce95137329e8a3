/**
 * The demo merchant over real HTTP on 127.0.0.1, with the real gateway: pages, the WeChat OAuth detour, the
 * webhook route, the refund action's guards, live updates and shutdown.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../gateway/server.ts';
import { buttonOrderSign, buttonOrderSignV2 } from '../sdk/sign.ts';
import { signedWebhookBody, standardWebhookHeaders } from '../sdk/testing/webhook-sender.ts';
import { appFromConfig } from '../sdk/app.ts';
import { checkDemoApp, type DemoAppConfig } from './config.ts';
import { startDemoServer } from './server.ts';

let dataDir: string;
let config: DemoAppConfig;
let gateway: { url: string; close(): Promise<void> };
let demo: { url: string; close(): Promise<void> };

/** A free port on 127.0.0.1, so that the gateway's seeded webhook URL can point at the demo before it starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'spay-demo-'));
  const file = JSON.parse(await readFile(new URL('../config/demo-app.json', import.meta.url), 'utf8'));
  config = checkDemoApp(file);
  const demoPort = await freePort();
  gateway = await startGateway({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    seedApps: [
      {
        ...file,
        webhookUrl: `http://127.0.0.1:${demoPort}/webhook`,
        allowedOrigins: [`http://127.0.0.1:${demoPort}`],
      },
    ],
    webhookRetryScale: 0.001,
    logger: false,
    // The demo shop's webhook receiver is on 127.0.0.1.
    allowPrivateTargets: true,
  });
  demo = await startDemoServer({
    host: '127.0.0.1',
    port: demoPort,
    dataDir,
    gatewayUrl: gateway.url,
    app: config,
  });
});

afterAll(async () => {
  await demo?.close();
  await gateway?.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface OrderJson {
  outTradeNo: string;
  status: string;
  amount: number;
}

async function orders(): Promise<OrderJson[]> {
  return ((await (await fetch(`${demo.url}/orders.json`)).json()) as { orders: OrderJson[] }).orders;
}

async function statusBecomes(outTradeNo: string, status: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await orders()).find((order) => order.outTradeNo === outTradeNo)?.status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`order ${outTradeNo} did not become ${status}`);
}

function orderData(html: string): { order: Record<string, unknown> } {
  const match = /<script type="application\/json" id="spay-order">(.*?)<\/script>/s.exec(html);
  if (match === null) throw new Error('no order data block in the page');
  return JSON.parse(match[1]);
}

async function newOrder(): Promise<string> {
  const html = await (await fetch(`${demo.url}/`)).text();
  return String(orderData(html).order.out_trade_no);
}

function webhook(body: Record<string, unknown>): Promise<Response> {
  const raw = JSON.stringify(body);
  return fetch(`${demo.url}/webhook`, {
    method: 'POST',
    headers: standardWebhookHeaders(config.webhookSecret, raw),
    body: raw,
  });
}

const sdkApp = () => appFromConfig(config, gateway.url);

describe('GET /', () => {
  it('loads the widget from the gateway and hands BC.click a signed order it stored as created', async () => {
    const response = await fetch(`${demo.url}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(
      `<script id="spay-script" src="${gateway.url}/1/pay/jsbutton/returnscripts?appId=${config.appId}"></script>`,
    );
    expect(html).toContain('<button id="test" type="button">点我付款</button>');
    expect(html).toContain('<script src="/assets/pay-messages.js"></script>');
    expect(html).toContain('<script src="/assets/product.js"></script>');
    const { order } = orderData(html);
    expect(order).toMatchObject({
      title: 'product',
      amount: 1,
      optional: { key: 'value' },
      return_url: `${demo.url}/payresult`,
    });
    // The v2 sign (HMAC-SHA256 over named fields, return_url and optional included): it cannot be re-split.
    expect(order.sign_type).toBe('HMAC-SHA256');
    expect(order.sign).toBe(
      buttonOrderSignV2(
        {
          appId: config.appId,
          title: 'product',
          amount: 1,
          outTradeNo: String(order.out_trade_no),
          returnUrl: `${demo.url}/payresult`,
          optional: { key: 'value' },
        },
        config.appSecret,
      ),
    );
    expect(order).not.toHaveProperty('openid');
    expect(await orders()).toContainEqual(
      expect.objectContaining({ outTradeNo: order.out_trade_no, status: 'created', amount: 1 }),
    );
  });

  it('sends no secret and forbids inline scripts', async () => {
    const response = await fetch(`${demo.url}/`);
    const html = await response.text();
    for (const secret of [config.appSecret, config.masterSecret, config.testSecret, config.webhookSecret]) {
      expect(html).not.toContain(secret);
    }
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain(`script-src 'self' ${gateway.url}`);
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(html.match(/<script(?![^>]*(src=|type="application\/json"))/g)).toBeNull();
  });
});

describe('inside WeChat', () => {
  const weChat = { 'user-agent': 'Mozilla/5.0 (iPhone) MicroMessenger/8.0.50' };

  it('goes through the sandbox WeChat OAuth and comes back to pay with the openid', async () => {
    const first = await fetch(`${demo.url}/`, { headers: weChat, redirect: 'manual' });
    expect(first.status).toBe(302);
    const oauth = new URL(first.headers.get('location')!);
    expect(`${oauth.origin}${oauth.pathname}`).toBe(`${gateway.url}/sandbox/wx/oauth`);
    expect(oauth.searchParams.get('redirect_uri')).toBe(`${demo.url}/`);
    const cookie = first.headers.get('set-cookie')!.split(';')[0];
    expect(cookie).toBe(`spay_demo_oauth_state=${oauth.searchParams.get('state')}`);

    const back = await fetch(oauth, { redirect: 'manual' });
    expect(back.status).toBe(302);
    const returned = new URL(back.headers.get('location')!);
    const openid = returned.searchParams.get('openid');
    expect(openid).toBeTruthy();

    const page = await fetch(returned, { headers: { ...weChat, cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(orderData(html).order.openid).toBe(openid);
    expect(html).toContain('微信公众号支付');
  });

  it('refuses an OAuth answer that was not started in this browser', async () => {
    const page = await fetch(`${demo.url}/?openid=oAttacker123456&state=forged`, { headers: weChat });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('微信授权已过期');
  });
});

describe('GET /payresult', () => {
  it('shows the return parameters escaped, and the order state the webhooks made', async () => {
    const outTradeNo = await newOrder();
    const response = await fetch(
      `${demo.url}/payresult?bill_no=${outTradeNo}&spay_result=true&title=${encodeURIComponent('<img src=x onerror=alert(1)>')}`,
    );
    const html = await response.text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('data-order-status="created"');
    expect(html).toContain('webhook 为准');
  });
});

describe('POST /webhook over HTTP', () => {
  it('answers success to a verified PAY and the order is paid', async () => {
    const outTradeNo = await newOrder();
    const response = await webhook(
      signedWebhookBody(sdkApp(), { transactionType: 'PAY', transactionId: outTradeNo, transactionFee: 1 }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('success');
    expect((await orders()).find((order) => order.outTradeNo === outTradeNo)?.status).toBe('paid');
  });

  it('answers anything but success to bad JSON, whatever the content type', async () => {
    for (const contentType of ['application/json', 'text/plain']) {
      const response = await fetch(`${demo.url}/webhook`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: '{"sign":',
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toBe('fail: body: not valid JSON');
    }
  });

  it('refuses a wrong amount and leaves the order unpaid', async () => {
    const outTradeNo = await newOrder();
    const response = await webhook(
      signedWebhookBody(sdkApp(), { transactionType: 'PAY', transactionId: outTradeNo, transactionFee: 2 }),
    );
    expect(response.status).toBe(409);
    expect(await response.text()).not.toBe('success');
    expect((await orders()).find((order) => order.outTradeNo === outTradeNo)?.status).toBe('created');
  });
});

describe('POST /orders/{out_trade_no}/refund', () => {
  it('refuses a form posted from another site', async () => {
    const outTradeNo = await newOrder();
    const response = await fetch(`${demo.url}/orders/${outTradeNo}/refund`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      redirect: 'manual',
    });
    expect(response.status).toBe(403);
  });

  it('refuses an order that is not paid, and an unknown one, without calling the gateway', async () => {
    const outTradeNo = await newOrder();
    for (const [number, text] of [
      [outTradeNo, '不能退款'],
      ['nosuchorder1', '没有订单'],
    ]) {
      const response = await fetch(`${demo.url}/orders/${number}/refund`, {
        method: 'POST',
        redirect: 'manual',
      });
      expect(response.status).toBe(409);
      expect(await response.text()).toContain(text);
    }
    expect((await orders()).find((order) => order.outTradeNo === outTradeNo)?.status).toBe('created');
  });

  it('refunds an order paid at the gateway; the REFUND webhook makes it refunded', async () => {
    const outTradeNo = await newOrder();
    // Pay it for real at the gateway: a bill for this order, paid by the sandbox, whose webhook the demo gets.
    const sign = buttonOrderSign(config.appId, 'product', 1, outTradeNo, config.appSecret);
    const bill = (await (
      await fetch(`${gateway.url}/2/rest/jsbutton/ALI_WEB`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          appId: config.appId,
          title: 'product',
          amount: 1,
          out_trade_no: outTradeNo,
          sign,
        }),
      })
    ).json()) as { id: string };
    await fetch(`${gateway.url}/sandbox/cashier/${bill.id}/pay`, { method: 'POST', redirect: 'manual' });
    await statusBecomes(outTradeNo, 'paid');

    const response = await fetch(`${demo.url}/orders/${outTradeNo}/refund`, {
      method: 'POST',
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/orders#order-${outTradeNo}`);
    await statusBecomes(outTradeNo, 'refunded');
    const page = await (await fetch(`${demo.url}/orders`)).text();
    expect(page).toContain(`<tr id="order-${outTradeNo}" data-status="refunded">`);
    expect(page).toContain('退款成功');
  });
});

describe('a refund while the gateway is unreachable', () => {
  it('keeps the order paid and shows why the refund did not happen', async () => {
    const closedPort = await freePort();
    const offlineDir = await mkdtemp(join(tmpdir(), 'spay-demo-offline-'));
    const offline = await startDemoServer({
      dataDir: offlineDir,
      gatewayUrl: `http://127.0.0.1:${closedPort}`,
      app: config,
      gatewayTimeoutMs: 2000,
    });
    try {
      const html = await (await fetch(`${offline.url}/`)).text();
      const outTradeNo = String(orderData(html).order.out_trade_no);
      const raw = JSON.stringify(
        signedWebhookBody(sdkApp(), { transactionType: 'PAY', transactionId: outTradeNo, transactionFee: 1 }),
      );
      const paid = await fetch(`${offline.url}/webhook`, {
        method: 'POST',
        headers: standardWebhookHeaders(config.webhookSecret, raw),
        body: raw,
      });
      expect(await paid.text()).toBe('success');

      const refund = await fetch(`${offline.url}/orders/${outTradeNo}/refund`, {
        method: 'POST',
        redirect: 'manual',
      });
      expect(refund.status).toBe(303);
      const page = await (await fetch(`${offline.url}/orders`)).text();
      expect(page).toContain(`<tr id="order-${outTradeNo}" data-status="paid">`);
      expect(page).toContain('退款被拒绝：NETWORK_ERROR (15)');
      expect(page).toContain(`action="/orders/${outTradeNo}/refund"`);
    } finally {
      await offline.close();
      await rm(offlineDir, { recursive: true, force: true });
    }
  });
});

describe('GET /orders/events', () => {
  it('pushes a changed order row as it happens', async () => {
    const outTradeNo = await newOrder();
    const events: string[] = [];
    const stream = await fetch(`${demo.url}/orders/events`);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    const until = async (predicate: (text: string) => boolean) => {
      while (!predicate(events.join(''))) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        events.push(decoder.decode(value));
      }
    };
    await until((text) => text.includes(`"outTradeNo":"${outTradeNo}","status":"created"`));
    await webhook(
      signedWebhookBody(sdkApp(), { transactionType: 'PAY', transactionId: outTradeNo, transactionFee: 1 }),
    );
    await until((text) => text.includes(`"outTradeNo":"${outTradeNo}","status":"paid"`));
    await reader.cancel();
  });

  it('does not keep the server from closing', async () => {
    const other = await startDemoServer({ dataDir, gatewayUrl: gateway.url, app: config, port: 0 });
    await new Promise<void>((resolve) => {
      httpRequest(`${other.url}/orders/events`, (response) => {
        response.once('data', () => resolve());
        response.resume();
      }).end();
    });
    await expect(other.close()).resolves.toBeUndefined();
  });
});

describe('GET /assets', () => {
  it('serves the page scripts and nothing else', async () => {
    const script = await fetch(`${demo.url}/assets/product.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toContain('beecloud:onready');
    expect((await fetch(`${demo.url}/assets/server.ts`)).status).toBe(404);
    expect((await fetch(`${demo.url}/assets/..%2Fserver.ts`)).status).toBe(404);
  });
});
