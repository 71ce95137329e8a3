/**
 * The merchant console on a phone viewport, in Chinese: sign in, the menu toggle, reorder the button's channels
 * with the keyboard and save, a paid bill and its full refund; axe on each page.
 */
import { buttonOrderSign } from '../sdk/sign.ts';
import { expect, expectAccessible, signIn, test } from './console-fixtures.ts';

test.use({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test('sign in, reorder channels and refund a bill on a phone', async ({ page, consoleStack: stack }) => {
  test.setTimeout(120_000);
  // A paid sandbox bill of the demo app, made through the REST API as a merchant server would.
  const outTradeNo = `phone${Date.now()}`;
  const created = await (
    await fetch(`${stack.gatewayUrl}/2/rest/jsbutton/ALI_WAP`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        appId: stack.app.appId,
        title: 'phone',
        amount: 3,
        out_trade_no: outTradeNo,
        sign: buttonOrderSign(stack.app.appId, 'phone', 3, outTradeNo, stack.app.appSecret),
      }),
    })
  ).json();
  expect(created.resultCode).toBe(0);
  // The payer pays on the sandbox cashier.
  await page.goto(created.url);
  await Promise.all([
    page.waitForResponse(
      (response) =>
        response.request().method() === 'POST' &&
        /\/sandbox\/cashier\/.+\/pay$/.test(new URL(response.url()).pathname),
    ),
    page.getByRole('button', { name: '支付', exact: true }).click(),
  ]);

  await page.goto(`${stack.gatewayUrl}/console/`);
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await expectAccessible(page, 'sign-in (phone)');
  await signIn(page, stack);

  await page.getByLabel('应用').selectOption(stack.app.appId);
  const menu = page.getByRole('button', { name: '菜单' });
  const nav = page.locator('#console-nav');
  await expect(nav.getByRole('link', { name: '订单' })).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await nav.getByRole('link', { name: '秒支付按钮' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '秒支付按钮' })).toBeVisible();
  const list = page.locator('.channel-list');
  const second = await list.locator('li').nth(1).getAttribute('data-code');
  await list.locator('li').nth(1).focus();
  await page.keyboard.press('Alt+ArrowUp');
  await expect(list.locator('li').first()).toHaveAttribute('data-code', second!);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存。' })).toBeVisible();
  await expectAccessible(page, 'button (phone)');

  await menu.click();
  await nav.getByRole('link', { name: '订单' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '订单' })).toBeVisible();
  await expectAccessible(page, 'bills (phone)');
  await page.getByLabel('订单号').fill(outTradeNo);
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByRole('link', { name: outTradeNo }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(outTradeNo);
  await expect(page.locator('.summary .badge-paid')).toBeVisible();
  await expectAccessible(page, 'bill (phone)');
  // A full refund (the amount field starts at what is left).
  await expect(page.getByLabel('退款金额（元）')).toHaveValue('0.03');
  await page.getByRole('button', { name: '退款', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /已发起退款/ })).toBeVisible();
  await expect(page.getByText('已全额退款。')).toBeVisible();
});
