/**
 * What the payer reads when a payment stops (issue 20), in Chromium with the built widget: the gateway unreachable
 * and then back (重试 pays), a channel the gateway refuses (a live-mode app without live credentials, on a second
 * gateway), and an expired bill. The dialog says what happened and what to do, in the page's language, never a
 * result code, an exception's text or (in zh-CN) an English word; the merchant's dataError gets the detail.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { startGateway } from '../gateway/server.ts';
import { merchantPage, signedOrder } from './host-pages/merchant-page.ts';
import { expect, spayLog, test } from './host-pages/widget-fixtures.ts';

type App = { appId: string; appSecret: string };
type Host = { serve(path: string, page: { html: string }): string };

let pageCounter = 0;

/** Opens a merchant page (zh-CN unless `lang`) whose button calls BC.click and clicks it. */
async function openShop(
  page: Page,
  gatewayUrl: string,
  app: App,
  host: Host,
  data: Record<string, unknown>,
  lang = 'zh-CN',
): Promise<Locator> {
  const html = merchantPage({
    gatewayUrl,
    appId: app.appId,
    data: { ...signedOrder(app), ...data },
  }).replace('<html lang="zh-CN">', `<html lang="${lang}">`);
  await page.goto(host.serve(`/payer-errors${pageCounter++}`, { html }));
  await page.getByRole('button', { name: '点我付款' }).click();
  return page.getByRole('dialog');
}

/** The dialog's visible text: no result code or exception text; in zh-CN, no English word either. */
async function expectPayerText(dialog: Locator, locale: 'zh-CN' | 'en') {
  const text = await dialog.innerText();
  expect(text).not.toMatch(/[A-Z]{2,}_[A-Z_]+|TypeError|Failed to fetch|Error/);
  if (locale === 'zh-CN') expect(text.match(/[A-Za-z]{3,}/g) ?? []).toEqual([]);
}

async function dataErrorCodes(page: Page): Promise<unknown[]> {
  return (await spayLog(page))
    .filter((entry) => entry.callback === 'dataError')
    .map((entry) => entry.value?.code);
}

test('the gateway unreachable, then back: the payer is told to retry, and 重试 pays', async ({
  page,
  stack,
  host,
}) => {
  await page.route('**/2/rest/jsbutton/**', (route) => route.abort('connectionrefused'));
  const dialog = await openShop(page, stack.gatewayUrl, stack.app, host, { instant_channel: 'ali' });
  const alert = dialog.getByRole('alert');
  await expect(alert.getByRole('heading', { name: '网络连接失败' })).toBeVisible();
  await expect(alert).toContainText('请检查网络后重试。');
  await expectPayerText(dialog, 'zh-CN');
  expect(await dataErrorCodes(page)).toEqual(['NETWORK_ERROR']);

  await page.unroute('**/2/rest/jsbutton/**');
  await alert.getByRole('button', { name: '重试' }).click();
  await page.waitForURL(`${stack.gatewayUrl}/sandbox/cashier/**`);
  await expect(page.getByRole('button', { name: '支付', exact: true })).toBeVisible();
});

test('the gateway unreachable on an English page', async ({ page, stack, host }) => {
  await page.route('**/2/rest/jsbutton/**', (route) => route.abort('connectionrefused'));
  const dialog = await openShop(page, stack.gatewayUrl, stack.app, host, { instant_channel: 'ali' }, 'en');
  const alert = dialog.getByRole('alert');
  await expect(alert.getByRole('heading', { name: 'No connection' })).toBeVisible();
  await expect(alert).toContainText('Check your connection and try again.');
  await expect(alert.getByRole('button', { name: 'Try again' })).toBeFocused();
  await expectPayerText(dialog, 'en');
});

test.describe('a channel the gateway refuses', () => {
  let refusing: { url: string; close(): Promise<void> };
  let dataDir: string;
  let liveApp: App;

  test.beforeAll(async ({ stack }) => {
    // The demo app in live mode on a gateway without live credentials: every channel is refused.
    dataDir = await mkdtemp(join(tmpdir(), 'spay-e2e-live-'));
    liveApp = { ...stack.app, appId: '5a1e0c2d-2f1b-4c39-9f0e-6f1d2b3c4d5e' };
    refusing = await startGateway({
      host: '127.0.0.1',
      // The merchant's webhook receiver is on 127.0.0.1: local development only.
      allowPrivateTargets: true,
      port: 0,
      dataDir,
      seedApps: [{ ...stack.app, ...liveApp, mode: 'live', channels: ['ali', 'wxmp', 'un'] }],
      logger: false,
    });
  });

  test.afterAll(async () => {
    await refusing?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('the payer is asked to choose another payment method', async ({ page, host }) => {
    const dialog = await openShop(page, refusing.url, liveApp, host, {});
    await dialog.getByText('银联支付', { exact: true }).click();
    await dialog.getByRole('button', { name: '确认' }).click();
    const alert = dialog.getByRole('alert');
    await expect(alert.getByRole('heading', { name: '该支付方式暂不可用' })).toBeVisible();
    await expect(alert).toContainText('请选择其他支付方式。');
    await expectPayerText(dialog, 'zh-CN');
    expect(await dataErrorCodes(page)).toEqual(['PAY_FACTOR_NOT_SET']);

    await alert.getByRole('button', { name: '选择其他支付方式' }).click();
    await expect(dialog.getByRole('radio', { name: '支付宝支付' })).toBeVisible();
  });
});

test('an expired bill: the payer is told to refresh, and 刷新 shows a new code', async ({
  page,
  stack,
  host,
}) => {
  const dialog = await openShop(page, stack.gatewayUrl, stack.app, host, {
    instant_channel: 'wxmp',
    bill_timeout: 1,
  });
  const alert = dialog.getByRole('alert');
  // The countdown reaching zero or the gateway expiring the bill first: the payer reads the same notice.
  await expect(alert.getByRole('heading', { name: '二维码已过期' })).toBeVisible();
  await expect(alert).toContainText('请刷新后重新扫码付款。');
  await expectPayerText(dialog, 'zh-CN');

  await alert.getByRole('button', { name: '刷新' }).click();
  await expect
    .poll(async () => (await spayLog(page)).filter((entry) => entry.event === 'qrshown').length)
    .toBe(2);
});
