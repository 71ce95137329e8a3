/**
 * Live UnionPay through the widget, against the UnionPay simulator (ACP 5.1.0 with its own certificate hierarchy):
 * a live app whose UN settings hold a merchant .pfx and the simulator's root and middle certificates. UN_WEB on a
 * desktop and UN_WAP on a phone: the widget posts the signed form to frontTransReq.do, the payer pays on the card
 * page, UnionPay's back notify books the bill and the merchant gets the PAY webhook; a refund through the REST API
 * is answered `processing` by backTransReq.do and finished by UnionPay's refund notify (REFUND webhook).
 */
import { test as base, expect, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unionpayChannel } from '../gateway/channels/unionpay/index.ts';
import { startGateway } from '../gateway/server.ts';
import { SpayClient } from '../sdk/client.ts';
import { newRefundNo } from '../sdk/rest-types.ts';
import {
  createMerchantCertificate,
  startUnionpaySimulator,
  type RunningUnionpaySimulator,
} from '../simulators/unionpay/index.ts';
import { merchantPage, signedOrder } from './host-pages/merchant-page.ts';
import { PHONE_UA, PHONE_VIEWPORT } from './host-pages/widget-fixtures.ts';
import { startMerchantOrigin, type MerchantOrigin } from './merchant-origin.ts';

const merId = '777290058110048';
const appId = randomUUID();
const liveApp = {
  appId,
  appSecret: `${appId}-app-secret`,
  masterSecret: `${appId}-master-secret`,
  testSecret: `${appId}-test-secret`,
  webhookSecret: 'whsec_c3BheS1saXZlLXVuaW9ucGF5LWUyZS1zZWNyZXQ=',
  name: 'live UnionPay shop',
  mode: 'live' as const,
  channels: ['un', 'unwap'],
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
  bill_no?: string;
  message_detail: Record<string, unknown>;
}

let simulator: RunningUnionpaySimulator;
let gateway: { url: string; close(): Promise<void> };
let merchant: MerchantOrigin;
let webhookServer: Server;
let dataDir: string;
const webhooks: Webhook[] = [];

const test = base;
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000); // two RSA hierarchies are made on a shared machine
  simulator = await startUnionpaySimulator({ notifyRetryScale: 0.001 });
  const certificate = createMerchantCertificate(merId, { password: 'shop-pfx-password' });
  const registration = simulator.registerMerchant(merId, certificate.certificatePem);

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

  // What the operator enters (apps CLI: channel-settings --family UN), checked and stored as the family parses it.
  const settings = unionpayChannel.parseSettings({
    mer_id: merId,
    signing_pfx: certificate.pfxBase64,
    signing_pfx_password: certificate.password,
    root_certificate: registration.root_certificate,
    middle_certificate: registration.middle_certificate,
    expected_signer_cn: registration.expected_signer_cn,
    front_url: simulator.url,
    back_url: simulator.url,
  });
  dataDir = await mkdtemp(join(tmpdir(), 'spay-live-unionpay-'));
  gateway = await startGateway({
    host: '127.0.0.1',
    // The merchant's webhook receiver is on 127.0.0.1: local development only.
    allowPrivateTargets: true,
    port: 0,
    dataDir,
    seedApps: [
      {
        ...liveApp,
        liveWebhookUrl: webhookUrl,
        channelSettings: { UN: settings as unknown as Record<string, unknown> },
      },
    ],
    webhookRetryScale: 0.01,
    logger: false,
  });
  merchant = await startMerchantOrigin();
});

test.afterAll(async () => {
  await merchant?.close();
  await gateway?.close();
  await simulator?.close();
  await new Promise<void>((resolve) => (webhookServer ? webhookServer.close(() => resolve()) : resolve()));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

let pageCounter = 0;

/** The merchant's page with the button; the payer picks 银联支付 and confirms. Returns the order and the REST channel. */
async function payWithUnionpay(page: Page) {
  const order = signedOrder(liveApp, '银联测试商品', 1);
  const url = merchant.serve(`/live-un-${pageCounter++}`, {
    html: merchantPage({ gatewayUrl: gateway.url, appId, data: { ...order } }),
  });
  await page.goto(url);
  await page.getByRole('button', { name: '点我付款' }).click();
  const dialog = page.getByRole('dialog', { name: '支付' });
  await dialog.getByText('银联支付', { exact: true }).click();
  const [request] = await Promise.all([
    page.waitForRequest((candidate) => candidate.url().includes('/2/rest/jsbutton/')),
    dialog.getByRole('button', { name: '确认' }).click(),
  ]);
  const channel = new URL(request.url()).pathname.split('/').pop()!;
  // The widget posts the signed form to UnionPay's front transaction URL: the card page.
  await expect(page.getByRole('button', { name: 'Pay ¥0.01 / 付款' })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(simulator.url);
  return { order, channel };
}

async function paidWebhook(billNo: string): Promise<Webhook> {
  await expect
    .poll(() => webhooks.some((hook) => hook.transaction_type === 'PAY' && hook.transaction_id === billNo), {
      timeout: 20_000,
    })
    .toBe(true);
  return webhooks.find((hook) => hook.transaction_type === 'PAY' && hook.transaction_id === billNo)!;
}

/** The payer presses Pay; UnionPay posts the browser back to the gateway (frontUrl) and notifies backUrl. */
async function payOnCardPage(page: Page, billNo: string) {
  await page.getByRole('button', { name: 'Pay ¥0.01 / 付款' }).click();
  await page.waitForURL(`${gateway.url}/1/pay/jsbutton/result/**`);
  const hook = await paidWebhook(billNo);
  const order = simulator.orders().find((candidate) => candidate.queryId === hook.channel_transaction_id);
  expect(order?.state).toBe('paid');
  // The result page is the gateway's (the posted front fields are never proof): once booked it says so.
  await page.reload();
  await expect(page.getByRole('heading', { name: '支付成功' })).toBeVisible();
  return hook;
}

test('desktop: UN_WEB through the widget, the back notify books it, the PAY webhook reaches the shop', async ({
  page,
}) => {
  const { order, channel } = await payWithUnionpay(page);
  expect(channel).toBe('UN_WEB');
  const front = simulator
    .requests()
    .filter((request) => request.path === '/gateway/api/frontTransReq.do')
    .at(-1)!;
  expect(front.fields).toMatchObject({
    channelType: '07',
    txnAmt: '1',
    merId,
    bizType: '000201',
    currencyCode: '156',
  });
  expect(front.fields.backUrl).toBe(`${gateway.url}/notify/un/${appId}`);
  const hook = await payOnCardPage(page, order.out_trade_no);
  expect(hook).toMatchObject({ channel_type: 'UN', sub_channel_type: 'UN_WEB', transaction_fee: 1 });
  const notifies = simulator.notifies().filter((attempt) => attempt.orderId === front.fields.orderId);
  expect(notifies.map((attempt) => [attempt.status, attempt.answer])).toEqual([[200, 'ok']]);
});

test.describe('phone', () => {
  test.use({ userAgent: PHONE_UA, viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true });

  test('UN_WAP through the widget is booked by the notify; a refund is finished by the refund notify (REFUND webhook)', async ({
    page,
  }) => {
    const { order, channel } = await payWithUnionpay(page);
    expect(channel).toBe('UN_WAP');
    await expect(page.getByText('手机网页支付')).toBeVisible();
    const hook = await payOnCardPage(page, order.out_trade_no);
    expect(hook).toMatchObject({ channel_type: 'UN', sub_channel_type: 'UN_WAP', transaction_fee: 1 });

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
    const backTrans = simulator
      .requests()
      .filter((request) => request.path === '/gateway/api/backTransReq.do')
      .at(-1)!;
    expect(backTrans.fields).toMatchObject({
      txnType: '04',
      txnAmt: '1',
      origQryId: hook.channel_transaction_id,
    });
    await expect
      .poll(
        () =>
          webhooks.some((entry) => entry.transaction_type === 'REFUND' && entry.transaction_id === refundNo),
        { timeout: 20_000 },
      )
      .toBe(true);
    const refundHook = webhooks.find(
      (entry) => entry.transaction_type === 'REFUND' && entry.transaction_id === refundNo,
    )!;
    expect(refundHook).toMatchObject({ channel_type: 'UN', sub_channel_type: 'UN_WAP', transaction_fee: 1 });
    const refunds = await client.refunds({ bill_no: order.out_trade_no });
    expect(
      refunds.ok && refunds.refunds.map((entry) => [entry.refund_no, entry.refund_fee, entry.result]),
    ).toEqual([[refundNo, 1, true]]);
  });
});
