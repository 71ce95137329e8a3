/**
 * The sandbox channels a payer sees: WX_NATIVE's and ALI_QRCODE's phone scan pages, WX_JSAPI parameters and completion, WX_WAP and
 * UnionPay cashiers, sandbox WeChat OAuth, the Alipay-in-WeChat guide page, and XSS-safe pages.
 */
import { describe, expect, it } from 'vitest';
import {
  billStatus,
  createBill,
  postJson,
  pressSandboxButton,
  signedOrder,
} from '../testing/gateway-harness.ts';
import { useGatewayWithReceiver } from '../testing/gateway-with-receiver.ts';

const weChatUa =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40 NetType/WIFI';

const harness = useGatewayWithReceiver({
  app: {
    channels: ['ali', 'aliqr', 'wxmp', 'wx', 'wxwap', 'un', 'unwap'],
    allowedOrigins: ['https://shop.example'],
  },
});

function status(id: string) {
  return billStatus(harness.gateway, id);
}

describe('WX_NATIVE', () => {
  it('answers a code_url that opens a phone page where the payer approves', async () => {
    const bill = await createBill(harness.gateway, 'WX_NATIVE', { amount: 4200, title: '扫码商品' });
    expect(bill).toMatchObject({
      code_url: `${harness.gateway.url}/sandbox/wx/scan/${bill.id}`,
      total_fee: 4200,
    });
    expect(typeof bill.expires_at).toBe('number');
    const page = await (await fetch(String(bill.code_url))).text();
    expect(page).toContain('微信支付');
    expect(page).toContain('¥42.00');
    expect(page).toContain('扫码商品');
    const approved = await pressSandboxButton(`${harness.gateway.url}/sandbox/wx/scan/${bill.id}/pay`);
    expect(approved.status).toBe(200);
    expect(approved.text).toContain('支付成功');
    expect(await status(bill.id)).toMatchObject({ status: 'paid' });
    await expect
      .poll(() => harness.receiver.received.some((w) => JSON.parse(w.body).sub_channel_type === 'WX_NATIVE'))
      .toBe(true);
  });
});

describe('ALI_QRCODE', () => {
  it('answers action qr with a code_url that opens the sandbox Alipay scan page', async () => {
    const bill = await createBill(harness.gateway, 'ALI_QRCODE', { amount: 1234, title: '支付宝扫码商品' });
    expect(bill).toMatchObject({
      action: 'qr',
      code_url: `${harness.gateway.url}/sandbox/ali/scan/${bill.id}`,
      total_fee: 1234,
    });
    const page = await (await fetch(String(bill.code_url))).text();
    expect(page).toContain('支付宝扫码');
    expect(page).toContain('¥12.34');
    const approved = await pressSandboxButton(`${harness.gateway.url}/sandbox/ali/scan/${bill.id}/pay`);
    expect(approved.text).toContain('支付成功');
    expect(await status(bill.id)).toMatchObject({
      status: 'paid',
      channel: 'ALI',
      sub_channel: 'ALI_QRCODE',
    });
  });
});

describe('WX_JSAPI', () => {
  it('needs an openid', async () => {
    const { json } = await postJson(
      `${harness.gateway.url}/2/rest/jsbutton/WX_JSAPI`,
      signedOrder(harness.gateway.app),
    );
    expect(json).toMatchObject({ result_code: 4, result_msg: 'MISS_PARAM' });
    expect(String(json.err_detail)).toMatch(/^openid: /);
  });

  it('answers the JSAPI parameters, and completing it pays the bill as WeChat’s notify would', async () => {
    const bill = await createBill(harness.gateway, 'WX_JSAPI', { openid: 'oSandboxPayer_1', amount: 10 });
    expect(Object.keys(bill).sort()).toEqual(
      [
        'resultCode',
        'result_code',
        'result_msg',
        'err_detail',
        'id',
        'action',
        'app_id',
        'timestamp',
        'nonce_str',
        'package',
        'sign_type',
        'pay_sign',
      ].sort(),
    );
    expect(String(bill.package)).toMatch(/^prepay_id=/);
    expect(String(bill.timestamp)).toMatch(/^\d{10}$/);
    expect(bill.sign_type).toBe('MD5');
    expect(String(bill.pay_sign)).toMatch(/^[0-9A-F]{32}$/);

    const cancelled = await postJson(`${harness.gateway.url}/sandbox/wx/jsapi/${bill.id}/complete`, {
      result: 'cancel',
    });
    expect(cancelled.json.err_msg).toBe('get_brand_wcpay_request:cancel');
    expect(await status(bill.id)).toMatchObject({ status: 'open' });

    const done = await postJson(`${harness.gateway.url}/sandbox/wx/jsapi/${bill.id}/complete`, {});
    expect(done.json).toMatchObject({ result_code: 0, err_msg: 'get_brand_wcpay_request:ok' });
    expect(await status(bill.id)).toMatchObject({ status: 'paid', sub_channel: 'WX_JSAPI' });
  });

  it('refuses to complete a bill of another channel', async () => {
    const bill = await createBill(harness.gateway, 'ALI_WEB');
    const { json } = await postJson(`${harness.gateway.url}/sandbox/wx/jsapi/${bill.id}/complete`, {});
    expect(json).toMatchObject({ result_code: 3 });
    expect(await status(bill.id)).toMatchObject({ status: 'open' });
  });
});

describe('redirect channels', () => {
  it.each(['WX_WAP', 'UN_WEB', 'UN_WAP', 'ALI_WAP'])('%s goes to the sandbox cashier', async (channel) => {
    const bill = await createBill(harness.gateway, channel, { return_url: 'http://127.0.0.1:9/done' });
    expect(bill.url).toBe(`${harness.gateway.url}/sandbox/cashier/${bill.id}`);
    const paid = await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${bill.id}/pay`);
    expect(new URL(String(paid.location)).searchParams.get('sub_channel')).toBe(channel);
  });

  it('a sandbox page of another kind of bill is not found', async () => {
    const qr = await createBill(harness.gateway, 'WX_NATIVE');
    expect((await fetch(`${harness.gateway.url}/sandbox/cashier/${qr.id}`)).status).toBe(404);
    const redirect = await createBill(harness.gateway, 'ALI_WEB');
    expect((await fetch(`${harness.gateway.url}/sandbox/wx/scan/${redirect.id}`)).status).toBe(404);
    expect((await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/not-a-bill/pay`)).status).toBe(
      404,
    );
  });
});

describe('sandbox WeChat OAuth', () => {
  it('redirects back with a stable openid, a code and the state', async () => {
    const target = 'https://shop.example/wechat/callback?from=menu';
    const ask = () =>
      fetch(
        `${harness.gateway.url}/sandbox/wx/oauth?appid=${harness.gateway.app.appId}&redirect_uri=${encodeURIComponent(target)}&state=abc`,
        { redirect: 'manual' },
      );
    const first = new URL(String((await ask()).headers.get('location')));
    const second = new URL(String((await ask()).headers.get('location')));
    expect(`${first.origin}${first.pathname}`).toBe('https://shop.example/wechat/callback');
    expect(first.searchParams.get('from')).toBe('menu');
    expect(first.searchParams.get('state')).toBe('abc');
    expect(first.searchParams.get('openid')).toMatch(/^o[\w-]{27}$/);
    expect(second.searchParams.get('openid')).toBe(first.searchParams.get('openid'));
    expect(first.searchParams.get('code')).not.toBe(second.searchParams.get('code'));
  });

  it('refuses a missing or non-http redirect_uri', async () => {
    const missing = await fetch(`${harness.gateway.url}/sandbox/wx/oauth`);
    expect(await missing.json()).toMatchObject({ result_code: 4 });
    const script = await fetch(
      `${harness.gateway.url}/sandbox/wx/oauth?redirect_uri=${encodeURIComponent('javascript:alert(1)')}`,
    );
    expect(await script.json()).toMatchObject({ result_code: 5 });
  });

  it('redirects only to an origin the app registered (no open redirect)', async () => {
    const oauth = (query: string) =>
      fetch(`${harness.gateway.url}/sandbox/wx/oauth?${query}`, { redirect: 'manual' });
    const appId = harness.gateway.app.appId;
    for (const target of [
      'https://evil.example/steal',
      'https://shop.example.evil.example/',
      'http://shop.example/callback',
      'https://shop.example:8443/callback',
    ]) {
      const answer = await oauth(`appid=${appId}&redirect_uri=${encodeURIComponent(target)}`);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('location')).toBeNull();
      const json = (await answer.json()) as Record<string, unknown>;
      expect(json).toMatchObject({ result_code: 5, result_msg: 'PARAM_INVALID' });
      expect(json.err_detail).toMatch(/^redirect_uri: its origin .* is not registered for this app/);
    }
    const noApp = await oauth(`redirect_uri=${encodeURIComponent('https://shop.example/cb')}`);
    expect(await noApp.json()).toMatchObject({
      result_code: 4,
      err_detail: expect.stringMatching(/^appid: /),
    });
    const unknownApp = await oauth(
      `appid=nobody&redirect_uri=${encodeURIComponent('https://shop.example/cb')}`,
    );
    expect(await unknownApp.json()).toMatchObject({
      result_code: 1,
      err_detail: expect.stringMatching(/^appid: /),
    });
  });
});

describe('the Alipay-in-WeChat guide page', () => {
  it('inside WeChat asks the payer to open the page in the browser', async () => {
    const bill = await createBill(harness.gateway, 'ALI_WAP');
    const response = await fetch(String(bill.guide_url), {
      headers: { 'user-agent': weChatUa },
      redirect: 'manual',
    });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('请点击右上角菜单，选择在浏览器中打开');
    expect(page).toContain('↗');
  });

  it('in a browser continues to the cashier', async () => {
    const bill = await createBill(harness.gateway, 'ALI_WAP');
    const response = await fetch(String(bill.guide_url), { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${harness.gateway.url}/sandbox/cashier/${bill.id}`);
  });
});

describe('pages', () => {
  it('escape what the merchant sent (no markup injection), run no scripts and forbid them by CSP', async () => {
    const bill = await createBill(harness.gateway, 'ALI_WEB', { title: '<img src=x onerror=alert(1)>' });
    const response = await fetch(`${harness.gateway.url}/sandbox/cashier/${bill.id}`);
    const page = await response.text();
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<script');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const css = await fetch(`${harness.gateway.url}/sandbox/pages.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });
});
