/**
 * WeChat's QR payment (wxmp) in the built widget: the QR chunk loads, the code is drawn in the browser, the payer
 * "scans" it (opens code_url in a second page, the sandbox's phone page) and approves; the widget hears it
 * (server-sent events, or polling when the stream is blocked), shows success and goes to return_url. Expiry:
 * a bill with a short bill_timeout expires, "刷新" asks the gateway for a new code.
 */
import type { Page } from '@playwright/test';
import { merchantPage, signedOrder } from './host-pages/merchant-page.ts';
import { readmeScreenshot } from './readme-screenshots.ts';
import { expect, PHONE_UA, PHONE_VIEWPORT, spayLog, test } from './host-pages/widget-fixtures.ts';

type Stack = { gatewayUrl: string; app: { appId: string; appSecret: string } };
type Host = { url: string; serve(path: string, page: { html: string }): string };

let pageCounter = 0;

async function openQr(
  page: Page,
  stack: Stack,
  host: Host,
  extra: Record<string, unknown> = {},
  { codeStaysVisible = true } = {},
) {
  const order = signedOrder(stack.app, '扫码商品', 123);
  const returnUrl = host.serve('/qr-done', { html: '<!doctype html><title>done</title><h1>Thank you</h1>' });
  const url = host.serve(`/qr-shop${pageCounter++}`, {
    html: merchantPage({
      gatewayUrl: stack.gatewayUrl,
      appId: stack.app.appId,
      data: { ...order, return_url: returnUrl, ...extra },
    }),
  });
  await page.goto(url);
  await page.getByRole('button', { name: '点我付款' }).click();
  const dialog = page.getByRole('dialog', { name: '支付' });
  await dialog.getByText('微信支付', { exact: true }).click();
  await dialog.getByRole('button', { name: '确认' }).click();
  // A code that lives two seconds may be gone before a slow machine's next look: then the qrshown event is the state.
  if (codeStaysVisible) await expect(dialog.getByRole('img', { name: '微信付款二维码' })).toBeVisible();
  const shownEvent = async () => (await spayLog(page)).find((entry) => entry.event === 'qrshown');
  await expect.poll(shownEvent).toBeDefined();
  const shown = await shownEvent();
  return { order, returnUrl, dialog, codeUrl: String(shown!.detail!.code_url) };
}

/** The payer's phone: opens the QR's URL and approves on the sandbox's WeChat page. */
async function approveOnPhone(page: Page, codeUrl: string) {
  const phone = await page.context().newPage();
  await phone.goto(codeUrl);
  await phone.getByRole('button', { name: '确认支付' }).click();
  await expect(phone.getByText('已支付').first()).toBeVisible();
  await phone.close();
}

test('the QR panel reaches paid and returns to return_url with the result parameters', async ({
  page,
  stack,
  host,
}) => {
  const chunkRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/1/pay/jsbutton/assets/')) chunkRequests.push(request.url());
  });
  const { order, returnUrl, dialog, codeUrl } = await openQr(page, stack, host);
  expect(chunkRequests).toEqual([`${stack.gatewayUrl}/1/pay/jsbutton/assets/spay-qr.js`]);
  expect(codeUrl).toMatch(new RegExp(`^${stack.gatewayUrl}/sandbox/wx/scan/`));
  await expect(dialog.getByRole('heading', { name: '微信扫码付款' })).toBeVisible();
  await expect(dialog.getByText('¥1.23', { exact: true })).toBeVisible();
  await expect(dialog.getByText('请使用微信扫码付款')).toBeVisible();
  await expect(dialog.getByRole('timer')).toContainText(/剩余 1[12]\d:\d\d/);

  // The success state shows for a moment before return_url: watch for it from before the payer approves.
  const success = expect(dialog.getByRole('heading', { name: '支付成功' })).toBeVisible({ timeout: 15_000 });
  await approveOnPhone(page, codeUrl);
  await success;
  await page.waitForURL(`${returnUrl}?**`);
  const result = new URL(page.url()).searchParams;
  expect(result.get('bill_no')).toBe(order.out_trade_no);
  expect(result.get('total_fee')).toBe('123');
  expect(result.get('sub_channel')).toBe('WX_NATIVE');
  expect(result.get('spay_result')).toBe('true');
  expect(result.get('title')).toBe('扫码商品');
});

test('without the event stream, polling notices the payment', async ({ page, stack, host }) => {
  await page.route('**/2/rest/bill_public/*/events', (route) => route.abort());
  const polls: string[] = [];
  page.on('request', (request) => {
    if (/\/2\/rest\/bill_public\/[^/]+$/.test(new URL(request.url()).pathname)) polls.push(request.url());
  });
  const { dialog, codeUrl } = await openQr(page, stack, host);
  await expect.poll(() => polls.length).toBeGreaterThan(0);
  const success = expect(dialog.getByRole('heading', { name: '支付成功' })).toBeVisible({ timeout: 15_000 });
  await approveOnPhone(page, codeUrl);
  await success;
});

test('closing the QR panel stops all network activity', async ({ page, stack, host }) => {
  // Every fetch and EventSource the page starts is counted in the page itself, as it is called.
  await page.addInitScript(() => {
    const calls: string[] = [];
    (window as unknown as { __networkCalls: string[] }).__networkCalls = calls;
    const fetchBefore = window.fetch.bind(window);
    window.fetch = (input, init) => {
      calls.push(`fetch ${String(input instanceof Request ? input.url : input)}`);
      return fetchBefore(input, init);
    };
    const EventSourceBefore = window.EventSource;
    window.EventSource = class extends EventSourceBefore {
      constructor(url: string | URL, init?: EventSourceInit) {
        calls.push(`EventSource ${String(url)}`);
        super(url, init);
      }
    };
  });
  // The page's clock is the test's: after closing, every timer the widget could have left is run at once.
  await page.clock.install();
  await page.route('**/2/rest/bill_public/*/events', (route) => route.abort());
  const { dialog } = await openQr(page, stack, host);
  const networkCalls = () =>
    page.evaluate(() => [...(window as unknown as { __networkCalls: string[] }).__networkCalls]);
  await expect
    .poll(async () => (await networkCalls()).some((call) => call.includes('/bill_public/')))
    .toBe(true);
  await dialog.getByRole('button', { name: '关闭' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const before = await networkCalls();
  await page.clock.runFor(30 * 60_000);
  expect(await networkCalls()).toEqual(before);
});

test('the bill expires: expired state, then 刷新 shows a new code', async ({ page, stack, host }) => {
  const { dialog, codeUrl } = await openQr(
    page,
    stack,
    host,
    { bill_timeout: 2 },
    { codeStaysVisible: false },
  );
  await expect(dialog.getByRole('heading', { name: '二维码已过期' })).toBeVisible();
  await expect(dialog.getByRole('status')).toHaveText('二维码已过期 请刷新后重新扫码付款。');
  expect((await spayLog(page)).some((entry) => entry.event === 'expired')).toBe(true);
  await dialog.getByRole('button', { name: '刷新' }).click();
  await expect
    .poll(async () =>
      (await spayLog(page))
        .filter((entry) => entry.event === 'qrshown')
        .map((entry) => entry.detail!.code_url),
    )
    .toHaveLength(2);
  const codes = (await spayLog(page))
    .filter((entry) => entry.event === 'qrshown')
    .map((entry) => entry.detail!.code_url);
  expect(codes[1]).not.toBe(codeUrl);
  // The old code's page says the bill expired: the payer cannot pay it any more.
  const phone = await page.context().newPage();
  await phone.goto(codeUrl);
  await expect(phone.getByText('订单已过期').first()).toBeVisible();
  await phone.close();
});

test('copy link shows the payment link for the payer to copy', async ({ page, stack, host }) => {
  const { dialog, codeUrl } = await openQr(page, stack, host);
  await dialog.getByRole('button', { name: '复制付款链接' }).click();
  await expect(dialog.getByRole('textbox', { name: '付款链接' })).toHaveValue(codeUrl);
});

/** The README's pictures: compared with docs/screenshots, or refreshed there (e2e/readme-screenshots.ts). */
test.describe('screenshots for the README', () => {
  test('desktop menu and QR panel', async ({ page, stack, host }) => {
    const url = host.serve(`/shot${pageCounter++}`, {
      html: merchantPage({
        gatewayUrl: stack.gatewayUrl,
        appId: stack.app.appId,
        data: { ...signedOrder(stack.app, '演示商品', 1999) },
      }),
    });
    await page.goto(url);
    await page.getByRole('button', { name: '点我付款' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await readmeScreenshot(page, 'menu-desktop.png');
    await page.getByRole('button', { name: '确认' }).focus();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('微信支付', { exact: true }).click();
    await dialog.getByRole('button', { name: '确认' }).click();
    const code = dialog.getByRole('img', { name: '微信付款二维码' });
    await expect(code).toBeVisible();
    await readmeScreenshot(page, 'qr-desktop.png', [code, dialog.getByText(/^剩余/)]);
  });

  test.describe('phone', () => {
    test.use({ userAgent: PHONE_UA, viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true });
    test('phone menu and QR panel', async ({ page, stack, host }) => {
      const url = host.serve(`/shot${pageCounter++}`, {
        html: merchantPage({
          gatewayUrl: stack.gatewayUrl,
          appId: stack.app.appId,
          data: { ...signedOrder(stack.app, '演示商品', 1999) },
        }),
      });
      await page.goto(url);
      await page.getByRole('button', { name: '点我付款' }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
      await readmeScreenshot(page, 'menu-phone.png');
      const dialog = page.getByRole('dialog');
      await dialog.getByText('微信支付', { exact: true }).click();
      await dialog.getByRole('button', { name: '确认' }).click();
      const code = dialog.getByRole('img', { name: '微信付款二维码' });
      await expect(code).toBeVisible();
      await readmeScreenshot(page, 'qr-phone.png', [code, dialog.getByText(/^剩余/)]);
    });
  });
});
