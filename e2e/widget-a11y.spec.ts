/**
 * axe-core scans (WCAG 2.x A/AA rules) of every state a payer can see: the menu, the QR panel, an error, the
 * paid and expired states, and the gateway's Alipay guide page inside WeChat. None may have a violation.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { merchantPage, signedOrder } from './host-pages/merchant-page.ts';
import { expect, PHONE_VIEWPORT, test, WECHAT_UA } from './host-pages/widget-fixtures.ts';

type Stack = { gatewayUrl: string; app: { appId: string; appSecret: string } };
type Host = { url: string; serve(path: string, page: { html: string }): string };

let pageCounter = 0;

// Scan the settled dialog, not a frame of its fade-in (contrast is computed with the current opacity).
test.use({ reducedMotion: 'reduce' });

async function open(page: Page, stack: Stack, host: Host, data: Record<string, unknown> = {}) {
  const url = host.serve(`/a11y${pageCounter++}`, {
    html: merchantPage({
      gatewayUrl: stack.gatewayUrl,
      appId: stack.app.appId,
      data: { ...signedOrder(stack.app), ...data },
    }),
  });
  await page.goto(url);
  await page.getByRole('button', { name: '点我付款' }).click();
  return page.getByRole('dialog', { name: '支付' });
}

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  expect(
    results.violations.map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

test('the channel menu', async ({ page, stack, host }) => {
  const dialog = await open(page, stack, host);
  await expect(dialog.getByRole('radio').first()).toBeVisible();
  await expectNoViolations(page);
});

test('the channel menu in dark mode', async ({ page, stack, host }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  const dialog = await open(page, stack, host);
  await expect(dialog.getByRole('radio').first()).toBeVisible();
  await expectNoViolations(page);
});

test('the QR panel', async ({ page, stack, host }) => {
  const dialog = await open(page, stack, host);
  await dialog.getByText('微信支付', { exact: true }).click();
  await dialog.getByRole('button', { name: '确认' }).click();
  await expect(dialog.getByRole('img', { name: '微信付款二维码' })).toBeVisible();
  await dialog.getByRole('button', { name: '复制付款链接' }).click();
  await expect(dialog.getByRole('textbox', { name: '付款链接' })).toBeVisible();
  await expectNoViolations(page);
});

test('the expired state', async ({ page, stack, host }) => {
  const dialog = await open(page, stack, host, { instant_channel: 'wxmp', bill_timeout: 1 });
  await expect(dialog.getByRole('heading', { name: '二维码已过期' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: '刷新' })).toBeFocused();
  await expectNoViolations(page);
});

test('the error state', async ({ page, stack, host }) => {
  const order = signedOrder(stack.app);
  const dialog = await open(page, stack, host, {
    sign: order.sign.replace(/^./, order.sign[0] === 'a' ? 'b' : 'a'),
    instant_channel: 'un',
  });
  // The payer is sent to the shop; the wrong sign is the merchant's to read (dataError, the console).
  await expect(dialog.getByRole('alert')).toContainText('请联系商户');
  await expect(dialog.getByRole('button', { name: '关闭' }).last()).toBeFocused();
  await expectNoViolations(page);
});

test.describe('inside WeChat', () => {
  test.use({ userAgent: WECHAT_UA, viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true });

  test("the gateway's Alipay guide page", async ({ page, stack, host }) => {
    await open(page, stack, host, { instant_channel: 'ali' });
    await page.waitForURL(`${stack.gatewayUrl}/1/pay/jsbutton/guide/**`);
    await expect(page.getByText('浏览器中打开').first()).toBeVisible();
    await expectNoViolations(page);
  });
});
