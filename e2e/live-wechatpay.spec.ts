/**
 * Live WeChat Pay (API v3) through the widget, against the WeChat Pay simulator: a live app whose WX settings hold
 * a merchant API key, the APIv3 key and the WeChat Pay public key. WX_NATIVE on a desktop (QR → the simulator's
 * scan page on the payer's phone → the widget shows paid by push), WX_JSAPI inside WeChat (openid through the
 * gateway's WeChat OAuth, getBrandWCPayRequest through the simulator's WeixinJSBridge stand-in), WX_WAP on a phone
 * (H5 cashier, back to the gateway's result page). The notify books each bill and the shop gets the PAY webhook; a
 * refund through the REST API reaches the simulator and its REFUND.SUCCESS notify ends in a REFUND webhook.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wechatpayChannel } from '../gateway/channels/wechatpay/index.ts';
import { startGateway } from '../gateway/server.ts';
import { SpayClient } from '../sdk/client.ts';
import { newRefundNo } from '../sdk/rest-types.ts';
import {
  generateMerchantCredentials,
  startWechatpaySimulator,
  type MerchantCredentials,
  type WechatpaySimulator,
} from '../simulators/wechatpay/index.ts';
import { merchantPage, signedOrder } from './host-pages/merchant-page.ts';
import { PHONE_UA, PHONE_VIEWPORT, WECHAT_UA } from './host-pages/widget-fixtures.ts';
import { startMerchantOrigin, type MerchantOrigin } from './merchant-origin.ts';

const mchid = '1900000501';
const wxAppid = 'wx0501050105010501';
const appId = randomUUID();
const liveApp = {
  appId,
  appSecret: `${appId}-app-secret`,
  masterSecret: `${appId}-master-secret`,
  testSecret: `${appId}-test-secret`,
  webhookSecret: 'whsec_c3BheS1saXZlLXdlY2hhdHBheS1lMmUtc2VjcmV0',
  name: 'live WeChat Pay shop',
  mode: 'live' as const,
  channels: ['wxmp', 'wx', 'wxwap'],
  webhookUrl: '',
  liveWebhookUrl: '',
};

interface Webhook {
  transaction_type: string;
  transaction_id: string;
  channel_type: string;
  sub_channel_type: string;
  transaction_fee: number;
  channel_transaction_id: string;
}

let sim: WechatpaySimulator;
let credentials: MerchantCredentials;
let gateway: { url: string; close(): Promise<void> };
let merchant: MerchantOrigin;
let webhookServer: Server;
let dataDir: string;
const webhooks: Webhook[] = [];

const test = base;
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  sim = await startWechatpaySimulator({ notifyRetryScale: 0.001, refundDelayMs: 50 });
  const merchantKey = generateMerchantCredentials(mchid);
  credentials = sim.registerMerchant({
    mchid,
    appid: wxAppid,
    merchant_certificate: merchantKey.certificatePem,
    key_mode: 'public_key',
  });

  webhookServer = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      webhooks.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Webhook);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('success');
    });
  });
  await new Promise<void>((resolve) => webhookServer.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(webhookServer.address() as AddressInfo).port}/webhook`;

  // What the operator enters (apps CLI: channel-settings --family WX), checked and stored as the family parses it.
  const settings = wechatpayChannel.parseSettings({
    mchid,
    appid: wxAppid,
    merchant_private_key: merchantKey.privateKeyPem,
    merchant_serial_no: merchantKey.serialNo,
    apiv3_key: credentials.apiv3_key,
    wechatpay_public_key: credentials.wechatpay_public_key,
    wechatpay_public_key_id: credentials.wechatpay_public_key_id,
    app_secret: credentials.app_secret,
    api_base_url: sim.url,
    oauth_base_url: sim.url,
    sns_api_base_url: sim.url,
  });
  // The shop's origin is registered with the app: the gateway's WeChat OAuth sends payers back only there.
  merchant = await startMerchantOrigin();
  dataDir = await mkdtemp(join(tmpdir(), 'spay-live-wechatpay-'));
  gateway = await startGateway({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    seedApps: [
      {
        ...liveApp,
        liveWebhookUrl: webhookUrl,
        allowedOrigins: [new URL(merchant.url).origin],
        channelSettings: { WX: settings as unknown as Record<string, unknown> },
      },
    ],
    webhookRetryScale: 0.01,
    logger: false,
    // The simulator, the shop and its webhook all live on 127.0.0.1 in this test.
    allowPrivateTargets: true,
  });
});

test.afterAll(async () => {
  await merchant?.close();
  await gateway?.close();
  await sim?.close();
  await new Promise<void>((resolve) => (webhookServer ? webhookServer.close(() => resolve()) : resolve()));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

let pageCounter = 0;

/** The merchant's page with the button; the payer picks 微信支付 and confirms. Returns the order and REST channel. */
async function payWithWechat(page: Page, data: Record<string, unknown> = {}) {
  const order = signedOrder(liveApp, '微信测试商品', 1);
  const url = merchant.serve(`/live-wx-${pageCounter++}`, {
    html: merchantPage({ gatewayUrl: gateway.url, appId, data: { ...order, ...data } }),
  });
  await page.goto(url);
  await page.getByRole('button', { name: '点我付款' }).click();
  const dialog = page.getByRole('dialog', { name: '支付', exact: true });
  await dialog.getByText('微信支付', { exact: true }).click();
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.url().includes('/2/rest/jsbutton/')),
    dialog.getByRole('button', { name: '确认' }).click(),
  ]);
  const channel = new URL(response.url()).pathname.split('/').pop()!;
  // A redirect (WX_WAP) navigates away at once: its answer's body is gone, and the page shows where it went.
  const answer = channel === 'WX_WAP' ? {} : ((await response.json()) as Record<string, unknown>);
  return { order, channel, answer, dialog };
}

async function paidWebhook(billNo: string): Promise<Webhook> {
  await expect
    .poll(() => webhooks.some((hook) => hook.transaction_type === 'PAY' && hook.transaction_id === billNo), {
      timeout: 20_000,
    })
    .toBe(true);
  return webhooks.find((hook) => hook.transaction_type === 'PAY' && hook.transaction_id === billNo)!;
}

test('desktop: WX_NATIVE QR → the simulator’s scan page on the phone → the widget shows paid by push', async ({
  page,
}) => {
  const { order, channel, answer, dialog } = await payWithWechat(page);
  expect(channel).toBe('WX_NATIVE');
  await expect(dialog.getByRole('img', { name: '微信付款二维码' })).toBeVisible();
  const codeUrl = String(answer.code_url);
  expect(codeUrl).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);

  const sent = sim
    .requests()
    .filter((request) => request.path === '/v3/pay/transactions/native')
    .at(-1)!;
  expect(JSON.parse(sent.body)).toMatchObject({
    mchid,
    appid: wxAppid,
    amount: { total: 1, currency: 'CNY' },
    notify_url: `${gateway.url}/notify/wx/${appId}`,
  });

  // The payer scans the QR with WeChat: the simulator's scan page on another device.
  const phone = await page.context().newPage();
  await phone.goto(sim.scanUrl(codeUrl));
  await phone.getByRole('button', { name: '付款 Pay ¥0.01' }).click();
  await expect(phone.getByRole('heading', { name: '支付成功 Paid' })).toBeVisible();

  await expect(dialog.getByRole('heading', { name: '支付成功' })).toBeVisible({ timeout: 20_000 });
  const hook = await paidWebhook(order.out_trade_no);
  expect(hook).toMatchObject({ channel_type: 'WX', sub_channel_type: 'WX_NATIVE', transaction_fee: 1 });
  const paid = sim.orders().find((candidate) => candidate.transaction_id === hook.channel_transaction_id);
  expect(paid?.trade_state).toBe('SUCCESS');
  const attempts = sim.notifies().filter((attempt) => attempt.out_trade_no === paid?.out_trade_no);
  expect(attempts.map((attempt) => attempt.status)).toEqual([204]);
});

test.describe('inside WeChat', () => {
  test.use({ userAgent: WECHAT_UA, viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true });

  test('WX_JSAPI: openid by the gateway’s WeChat OAuth, getBrandWCPayRequest through the bridge stand-in', async ({
    page,
  }) => {
    await page.addInitScript({ content: sim.bridgeScript });
    // The shop has no openid yet: it sends the payer through the gateway's OAuth step and gets it back.
    const landing = merchant.serve(`/live-wx-landing-${pageCounter++}`, {
      html: '<!doctype html><title>shop</title><h1>Welcome back</h1>',
    });
    await page.goto(
      `${gateway.url}/wx/oauth/${appId}?redirect_uri=${encodeURIComponent(landing)}&state=shop-state`,
    );
    await expect(page.getByRole('heading', { name: 'Welcome back' })).toBeVisible();
    const back = new URL(page.url());
    expect(back.searchParams.get('state')).toBe('shop-state');
    const openid = back.searchParams.get('openid');
    expect(openid).toBe(credentials.payer_openid);

    const { order, channel, answer } = await payWithWechat(page, { openid });
    expect(channel).toBe('WX_JSAPI');
    expect(answer).toMatchObject({ sign_type: 'RSA', app_id: wxAppid });
    const sheet = page.getByRole('dialog', { name: '微信支付', exact: true });
    await expect(sheet).toContainText('微信测试商品');
    await sheet.getByRole('button', { name: '付款 Pay ¥0.01' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect
      .poll(() =>
        page.evaluate(() =>
          (window as unknown as { spayLog: { callback?: string }[] }).spayLog
            .map((entry) => entry.callback)
            .filter((name) => name?.startsWith('wx')),
        ),
      )
      .toEqual(['wxJsapiFinish', 'wxJsapiSuccess']);
    expect(await paidWebhook(order.out_trade_no)).toMatchObject({
      channel_type: 'WX',
      sub_channel_type: 'WX_JSAPI',
      transaction_fee: 1,
    });
  });
});

test.describe('phone', () => {
  test.use({ userAgent: PHONE_UA, viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true });

  test('WX_WAP: the H5 cashier, back to the gateway’s result page; a refund ends in a REFUND webhook', async ({
    page,
  }) => {
    const { order, channel } = await payWithWechat(page);
    expect(channel).toBe('WX_WAP');
    await expect(page.getByRole('button', { name: '付款 Pay ¥0.01' })).toBeVisible();
    expect(new URL(page.url()).origin).toBe(sim.url);
    const sent = sim
      .requests()
      .filter((request) => request.path === '/v3/pay/transactions/h5')
      .at(-1)!;
    expect(JSON.parse(sent.body).scene_info).toEqual({
      payer_client_ip: '127.0.0.1',
      h5_info: { type: 'Wap' },
    });

    await page.getByRole('button', { name: '付款 Pay ¥0.01' }).click();
    await page.waitForURL(`${gateway.url}/1/pay/jsbutton/result/**`);
    const hook = await paidWebhook(order.out_trade_no);
    expect(hook).toMatchObject({ channel_type: 'WX', sub_channel_type: 'WX_WAP', transaction_fee: 1 });
    await page.reload();
    await expect(page.getByRole('heading', { name: '支付成功' })).toBeVisible();

    const client = new SpayClient({
      appId,
      appSecret: liveApp.appSecret,
      masterSecret: liveApp.masterSecret,
      testSecret: liveApp.testSecret,
      webhookSecret: liveApp.webhookSecret,
      testMode: false,
      gatewayUrl: gateway.url,
    });
    const refundNo = newRefundNo();
    const refund = await client.refund({ refund_no: refundNo, bill_no: order.out_trade_no, refund_fee: 1 });
    expect(refund.ok, JSON.stringify(refund)).toBe(true);
    const sentRefund = sim
      .requests()
      .filter((request) => request.path === '/v3/refund/domestic/refunds')
      .at(-1)!;
    expect(JSON.parse(sentRefund.body)).toMatchObject({
      amount: { refund: 1, total: 1, currency: 'CNY' },
      notify_url: `${gateway.url}/notify/wx/${appId}`,
    });
    await expect
      .poll(
        () =>
          webhooks.some((entry) => entry.transaction_type === 'REFUND' && entry.transaction_id === refundNo),
        { timeout: 20_000 },
      )
      .toBe(true);
    expect(
      webhooks.find((entry) => entry.transaction_type === 'REFUND' && entry.transaction_id === refundNo),
    ).toMatchObject({ channel_type: 'WX', sub_channel_type: 'WX_WAP', transaction_fee: 1 });
    expect(sim.refunds().at(-1)).toMatchObject({ status: 'SUCCESS', refund: 1 });
  });
});
