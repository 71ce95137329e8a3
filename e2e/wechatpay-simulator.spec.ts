/**
 * The WeChat Pay simulator's payer side in Chromium, with the gateway's adapter making the orders: the scan page a
 * code_url leads to, the H5 cashier sending the payer back, and the WeixinJSBridge stand-in inside a WeChat user
 * agent answering get_brand_wcpay_request:ok / :cancel / :fail as the payer chooses.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { wechatpayChannel } from '../gateway/channels/wechatpay/index.ts';
import {
  outTradeNoFor,
  type ChannelAdapter,
  type ChannelAttempt,
  type ChannelName,
} from '../gateway/channels/channel.ts';
import { plainHttpClient } from '../gateway/channels/testing/plain-http.ts';
import {
  generateMerchantCredentials,
  startWechatpaySimulator,
  type MerchantCredentials,
  type WechatpaySimulator,
} from '../simulators/wechatpay/index.ts';

let sim: WechatpaySimulator;
let adapter: ChannelAdapter;
let credentials: MerchantCredentials;
let shop: Server;
let shopUrl = '';
let jsapiParams = '{}';

/** The merchant's page inside WeChat: loads the bridge and calls getBrandWCPayRequest with the gateway's params. */
const payScript = `
document.getElementById('pay').addEventListener('click', function () {
  fetch('/params').then(function (r) { return r.json(); }).then(function (params) {
    WeixinJSBridge.invoke('getBrandWCPayRequest', params, function (res) {
      document.getElementById('result').textContent = res.err_msg;
    });
  });
});
document.addEventListener('WeixinJSBridgeReady', function () {
  document.getElementById('ready').textContent = 'bridge ready';
});`;

test.beforeAll(async () => {
  sim = await startWechatpaySimulator({ notifyRetryScale: 0.001 });
  const merchantKey = generateMerchantCredentials('1900000201');
  credentials = sim.registerMerchant({
    mchid: '1900000201',
    appid: 'wx0201020102010201',
    merchant_certificate: merchantKey.certificatePem,
  });
  adapter = wechatpayChannel.createAdapter(
    wechatpayChannel.parseSettings({
      mchid: '1900000201',
      appid: 'wx0201020102010201',
      merchant_private_key: merchantKey.privateKeyPem,
      merchant_serial_no: merchantKey.serialNo,
      apiv3_key: credentials.apiv3_key,
      wechatpay_public_key: credentials.wechatpay_public_key,
      wechatpay_public_key_id: credentials.wechatpay_public_key_id,
      api_base_url: sim.url,
    }),
    { http: plainHttpClient() },
  );
  shop = createServer((req, res) => {
    if (req.url === '/pay.js') {
      res.writeHead(200, { 'content-type': 'application/javascript' });
      res.end(payScript);
    } else if (req.url === '/params') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(jsapiParams);
    } else if (req.url === '/notify') {
      res.writeHead(204);
      res.end();
    } else if (req.url === '/injected') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<!doctype html><p id="ready">waiting</p><button id="pay">pay in WeChat</button><p id="result"></p>` +
          `<script src="/pay.js"></script>`,
      );
    } else if (req.url?.startsWith('/return')) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<h1>back at the shop</h1>');
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<!doctype html><p id="ready">waiting</p><button id="pay">pay in WeChat</button><p id="result"></p>` +
          `<script src="${sim.bridgeScriptUrl}"></script><script src="/pay.js"></script>`,
      );
    }
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await sim.close();
  await new Promise((resolve) => shop.close(resolve));
});

function attempt(channel: ChannelName): ChannelAttempt {
  const billId = randomUUID();
  return {
    billId,
    outTradeNo: outTradeNoFor(billId),
    billNo: 'e2e',
    channel,
    title: 'e2e 商品',
    totalFee: 1,
    createTime: Date.now(),
    expiresAt: null,
    openid: channel === 'WX_JSAPI' ? credentials.payer_openid : null,
    payerIp: '127.0.0.1',
  };
}

const urls = () => ({ notifyUrl: `${shopUrl}/notify`, returnUrl: `${shopUrl}/return?bill=1`, quitUrl: null });

test('WX_NATIVE: the scan page pays the order', async ({ page }) => {
  const bill = attempt('WX_NATIVE');
  const start = await adapter.createPayment(bill, urls());
  if (start.action !== 'qr') throw new Error('expected a QR');
  await page.goto(sim.scanUrl(start.codeUrl));
  await page.getByRole('button', { name: '付款 Pay ¥0.01' }).click();
  await expect(page.getByRole('heading', { name: '支付成功 Paid' })).toBeVisible();
  await expect.poll(() => sim.notifies().find((n) => n.out_trade_no === bill.outTradeNo)?.status).toBe(204);
});

test('WX_WAP: the H5 cashier pays and sends the payer back to the return URL', async ({ page }) => {
  const bill = attempt('WX_WAP');
  const start = await adapter.createPayment(bill, urls());
  if (start.action !== 'redirect') throw new Error('expected a redirect');
  const target = new URL(start.url);
  for (const [name, value] of Object.entries(start.param)) target.searchParams.set(name, value);
  await page.goto(target.toString());
  await page.getByRole('button', { name: '付款 Pay ¥0.01' }).click();
  await expect(page.getByRole('heading', { name: 'back at the shop' })).toBeVisible();
  expect(page.url()).toBe(`${shopUrl}/return?bill=1`);
  expect(sim.order(bill.outTradeNo)?.trade_state).toBe('SUCCESS');
});

test.describe('WX_JSAPI inside WeChat', () => {
  test.use({
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0.50 NetType/WIFI',
  });

  for (const [choice, button, errMsg, state] of [
    ['pay', '付款 Pay ¥0.01', 'get_brand_wcpay_request:ok', 'SUCCESS'],
    ['cancel', '取消 Cancel', 'get_brand_wcpay_request:cancel', 'NOTPAY'],
    ['fail', '支付失败 Fail', 'get_brand_wcpay_request:fail', 'NOTPAY'],
  ] as const) {
    test(`the bridge stand-in answers ${errMsg} when the payer chooses ${choice}`, async ({ page }) => {
      const bill = attempt('WX_JSAPI');
      const start = await adapter.createPayment(bill, urls());
      if (start.action !== 'jsapi') throw new Error('expected jsapi');
      jsapiParams = JSON.stringify(start.params);
      await page.goto(shopUrl);
      await expect(page.getByText('bridge ready')).toBeVisible();
      await page.getByRole('button', { name: 'pay in WeChat' }).click();
      const dialog = page.getByRole('dialog', { name: '微信支付' });
      await expect(dialog).toContainText('e2e 商品');
      await dialog.getByRole('button', { name: button }).click();
      await expect(page.locator('#result')).toHaveText(errMsg);
      expect(sim.order(bill.outTradeNo)?.trade_state).toBe(state);
    });
  }

  test('the bridge also works injected as an init script (no script tag in the page)', async ({ page }) => {
    const bill = attempt('WX_JSAPI');
    const start = await adapter.createPayment(bill, urls());
    if (start.action !== 'jsapi') throw new Error('expected jsapi');
    jsapiParams = JSON.stringify(start.params);
    await page.addInitScript({ content: sim.bridgeScript });
    await page.goto(`${shopUrl}/injected`);
    await expect(page.getByText('bridge ready')).toBeVisible();
    await page.getByRole('button', { name: 'pay in WeChat' }).click();
    await page
      .getByRole('dialog', { name: '微信支付' })
      .getByRole('button', { name: '付款 Pay ¥0.01' })
      .click();
    await expect(page.locator('#result')).toHaveText('get_brand_wcpay_request:ok');
  });

  test('a tampered paySign is refused with :fail before any dialog', async ({ page }) => {
    const bill = attempt('WX_JSAPI');
    const start = await adapter.createPayment(bill, urls());
    if (start.action !== 'jsapi') throw new Error('expected jsapi');
    jsapiParams = JSON.stringify({ ...start.params, nonceStr: 'TAMPERED' });
    await page.goto(shopUrl);
    await page.getByRole('button', { name: 'pay in WeChat' }).click();
    await expect(page.locator('#result')).toHaveText('get_brand_wcpay_request:fail');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  });
});
