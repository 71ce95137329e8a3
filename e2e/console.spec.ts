/**
 * Issue 14's merchant console, end to end against the built bundle and a running gateway: sign in, create an app,
 * enable and reorder its channels, copy the script tag into a merchant page that then shows that menu order, pay
 * in the sandbox, find the bill and its webhook in the console, refund it, approve a pre-refund, resend a webhook
 * and rotate a secret — with axe on every page. It also takes the README's screenshots (docs/screenshots/).
 */
import type { Page } from '@playwright/test';
import { merchantPage, scriptTag, signedOrder } from './host-pages/merchant-page.ts';
import { expect, expectAccessible, signIn, test, type ConsoleStack } from './console-fixtures.ts';

test.use({
  locale: 'en-US',
  permissions: ['clipboard-read', 'clipboard-write'],
  viewport: { width: 1280, height: 900 },
});

async function openSection(page: Page, name: RegExp) {
  await page
    .getByRole('navigation', { name: /Console|控制台/ })
    .getByRole('link', { name })
    .click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** The merchant pays `amount` fen with Alipay in the sandbox on a page carrying the console's script tag. */
async function payOnMerchantPage(
  page: Page,
  stack: ConsoleStack,
  app: { appId: string; appSecret: string },
  tag: string,
) {
  const order = signedOrder(app, 'console e2e', 2);
  const returnUrl = stack.merchant.serve('/console-done', {
    html: '<!doctype html><title>done</title><h1>Thanks</h1>',
  });
  const generated = merchantPage({
    gatewayUrl: stack.gatewayUrl,
    appId: app.appId,
    data: { ...order, return_url: returnUrl },
  });
  const html = generated.replace(scriptTag(stack.gatewayUrl, app.appId), tag);
  expect(html).not.toBe(generated);
  const shop = stack.merchant.serve('/console-shop', { html });
  await page.goto(shop);
  await page.getByRole('button', { name: '点我付款' }).click();
  const menu = page.getByRole('dialog');
  await expect(menu.getByRole('radio').first()).toBeVisible();
  const order_ = await menu
    .getByRole('radio')
    .evaluateAll((radios) => radios.map((radio) => (radio as HTMLInputElement).value));
  await menu.getByText('支付宝支付').click();
  await menu.getByRole('button', { name: '确认' }).click();
  await page.waitForURL(`${stack.gatewayUrl}/sandbox/cashier/**`);
  await page.getByRole('button', { name: '支付', exact: true }).click();
  await page.waitForURL(`${returnUrl}?**`);
  return { menuOrder: order_, outTradeNo: order.out_trade_no };
}

test('an operator runs an app from the console: button, payment, bill, refunds, webhooks, secrets', async ({
  page,
  context,
  consoleStack: stack,
}) => {
  test.setTimeout(480_000);
  // Sign-in page.
  await page.goto(`${stack.gatewayUrl}/console/`);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectAccessible(page, 'sign-in');
  await page.getByLabel('Username').fill(stack.operator.name);
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong username or password');
  await signIn(page, stack);

  // Create an app: its secrets are shown once.
  await openSection(page, /^Apps$/);
  const create = page
    .getByRole('region', { name: /Create an app/ })
    .or(page.locator('section', { has: page.getByRole('heading', { name: 'Create an app' }) }));
  await create.getByLabel('Name').fill('Console shop');
  await create.getByLabel('Webhook URL (test)').fill(stack.webhookUrl);
  await create.getByLabel(/Allowed origins/).fill(stack.merchant.url);
  await create.getByRole('button', { name: 'Create an app' }).click();
  const once = page.locator('.secrets-once');
  await expect(once).toContainText('shown only once');
  const appSecret = (await once.locator('[data-secret="appSecret"]').textContent())!.trim();
  expect(appSecret.length).toBeGreaterThan(8);
  await expect(page.locator('[data-app-id]')).not.toHaveText(stack.app.appId);
  const appId = (await page.locator('[data-app-id]').textContent())!.trim();
  await expectAccessible(page, 'apps');
  await once.getByRole('button', { name: 'I have saved them' }).click();
  await expect(once).toHaveCount(0);
  await expect(page.locator('.secrets')).not.toContainText(appSecret);

  // The 秒支付 button: only UnionPay, Alipay and WeChat QR on, in the order un, ali, wxmp — by drag and drop, the
  // move buttons and the keyboard.
  await openSection(page, /秒支付/);
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
  await list.locator('li[data-code="un"]').dragTo(list.locator('li').first());
  await expect(list.locator('li').first()).toHaveAttribute('data-code', 'un');
  await expect(page.getByRole('status').filter({ hasText: /moved to position 1 of/ })).toBeAttached();
  for (let moves = 0; (await codeAt(1)) !== 'ali' && moves < 10; moves++) {
    await list.locator('li[data-code="ali"]').getByRole('button', { name: /up$/ }).click();
  }
  for (let moves = 0; (await codeAt(2)) !== 'wxmp' && moves < 10; moves++) {
    await list.locator('li[data-code="wxmp"]').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect(page.getByRole('status').filter({ hasText: /moved to position/ })).toBeAttached();
  }
  expect([await codeAt(0), await codeAt(1), await codeAt(2)]).toEqual(wanted);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  const tagText = (await page.locator('[data-script-tag]').textContent())!;
  expect(tagText).toContain(`returnscripts?appId=${appId}`);
  await page.getByRole('button', { name: /Copy Script tag/ }).click();
  await expect(page.getByText('Copied.')).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(tagText);
  // The preview shows the same menu, from the real widget.
  const preview = page.frameLocator('iframe.preview-frame');
  await expect(preview.getByRole('radio').first()).toBeAttached();
  expect(
    await preview
      .getByRole('radio')
      .evaluateAll((radios) => radios.map((radio) => (radio as HTMLInputElement).value)),
  ).toEqual(['un', 'ali', 'wxmp']);
  await page.getByLabel('Phone').check();
  await expect(page.locator('iframe.preview-mobile')).toBeVisible();
  await expectAccessible(page, 'button');
  await page.screenshot({ path: 'docs/screenshots/console-button.png', fullPage: true });

  // The merchant page with the copied tag shows that order; the payer pays ¥0.02 with Alipay.
  const shopPage = await context.newPage();
  const paid = await payOnMerchantPage(shopPage, stack, { appId, appSecret }, copied);
  expect(paid.menuOrder).toEqual(wanted);
  await shopPage.close();

  // The bill in the console, with its channel trade number and its delivered webhook.
  await openSection(page, /^Bills$/);
  const row = page.locator(`tr[data-bill-no="${paid.outTradeNo}"]`);
  await expect(row).toContainText('Paid');
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute(
    'href',
    new RegExp(`bills\\.csv`),
  );
  await expectAccessible(page, 'bills');
  await row.getByRole('link', { name: paid.outTradeNo }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(paid.outTradeNo);
  await expect(page.locator('[data-field="tradeNo"]')).not.toHaveText('—');
  // The PAY webhook is delivered in the background: the bill page shows it once it has been.
  await expect(async () => {
    await page.reload();
    await expect(page.locator('.delivery[data-status="delivered"]').first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });

  // Refund ¥0.01 now.
  await page.getByLabel('Refund amount (yuan)').fill('0.01');
  await page.getByRole('button', { name: 'Refund', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /Refund .* requested/ })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.locator('.badge-succeeded')).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expectAccessible(page, 'bill');
  // An amount above what is left is refused at the field.
  await page.getByLabel('Refund amount (yuan)').fill('5');
  await page.getByRole('button', { name: 'Refund', exact: true }).click();
  await expect(page.getByLabel('Refund amount (yuan)')).toHaveAttribute('aria-invalid', 'true');
  // The other ¥0.01 as a pre-refund, waiting for approval.
  await page.getByLabel('Refund amount (yuan)').fill('0.01');
  await page.getByLabel('Waiting for approval').check();
  await page.getByRole('button', { name: 'Refund', exact: true }).click();
  await expect(page.locator('.badge-pending_approval')).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/console-bill.png', fullPage: true });

  // Approve the pre-refund.
  await openSection(page, /^Refunds$/);
  const pending = page.locator('section', {
    has: page.getByRole('heading', { name: 'Waiting for approval' }),
  });
  await pending
    .getByRole('checkbox', { name: /^Select \d/ })
    .first()
    .check();
  await pending.getByRole('button', { name: 'Approve selected' }).click();
  await expect(pending.getByRole('status')).toContainText('1 decided.');
  await expect(async () => {
    await page.reload();
    await expect(page.locator('.badge-succeeded')).toHaveCount(2, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expectAccessible(page, 'refunds');

  // Resend a webhook.
  await openSection(page, /^Webhooks$/);
  await expect(page.locator('.delivery').first()).toBeVisible();
  await page
    .locator('.delivery')
    .first()
    .getByRole('button', { name: /^Resend/ })
    .click();
  await expect(page.getByRole('status').filter({ hasText: '1 queued to send again.' })).toBeVisible();
  await expectAccessible(page, 'webhooks');

  // Rotate the app secret (after a confirmation); the new one is shown once.
  await openSection(page, /^Apps$/);
  await page.getByRole('button', { name: 'Rotate App secret' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate a secret' });
  await expect(dialog).toContainText('24 hours');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  const rotated = page.locator('.secrets-once [data-secret]');
  await expect(rotated).toBeVisible();
  const newSecret = (await rotated.textContent())!.trim();
  expect(newSecret).not.toBe(appSecret);
  await expect(page.locator('.secrets code').first()).toHaveText(new RegExp(`${newSecret.slice(-4)}$`));

  // Credentials: a refused key is named at its field; the audit log records the changes.
  await openSection(page, /^Channel credentials$/);
  const alipay = page.locator('section', { has: page.getByRole('heading', { name: /^Alipay/ }) });
  await alipay.getByLabel('app_id', { exact: true }).fill('2021000000000000');
  await alipay.getByLabel('mode', { exact: true }).selectOption('public_key');
  await alipay.getByLabel('app_private_key', { exact: true }).fill('not a key');
  await alipay.getByRole('button', { name: 'Save' }).click();
  await expect(alipay.locator('.field-invalid').first()).toBeVisible();
  await expect(alipay.locator('.field-invalid [aria-invalid="true"]').first()).toBeVisible();
  await expectAccessible(page, 'credentials');

  await openSection(page, /^Audit log$/);
  await expect(page.locator('tr[data-action="app.secret.rotate"]').first()).toBeVisible();
  await expect(page.locator('tr[data-action="button.update"]').first()).toBeVisible();
  await expectAccessible(page, 'audit');

  // The dashboard: charts (uPlot, loaded here only) and the payment counted.
  await openSection(page, /^Dashboard$/);
  await expect(page.locator('.chart[data-ready="true"]')).toHaveCount(4);
  await expectAccessible(page, 'dashboard');
  await page.screenshot({ path: 'docs/screenshots/console-dashboard.png', fullPage: true });
  await expect.soft(page.locator('[data-figure="paidCount"]')).toHaveText('1');
  await expect.soft(page.locator('[data-figure="last30PaidCount"]')).toHaveText('1');

  // Switch to Chinese, then sign out.
  await page.getByRole('button', { name: 'Switch the console to Chinese' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '概览' })).toBeVisible();
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  const after = await page.request.get(`${stack.gatewayUrl}/console/api/apps`);
  expect(after.status()).toBe(401);
});
