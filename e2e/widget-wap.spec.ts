/**
 * The phone-only channels (wxwap → WX_WAP, unwap → UN_WAP) need an app that enables them: this file starts its
 * own gateway (127.0.0.1, a free port, a temporary data directory, stopped at the end) with such an app.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from '../gateway/server.ts';
import { merchantPage, signedOrder } from './host-pages/merchant-page.ts';
import { expect, PHONE_UA, PHONE_VIEWPORT, test } from './host-pages/widget-fixtures.ts';

const appId = randomUUID();
const wapApp = {
  appId,
  appSecret: `${appId}-app-secret`,
  masterSecret: `${appId}-master-secret`,
  testSecret: `${appId}-test-secret`,
  webhookSecret: 'whsec_c3BheS13aWRnZXQtd2FwLXRlc3Qtc2VjcmV0',
  name: 'wap shop',
  mode: 'test' as const,
  channels: ['ali', 'wxmp', 'wxwap', 'un', 'unwap'],
  webhookUrl: 'http://127.0.0.1:9/webhook',
  liveWebhookUrl: '',
};

let gateway: { url: string; close(): Promise<void> };
let dataDir: string;

test.beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'spay-widget-wap-'));
  gateway = await startGateway({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    seedApps: [wapApp],
    logger: false,
    allowPrivateTargets: true,
  });
});

test.afterAll(async () => {
  await gateway?.close();
  await rm(dataDir, { recursive: true, force: true });
});

let pageCounter = 0;

test.describe('phone', () => {
  test.use({ userAgent: PHONE_UA, viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true });

  for (const [label, restChannel] of [
    ['微信支付', 'WX_WAP'],
    ['银联支付', 'UN_WAP'],
  ] as const) {
    test(`${label} → ${restChannel} → the sandbox cashier`, async ({ page, host }) => {
      const url = host.serve(`/wap${pageCounter++}`, {
        html: merchantPage({ gatewayUrl: gateway.url, appId, data: { ...signedOrder(wapApp) } }),
      });
      await page.goto(url);
      await page.getByRole('button', { name: '点我付款' }).click();
      const dialog = page.getByRole('dialog', { name: '支付' });
      const codes = await dialog
        .getByRole('radio')
        .evaluateAll((radios) => radios.map((radio) => (radio as HTMLInputElement).value));
      expect(codes).toEqual(['ali', 'wxwap', 'unwap']);
      await dialog.getByText(label, { exact: true }).click();
      const [request] = await Promise.all([
        page.waitForRequest((request) => request.url().includes('/2/rest/jsbutton/')),
        dialog.getByRole('button', { name: '确认' }).click(),
      ]);
      expect(new URL(request.url()).pathname).toBe(`/2/rest/jsbutton/${restChannel}`);
      await page.waitForURL(`${gateway.url}/sandbox/cashier/**`);
      await expect(page.getByRole('button', { name: '支付', exact: true })).toBeVisible();
    });
  }
});

test('desktop hides wxwap and unwap', async ({ page, host }) => {
  const url = host.serve(`/wap${pageCounter++}`, {
    html: merchantPage({ gatewayUrl: gateway.url, appId, data: { ...signedOrder(wapApp) } }),
  });
  await page.goto(url);
  await page.getByRole('button', { name: '点我付款' }).click();
  const codes = await page
    .getByRole('dialog', { name: '支付' })
    .getByRole('radio')
    .evaluateAll((radios) => radios.map((radio) => (radio as HTMLInputElement).value));
  expect(codes).toEqual(['ali', 'wxmp', 'un']);
});
