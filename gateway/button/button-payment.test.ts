/**
 * The issue-2 path over real HTTP: the script is served with its BCConfig prelude, a bad sign creates no bill,
 * an ALI_WEB bill is paid on the sandbox cashier, the browser is sent to return_url with BeeCloud's parameters,
 * and the merchant's webhook receiver gets a PAY webhook whose three signatures verify.
 */
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  hexSignaturesEqual,
  signaturesEqual,
  standardWebhookSignature,
  webhookLegacySign,
  webhookSignature,
} from '../../sdk/sign.ts';
import {
  createBill,
  newOrderNo,
  postJson,
  pressSandboxButton,
  signedOrder,
  startTestGateway,
  testWidgetSource,
} from '../testing/gateway-harness.ts';
import { useGatewayWithReceiver } from '../testing/gateway-with-receiver.ts';
import { webhooksFor } from '../testing/webhook-receiver.ts';

const harness = useGatewayWithReceiver();

describe('the button script', () => {
  it('is the BCConfig prelude with the app’s channels and this gateway’s URL, then the widget build', async () => {
    const response = await fetch(
      `${harness.gateway.url}/1/pay/jsbutton/returnscripts?appId=${harness.gateway.app.appId}`,
      {
        headers: { 'accept-encoding': 'identity' },
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/javascript/);
    const text = await response.text();
    const prelude = text.slice(0, text.indexOf('\n'));
    const config = JSON.parse(prelude.replace(/^var BCConfig = /, '').replace(/;$/, '')) as Record<
      string,
      unknown
    >;
    expect(config).toEqual({
      appId: harness.gateway.app.appId,
      channels: ['ali', 'wxmp', 'wx', 'un'],
      urls: [harness.gateway.url],
      mode: 'test',
    });
    expect(text.slice(prelude.length + 1)).toBe(testWidgetSource);
    expect(text).not.toContain(harness.gateway.app.appSecret);
    expect(text).not.toContain(harness.gateway.app.testSecret);
    expect(text).not.toContain(harness.gateway.app.masterSecret);
  });

  it('is served compressed (br, gzip) with an ETag that answers 304', async () => {
    const url = `${harness.gateway.url}/1/pay/jsbutton/returnscripts?appId=${harness.gateway.app.appId}`;
    const plain = await (await fetch(url, { headers: { 'accept-encoding': 'identity' } })).text();
    // Node's fetch decompresses by itself, so read the raw bytes with node:http semantics via a Range-less request.
    const { request } = await import('node:http');
    const raw = (encoding: string) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const req = request(url, { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    const br = await raw('gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(plain);
    const gzip = await raw('gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString('utf8')).toBe(plain);
    const etag = String(br.headers.etag);
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(url, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('for an unknown appId reports the problem through console.error and dataError instead of breaking the page', async () => {
    const response = await fetch(`${harness.gateway.url}/1/pay/jsbutton/returnscripts?appId=no-such-app`);
    expect(response.status).toBe(200);
    const script = await response.text();
    const errors: string[] = [];
    const dataErrors: unknown[] = [];
    const events: string[] = [];
    const window: Record<string, unknown> = {};
    const document = { dispatchEvent: (event: { type: string }) => events.push(event.type) };
    class CustomEvent {
      constructor(readonly type: string) {}
    }
    new Function('window', 'console', 'document', 'CustomEvent', 'alert', script)(
      window,
      { error: (message: string) => errors.push(message) },
      document,
      CustomEvent,
      () => undefined,
    );
    expect(errors).toEqual(['spay: appId: no app no-such-app on this gateway']);
    expect(events).toEqual(['beecloud:onready']);
    (window.BC as { click: (data: unknown, events: unknown) => void }).click(
      {},
      { dataError: (problem: unknown) => dataErrors.push(problem) },
    );
    expect(dataErrors).toEqual([
      expect.objectContaining({
        result_code: 1,
        result_msg: 'APP_INVALID',
        err_detail: 'appId: no app no-such-app on this gateway',
      }),
    ]);
  });

  it('when the widget is not built, serves a script that reports it instead of a broken page', async () => {
    const bare = await startTestGateway({ widgetDir: join(harness.gateway.dataDir, 'nothing-built-here') });
    try {
      const script = await (
        await fetch(`${bare.url}/1/pay/jsbutton/returnscripts?appId=${bare.app.appId}`)
      ).text();
      expect(script).toContain('"result_msg":"RUNTIME_ERROR"');
      expect(script).toContain('widget: the payment button is not built on this gateway');
      expect(script).toContain('dataError');
    } finally {
      await bare.close();
    }
  });

  it('serves lazily loaded widget chunks and refuses paths outside the build', async () => {
    const chunk = await fetch(`${harness.gateway.url}/1/pay/jsbutton/assets/qr-chunk.js`);
    expect(chunk.status).toBe(200);
    expect(await chunk.text()).toBe('export const qr = 1;\n');
    for (const path of [
      '..%2Fgateway.sqlite',
      '%2E%2E%2F%2E%2E%2Fpackage.json',
      'gateway.sqlite',
      '.hidden.js',
      'missing.js',
    ]) {
      const response = await fetch(`${harness.gateway.url}/1/pay/jsbutton/assets/${path}`);
      expect(response.status, path).toBe(404);
    }
  });
});

describe('creating a bill', () => {
  it('with a wrong sign is refused with APP_INVALID naming sign, and no bill exists', async () => {
    const order: Record<string, unknown> = { ...signedOrder(harness.gateway.app), sign: '0'.repeat(32) };
    const { json } = await postJson(`${harness.gateway.url}/2/rest/jsbutton/ALI_WEB`, order);
    expect(json).toMatchObject({ resultCode: 1, result_code: 1, result_msg: 'APP_INVALID' });
    expect(String(json.err_detail)).toMatch(/^sign: /);
    expect(json.id).toBeUndefined();
    // The same order number signed correctly is a fresh order (nothing was recorded for it).
    const good = await postJson(
      `${harness.gateway.url}/2/rest/jsbutton/ALI_WEB`,
      signedOrder(harness.gateway.app, { out_trade_no: String(order.out_trade_no), title: '另一个标题' }),
    );
    expect(good.json.resultCode).toBe(0);
  });

  it('answers CORS for the merchant’s origin', async () => {
    const preflight = await fetch(`${harness.gateway.url}/2/rest/jsbutton/ALI_WEB`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const { headers, json } = await postJson(
      `${harness.gateway.url}/2/rest/jsbutton/ALI_WEB`,
      signedOrder(harness.gateway.app),
      {
        origin: 'https://shop.example',
      },
    );
    expect(json.resultCode).toBe(0);
    expect(headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });

  it('works through the old JSONP form', async () => {
    const para = encodeURIComponent(JSON.stringify(signedOrder(harness.gateway.app)));
    const response = await fetch(
      `${harness.gateway.url}/2/rest/jsbutton/ALI_WEB?para=${para}&callback=jQuery123_456`,
    );
    expect(response.headers.get('content-type')).toMatch(/^application\/javascript/);
    const text = await response.text();
    const match = /^\/\*\*\/jQuery123_456\((.*)\);$/s.exec(text);
    expect(match).not.toBeNull();
    const answer = JSON.parse(match![1]!) as Record<string, unknown>;
    expect(answer).toMatchObject({ resultCode: 0, method: 'GET' });
    expect(String(answer.url)).toBe(`${harness.gateway.url}/sandbox/cashier/${String(answer.id)}`);
  });
});

describe('one payment, end to end', () => {
  it('ALI_WEB: cashier → pay → return_url with BeeCloud’s parameters → signed PAY webhook', async () => {
    const outTradeNo = newOrderNo();
    const bill = await createBill(harness.gateway, 'ALI_WEB', {
      title: '测试商品',
      amount: 1234,
      out_trade_no: outTradeNo,
      return_url: 'https://shop.example/paid',
      optional: { user: 'u1', vip: true },
    });
    expect(bill.url).toBe(`${harness.gateway.url}/sandbox/cashier/${bill.id}`);
    expect(bill.guide_url).toBe(`${harness.gateway.url}/1/pay/jsbutton/guide/${bill.id}`);

    const cashier = await fetch(String(bill.url));
    const page = await cashier.text();
    expect(cashier.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page).toContain('测试商品');
    expect(page).toContain('¥12.34');
    expect(page).toContain(outTradeNo);
    expect(page).toMatch(/>\s*支付\s*</);
    expect(page).toMatch(/>\s*支付失败\s*</);
    expect(page).not.toContain('<script');

    const paid = await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${bill.id}/pay`);
    expect(paid.status).toBe(303);
    const location = new URL(String(paid.location));
    expect(`${location.origin}${location.pathname}`).toBe('https://shop.example/paid');
    const params = Object.fromEntries(location.searchParams);
    expect(Object.keys(params).sort()).toEqual([
      'bill_no',
      'channel',
      'create_time',
      'spay_result',
      'sub_channel',
      'title',
      'total_fee',
      'trade_no',
    ]);
    expect(params).toMatchObject({
      bill_no: outTradeNo,
      channel: 'ALI',
      sub_channel: 'ALI_WEB',
      spay_result: 'true',
      title: '测试商品',
      total_fee: '1234',
    });
    expect(params.trade_no).not.toBe('');

    const status = await (await fetch(`${harness.gateway.url}/2/rest/bill_public/${bill.id}`)).json();
    expect(status).toMatchObject({
      result_code: 0,
      pay: { id: bill.id, status: 'paid', spay_result: true, total_fee: 1234 },
    });

    const [webhook] = await harness.receiver.waitFor(1);
    const deliveries = webhooksFor(harness.receiver, outTradeNo);
    expect(deliveries.length).toBeGreaterThanOrEqual(1);
    const delivery = deliveries[0] ?? webhook!;
    expect(delivery.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(delivery.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      channel_type: 'ALI',
      sub_channel_type: 'ALI_WEB',
      transaction_type: 'PAY',
      transaction_id: outTradeNo,
      transaction_fee: 1234,
      trade_success: true,
      optional: { user: 'u1', vip: true },
      channel_transaction_id: params.trade_no,
    });
    expect(typeof body.message_detail).toBe('object');
    const { app } = harness.gateway;
    // Legacy sign: md5(app_id + test_secret + timestamp) in test mode.
    expect(
      hexSignaturesEqual(
        webhookLegacySign(app.appId, app.testSecret, Number(body.timestamp)),
        String(body.sign),
      ),
    ).toBe(true);
    expect(
      hexSignaturesEqual(
        webhookSignature(app.appId, outTradeNo, 'PAY', 'ALI', 1234, app.masterSecret),
        String(body.signature),
      ),
    ).toBe(true);
    const id = String(delivery.headers['webhook-id']);
    const timestamp = Number(delivery.headers['webhook-timestamp']);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(
      signaturesEqual(
        standardWebhookSignature(app.webhookSecret, id, timestamp, delivery.body),
        String(delivery.headers['webhook-signature']),
      ),
    ).toBe(true);
  });

  it('without return_url sends the payer to the gateway’s result page', async () => {
    const bill = await createBill(harness.gateway, 'UN_WEB', { amount: 5 });
    const paid = await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${bill.id}/pay`);
    expect(paid.location).toBe(`${harness.gateway.url}/1/pay/jsbutton/result/${bill.id}`);
    const page = await (await fetch(String(paid.location))).text();
    expect(page).toContain('支付成功');
    expect(page).toContain('¥0.05');
  });
});
