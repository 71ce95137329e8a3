/**
 * The demo shop's pages are usable by everyone (axe scan: no serious or critical violations) and work under
 * their strict Content-Security-Policy (no violation reported while paying).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures.ts';

async function seriousViolations(page: import('@playwright/test').Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
}

test('the product, result and orders pages pass an accessibility scan', async ({ page, stack }) => {
  await page.goto(stack.demoUrl + '/');
  expect(await seriousViolations(page)).toEqual([]);
  const outTradeNo = (await page.locator('.order-no code').textContent())?.trim() ?? '';

  await page.goto(
    `${stack.demoUrl}/payresult?bill_no=${outTradeNo}&spay_result=true&total_fee=1&channel=ALI`,
  );
  await expect(page.getByRole('heading', { name: '支付完成' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.goto(stack.demoUrl + '/orders');
  await expect(page.locator(`#order-${outTradeNo}`)).toBeVisible();
  await expect(page.getByText('（实时更新中）')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('paying from the product page breaks no rule of its Content-Security-Policy', async ({
  page,
  stack,
}) => {
  const violations: string[] = [];
  await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(
        `${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  await page.goto(stack.demoUrl + '/');
  await page.getByRole('button', { name: '点我付款' }).click();
  const menu = page.getByRole('dialog');
  await expect(menu.getByText('支付宝支付')).toBeVisible();
  await menu.getByText('支付宝支付').click();
  await menu.getByRole('button', { name: '确认' }).click();
  await page.waitForURL(`${stack.gatewayUrl}/sandbox/cashier/**`);
  expect(violations).toEqual([]);
});

test('a product page whose widget could not load says so when the payer clicks', async ({ page, stack }) => {
  await page.route('**/1/pay/jsbutton/returnscripts**', (route) => route.abort('connectionrefused'));
  await page.goto(stack.demoUrl + '/');
  await page.getByRole('button', { name: '点我付款' }).click();
  await expect(page.getByRole('alert')).toHaveText('支付组件未能加载，请检查网络后刷新页面。');
});
