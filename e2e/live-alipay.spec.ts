/**
 * Live mode on Alipay, end to end in Chromium, against the Alipay simulator (simulators/alipay): a live app whose
 * Alipay settings point at the simulator; the demo shop's product page; ALI_WEB on desktop, ALI_WAP on a phone,
 * ALI_QRCODE through the widget's QR panel; the payer pays on the simulator's pages, lands on return_url, the
 * shop's webhook books the order; then the shop's refund button (REST refund) reaches the simulator and the REFUND
 * webhook marks the order refunded. This file starts its own simulator, gateway and demo shop (127.0.0.1, free
 * ports, a temporary data directory).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startDemoServer } from '../demo-server/server.ts';
import { alipayChannel } from '../gateway/channels/alipay/index.ts';
import { plainHttp } from '../gateway/channels/testing/plain-http.ts';
import { startGateway } from '../gateway/server.ts';
import { startAlipaySimulator, type AlipaySimulatorHandle } from '../simulators/alipay/index.ts';
import { PHONE_UA, PHONE_VIEWPORT } from './host-pages/widget-fixtures.ts';
import { freePort, readDemoApp } from './stack.ts';

let simulator: AlipaySimulatorHandle;
let gateway: { url: string; close(): Promise<void> };
let demo: { url: string; close(): Promise<void> };
let dataDir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'spay-live-alipay-'));
  simulator = await startAlipaySimulator({ notifyRetryScale: 0.01 });
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const merchant = await simulator.registerMerchant({ app_public_key: keys.publicKey });
  // What `npm run app -- channel-settings APP_ID --family ALI --file ali.json` stores.
  const settings = alipayChannel.parseSettings({
    app_id: merchant.app_id,
    app_private_key: keys.privateKey,
    alipay_public_key: merchant.alipay_public_key,
    seller_id: merchant.seller_id,
    gateway_url: simulator.gatewayUrl,
  });
  const demoPort = await freePort();
  const app = {
    ...(await readDemoApp()),
    mode: 'live' as const,
    channels: ['ali', 'aliqr'],
    webhookUrl: `http://127.0.0.1:${demoPort}/webhook`,
    liveWebhookUrl: `http://127.0.0.1:${demoPort}/webhook`,
    // The shop of this test runs on its own port: the app's registered origin (bill creation is refused elsewhere).
    allowedOrigins: [`http://127.0.0.1:${demoPort}`],
    channelSettings: { ALI: settings as unknown as Record<string, unknown> },
  };
  gateway = await startGateway({
    host: '127.0.0.1',
    // The merchant's webhook receiver is on 127.0.0.1: local development only.
    allowPrivateTargets: true,
    port: 0,
    dataDir,
    seedApps: [app],
    webhookRetryScale: 0.01,
    logger: false,
    // node:http: fetch refuses some ports a free-port simulator can land on.
    channelHttp: plainHttp,
  });
  demo = await startDemoServer({ host: '127.0.0.1', port: demoPort, dataDir, gatewayUrl: gateway.url, app });
});

test.afterAll(async () => {
  await demo?.close();
  await gateway?.close();
  await simulator?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Opens the shop's product page and the owner's orders page; answers the order number and its row. */
async function openShop(page: Page) {
  await page.goto(`${demo.url}/`);
  const outTradeNo = (await page.locator('.order-no code').textContent())?.trim() ?? '';
  expect(outTradeNo).toMatch(/^[A-Za-z0-9]{32}$/);
  const orders = await page.context().newPage();
  await orders.goto(`${demo.url}/orders`);
  const row = orders.locator(`#order-${outTradeNo}`);
  await expect(row).toHaveAttribute('data-status', 'created');
  return { outTradeNo, orders, row };
}

async function pickChannel(page: Page, code: string) {
  await page.getByRole('button', { name: '点我付款' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.locator(`label:has(input[value="${code}"])`).click();
  await dialog.getByRole('button', { name: '确认' }).click();
  return dialog;
}

test('ALI_WEB on desktop: the simulator cashier, return_url, the webhook books it; the refund reaches Alipay', async ({
  page,
}) => {
  const { outTradeNo, orders, row } = await openShop(page);
  await pickChannel(page, 'ali');

  // The signed form went to the simulator's gateway.do, which showed its cashier.
  await page.waitForURL(`${simulator.url}/cashier/**`);
  await expect(page.getByText('¥0.01').first()).toBeVisible();
  const sent = (await simulator.requests()).filter((r) => r.method === 'alipay.trade.page.pay').at(-1)!;
  expect(sent).toMatchObject({ http_method: 'POST', code: '10000' });
  await page.getByRole('button', { name: 'Pay ¥0.01 / 付款' }).click();

  // Alipay's return_url is the gateway's result route, which sends the payer on to the shop's return_url.
  await page.waitForURL(`${demo.url}/payresult?**`);
  await expect(page.locator('[data-parameter="bill_no"]')).toHaveText(outTradeNo);
  await expect(page.locator('[data-parameter="sub_channel"]')).toHaveText('ALI_WEB');

  // The notify booked it; the PAY webhook reached the shop.
  await expect(row).toHaveAttribute('data-status', 'paid');
  await expect(row).toContainText('ALI_WEB');

  // The shop's refund (REST refund with the master secret) is an alipay.trade.refund at the simulator.
  await row.getByRole('button', { name: '退款 ¥0.01' }).click();
  await orders.waitForURL(`${demo.url}/orders#order-${outTradeNo}`);
  await expect(orders.locator(`#order-${outTradeNo}`)).toHaveAttribute('data-status', 'refunded');
  const atAlipay = (await simulator.orders()).find(
    (o) => o.method === 'alipay.trade.page.pay' && o.status !== 'WAIT_BUYER_PAY' && o.refunds.length > 0,
  );
  expect(atAlipay?.refunds.map((r) => r.refund_fee)).toEqual([1]);
  expect(atAlipay?.status).toBe('TRADE_CLOSED');
});

test('ALI_QRCODE on desktop: the widget QR panel; the payer scans and pays; the panel turns paid', async ({
  page,
}) => {
  const { row } = await openShop(page);
  const dialog = await pickChannel(page, 'aliqr');
  await expect(dialog.getByRole('img')).toBeVisible();
  const precreated = (await simulator.orders()).filter((o) => o.method === 'alipay.trade.precreate').at(-1)!;
  const codeUrl = String(precreated.qr_code);
  expect(codeUrl).toMatch(new RegExp(`^${simulator.url}/scan/`));

  const success = expect(dialog.getByRole('heading', { name: '支付成功' })).toBeVisible({ timeout: 20_000 });
  const phone = await page.context().newPage();
  await phone.goto(codeUrl);
  await phone.getByRole('button', { name: /^Pay ¥0\.01/ }).click();
  await expect(phone.getByText('支付成功').first()).toBeVisible();
  await phone.close();
  await success;
  await page.waitForURL(`${demo.url}/payresult?**`);
  await expect(page.locator('[data-parameter="sub_channel"]')).toHaveText('ALI_QRCODE');
  await expect(row).toHaveAttribute('data-status', 'paid');
});

test.describe('phone', () => {
  test.use({ userAgent: PHONE_UA, viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true });

  test('ALI_WAP on a phone: the signed GET URL, the phone cashier, return_url, booked by the webhook', async ({
    page,
  }) => {
    const { outTradeNo, row } = await openShop(page);
    await pickChannel(page, 'ali');
    await page.waitForURL(`${simulator.url}/cashier/**`);
    const sent = (await simulator.requests()).filter((r) => r.method === 'alipay.trade.wap.pay').at(-1)!;
    expect(sent.http_method).toBe('GET');
    expect(sent.biz_content).toMatchObject({ product_code: 'QUICK_WAP_WAY', total_amount: '0.01' });
    await page.getByRole('button', { name: 'Pay ¥0.01 / 付款' }).click();
    await page.waitForURL(`${demo.url}/payresult?**`);
    await expect(page.locator('[data-parameter="bill_no"]')).toHaveText(outTradeNo);
    await expect(page.locator('[data-parameter="sub_channel"]')).toHaveText('ALI_WAP');
    await expect(row).toHaveAttribute('data-status', 'paid');
  });
});
