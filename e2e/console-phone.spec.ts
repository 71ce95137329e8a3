/**
 * Issue 14's whole console flow on a phone viewport (390×844, touch), in Chinese, with axe on every page: sign in,
 * create an app, enable channels and reorder them with the keyboard and the move buttons, copy the script tag into a
 * merchant page that then shows that menu order on the phone, pay in the sandbox, see the bill and its webhook,
 * refund it, approve a pre-refund, resend a webhook, rotate a secret; the audit log and the dashboard list it all.
 * Every section is reached through the phone's menu toggle.
 */
import type { Page } from '@playwright/test';
import { merchantPage, scriptTag, signedOrder } from './host-pages/merchant-page.ts';
import { expect, expectAccessible, signIn, test, type ConsoleStack } from './console-fixtures.ts';

test.use({
  locale: 'zh-CN',
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  // A phone's browser, as the widget on the merchant page tells phones from desktops (ALI_WAP, not ALI_WEB).
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  permissions: ['clipboard-read', 'clipboard-write'],
});

/** Opens a section through the phone's menu (the navigation is folded away on a phone). */
async function openSection(page: Page, name: string) {
  const menu = page.getByRole('button', { name: '菜单' });
  const nav = page.locator('#console-nav');
  await expect(nav.getByRole('link', { name, exact: true })).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await nav.getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
  // The menu folds again once a section is chosen.
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
}

/** Nothing on the page is wider than the phone's screen (no sideways scrolling of the whole page). */
async function expectNoSidewaysScroll(page: Page, label: string) {
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    // The innermost elements reaching past the screen's edge, outside any scrolling box.
    const inScroller = (element: Element) => {
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (style.overflowX === 'auto' || style.overflowX === 'scroll' || style.overflowX === 'hidden')
          return true;
      }
      return false;
    };
    return [...document.body.querySelectorAll('*')]
      .filter((element) => element.getBoundingClientRect().right > width + 0.5 && !inScroller(element))
      .filter(
        (element) =>
          ![...element.children].some((child) => child.getBoundingClientRect().right > width + 0.5),
      )
      .slice(0, 5)
      .map(
        (element) =>
          `${element.tagName.toLowerCase()}.${element.className} (${element.textContent?.slice(0, 40)})`,
      );
  });
  expect(overflow, `${label}: wider than the screen`).toEqual([]);
}

/** The payer pays ¥0.02 with Alipay on the phone, on a merchant page carrying the console's script tag. */
async function payOnMerchantPage(
  page: Page,
  stack: ConsoleStack,
  app: { appId: string; appSecret: string },
  tag: string,
) {
  const order = signedOrder(app, '手机订单', 2);
  const returnUrl = stack.merchant.serve('/phone-done', {
    html: '<!doctype html><title>done</title><h1>谢谢</h1>',
  });
  const generated = merchantPage({
    gatewayUrl: stack.gatewayUrl,
    appId: app.appId,
    data: { ...order, return_url: returnUrl },
  });
  const html = generated.replace(scriptTag(stack.gatewayUrl, app.appId), tag);
  expect(html).not.toBe(generated);
  await page.goto(stack.merchant.serve('/phone-shop', { html }));
  await page.getByRole('button', { name: '点我付款' }).click();
  const menu = page.getByRole('dialog');
  await expect(menu.getByRole('radio').first()).toBeVisible();
  const shown = await menu
    .getByRole('radio')
    .evaluateAll((radios) => radios.map((radio) => (radio as HTMLInputElement).value));
  await menu.getByText('支付宝支付').click();
  await menu.getByRole('button', { name: '确认' }).click();
  await page.waitForURL(`${stack.gatewayUrl}/sandbox/cashier/**`);
  await page.getByRole('button', { name: '支付', exact: true }).click();
  await page.waitForURL(`${returnUrl}?**`);
  return { menuOrder: shown, outTradeNo: order.out_trade_no };
}

test('the whole console on a phone: app, button, payment, bill, refunds, webhooks, secrets', async ({
  page,
  context,
  consoleStack: stack,
}) => {
  test.setTimeout(480_000);
  await page.goto(`${stack.gatewayUrl}/console/`);
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await expectAccessible(page, 'sign-in (phone)');
  await expectNoSidewaysScroll(page, 'sign-in');
  await signIn(page, stack);

  // Create an app: its secrets are shown once.
  await openSection(page, '应用');
  const create = page.locator('section', { has: page.getByRole('heading', { name: '创建应用' }) });
  await create.getByLabel('名称').fill('手机商店');
  await create.getByLabel('Webhook 地址（测试）').fill(stack.webhookUrl);
  await create.getByLabel(/允许的来源/).fill(stack.merchant.url);
  await create.getByRole('button', { name: '创建应用' }).click();
  const once = page.locator('.secrets-once');
  await expect(once).toContainText('只显示一次');
  const appSecret = (await once.locator('[data-secret="appSecret"]').textContent())!.trim();
  const appId = (await page.locator('[data-app-id]').textContent())!.trim();
  expect(appId).not.toBe(stack.app.appId);
  await expectAccessible(page, 'apps (phone)');
  await expectNoSidewaysScroll(page, 'apps');
  await once.getByRole('button', { name: '我已保存' }).click();
  await expect(once).toHaveCount(0);

  // The button: UnionPay, Alipay and WeChat Pay on, in that order — by keyboard (Alt+↑) and the move buttons.
  await openSection(page, '秒支付按钮');
  const list = page.locator('.channel-list');
  const wanted = ['un', 'ali', 'wxmp'];
  for (const code of await list
    .locator('li')
    .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.code!))) {
    const toggle = list.locator(`li[data-code="${code}"]`).getByRole('switch');
    if (wanted.includes(code)) await toggle.check();
    else await toggle.uncheck();
  }
  const codeAt = (index: number) => list.locator('li').nth(index).getAttribute('data-code');
  for (let moves = 0; (await codeAt(0)) !== 'un' && moves < 10; moves++) {
    await list.locator('li[data-code="un"]').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect(page.getByRole('status').filter({ hasText: /银联支付已移到第/ })).toBeAttached();
    // The moved channel keeps the focus, so the next key press moves it again.
    await expect(list.locator('li[data-code="un"]')).toBeFocused();
  }
  for (let moves = 0; (await codeAt(1)) !== 'ali' && moves < 10; moves++) {
    await list.locator('li[data-code="ali"]').getByRole('button', { name: '支付宝上移' }).tap();
  }
  for (let moves = 0; (await codeAt(2)) !== 'wxmp' && moves < 10; moves++) {
    await list.locator('li[data-code="wxmp"]').getByRole('button', { name: '微信支付上移' }).tap();
  }
  expect([await codeAt(0), await codeAt(1), await codeAt(2)]).toEqual(wanted);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存。' })).toBeVisible();
  const tagText = (await page.locator('[data-script-tag]').textContent())!;
  expect(tagText).toContain(`returnscripts?appId=${appId}`);
  await page.getByRole('button', { name: /^复制 / }).click();
  await expect(page.getByText('已复制。')).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(tagText);
  await page.getByRole('radio', { name: '手机', exact: true }).check();
  await expect(page.locator('iframe.preview-mobile')).toBeVisible();
  const preview = page.frameLocator('iframe.preview-mobile');
  await expect(preview.getByRole('radio').first()).toBeAttached();
  expect(
    await preview
      .getByRole('radio')
      .evaluateAll((radios) => radios.map((radio) => (radio as HTMLInputElement).value)),
  ).toEqual(wanted);
  await expectAccessible(page, 'button (phone)');
  await expectNoSidewaysScroll(page, 'button');

  // The merchant page with the copied tag shows that order on the phone; the payer pays with Alipay.
  const shopPage = await context.newPage();
  const paid = await payOnMerchantPage(shopPage, stack, { appId, appSecret }, copied);
  expect(paid.menuOrder).toEqual(wanted);
  await shopPage.close();

  // The bill, found by its number, with its channel trade number and its delivered webhook.
  await openSection(page, '订单');
  await page.getByLabel('订单号').fill(paid.outTradeNo);
  await page.getByRole('button', { name: '查询' }).click();
  const row = page.locator(`tr[data-bill-no="${paid.outTradeNo}"]`);
  await expect(row).toContainText('已支付');
  await expect(row).toContainText('支付宝（手机网页）');
  await expectAccessible(page, 'bills (phone)');
  await expectNoSidewaysScroll(page, 'bills');
  await row.getByRole('link', { name: paid.outTradeNo }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(paid.outTradeNo);
  await expect(page.locator('[data-field="tradeNo"]')).not.toHaveText('—');
  await expect(async () => {
    await page.reload();
    await expect(page.locator('.delivery[data-status="delivered"]').first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expectAccessible(page, 'bill (phone)');
  await expectNoSidewaysScroll(page, 'bill');

  // Refund ¥0.01 now, then the other ¥0.01 as a pre-refund waiting for approval.
  const amount = page.getByLabel('退款金额（元）');
  await amount.fill('0.01');
  await page.getByRole('button', { name: '退款', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /已发起退款/ })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.locator('.badge-succeeded')).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await amount.fill('5');
  await page.getByRole('button', { name: '退款', exact: true }).click();
  await expect(amount).toHaveAttribute('aria-invalid', 'true');
  await amount.fill('0.01');
  await page.getByLabel('待审批的预退款').check();
  await page.getByRole('button', { name: '退款', exact: true }).click();
  await expect(page.locator('.badge-pending_approval')).toBeVisible();

  // Approve the pre-refund.
  await openSection(page, '退款');
  const pending = page.locator('section', { has: page.getByRole('heading', { name: '待审批的预退款' }) });
  await pending
    .getByRole('checkbox', { name: /^选择 \d/ })
    .first()
    .check();
  await pending.getByRole('button', { name: '批准所选' }).click();
  await expect(pending.getByRole('status')).toContainText('已处理 1 笔。');
  await expect(async () => {
    await page.reload();
    await expect(page.locator('.badge-succeeded')).toHaveCount(2, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expectAccessible(page, 'refunds (phone)');
  await expectNoSidewaysScroll(page, 'refunds');

  // Resend a webhook.
  await openSection(page, 'Webhook');
  await expect(page.locator('.delivery').first()).toBeVisible();
  await page.locator('.delivery').first().getByRole('button', { name: /^重发/ }).click();
  await expect(page.getByRole('status').filter({ hasText: '已重新排队 1 条。' })).toBeVisible();
  await expectAccessible(page, 'webhooks (phone)');
  await expectNoSidewaysScroll(page, 'webhooks');

  // Rotate the app secret after a confirmation; the new one is shown once, the old one stays valid 24 hours.
  await openSection(page, '应用');
  await page.getByRole('button', { name: '更换 App Secret' }).click();
  const dialog = page.getByRole('dialog', { name: '更换密钥' });
  await expect(dialog).toContainText('24 小时');
  await expectAccessible(page, 'rotate dialog (phone)');
  await dialog.getByRole('button', { name: '确认' }).click();
  const rotated = page.locator('.secrets-once [data-secret]');
  await expect(rotated).toBeVisible();
  const newSecret = (await rotated.textContent())!.trim();
  expect(newSecret).not.toBe(appSecret);
  await expect(page.locator('.secrets code').first()).toHaveText(new RegExp(`${newSecret.slice(-4)}$`));
  await expect(page.locator('.secrets .grace').first()).toContainText('旧密钥有效至');

  // The audit log lists every change, named in Chinese, with who made it.
  await openSection(page, '操作日志');
  for (const [action, name] of [
    ['app.create', '创建应用'],
    ['button.update', '修改秒支付按钮渠道'],
    ['refund.create', '发起退款'],
    ['refund.decide', '审批预退款'],
    ['webhook.resend', '重发 Webhook'],
    ['app.secret.rotate', '轮换密钥'],
  ] as const) {
    const entry = page.locator(`tr[data-action="${action}"]`).first();
    await expect(entry).toContainText(name);
    await expect(entry).toContainText(stack.operator.name);
  }
  await expectAccessible(page, 'audit (phone)');

  // The dashboard: today's payment, the 30-day charts, webhooks at a glance.
  await openSection(page, '概览');
  await expect(page.locator('[data-figure="paidCount"]')).toHaveText('1');
  await expect(page.locator('[data-figure="last30PaidCount"]')).toHaveText('1');
  await expect(page.locator('[data-figure="refunds"]')).toContainText('¥0.02');
  await expect(page.locator('.chart[data-ready="true"]')).toHaveCount(4);
  await expectAccessible(page, 'dashboard (phone)');
  await expectNoSidewaysScroll(page, 'dashboard');
});
