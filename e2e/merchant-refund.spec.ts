/**
 * The merchant's side of a payment and its refund, as the shop owner sees it: the orders page (left open, never
 * reloaded) follows the order from created to paid (PAY webhook) and, after the refund button, to refunded
 * (REFUND webhook). The gateway's REST API agrees with what the page shows.
 */
import { appFromConfig } from '../sdk/app.ts';
import { SpayClient } from '../sdk/client.ts';
import { expect, test } from './fixtures.ts';

test('pay, see the order paid, refund it, see it refunded — without reloading the orders page', async ({
  page,
  context,
  stack,
}) => {
  await page.goto(stack.demoUrl + '/');
  const outTradeNo = (await page.locator('.order-no code').textContent())?.trim() ?? '';
  expect(outTradeNo).toMatch(/^[A-Za-z0-9]{32}$/);

  // The shop owner's orders page, opened before the payment and never reloaded.
  const orders = await context.newPage();
  await orders.goto(stack.demoUrl + '/orders');
  const row = orders.locator(`#order-${outTradeNo}`);
  await expect(row).toHaveAttribute('data-status', 'created');
  await expect(row).toContainText('¥0.01');

  // The payer pays with Alipay on the sandbox cashier.
  await page.getByRole('button', { name: '点我付款' }).click();
  const menu = page.getByRole('dialog');
  await menu.getByText('支付宝支付').click();
  await menu.getByRole('button', { name: '确认' }).click();
  await page.waitForURL(`${stack.gatewayUrl}/sandbox/cashier/**`);
  await page.getByRole('button', { name: '支付', exact: true }).click();

  // return_url: display only, and it says so.
  await page.waitForURL(`${stack.demoUrl}/payresult?**`);
  await expect(page.locator('[data-parameter="bill_no"]')).toHaveText(outTradeNo);
  await expect(page.locator('[data-parameter="total_fee"]')).toHaveText('1');
  await expect(page.getByText('以服务器收到的 webhook 为准', { exact: false })).toBeVisible();

  // The PAY webhook reached the shop: the open orders page shows it by itself.
  await expect(row).toHaveAttribute('data-status', 'paid');
  await expect(row).toContainText('已支付');
  await expect(row).toContainText('ALI_WEB');

  // The refund button asks the gateway (SDK, master secret); the REFUND webhook completes it.
  await row.getByRole('button', { name: '退款 ¥0.01' }).click();
  await orders.waitForURL(`${stack.demoUrl}/orders#order-${outTradeNo}`);
  const refundedRow = orders.locator(`#order-${outTradeNo}`);
  await expect(refundedRow).toHaveAttribute('data-status', 'refunded');
  await expect(refundedRow).toContainText('退款成功');
  await expect(refundedRow.getByRole('button')).toHaveCount(0);

  // The gateway agrees.
  const client = new SpayClient(appFromConfig(stack.app, stack.gatewayUrl));
  const refunds = await client.refunds({ bill_no: outTradeNo });
  expect(refunds.ok && refunds.refunds.map((refund) => [refund.refund_fee, refund.result])).toEqual([
    [1, true],
  ]);
  const bills = await client.bills({ bill_no: outTradeNo, spay_result: true });
  expect(bills.ok && bills.bills.length).toBe(1);
});

test('the product page gives each view its own signed order and keeps the app secret out of the browser', async ({
  page,
  stack,
}) => {
  const response = await page.goto(stack.demoUrl + '/');
  const html = (await response?.text()) ?? '';
  expect(html).not.toContain(stack.app.appSecret);
  expect(html).not.toContain(stack.app.masterSecret);
  expect(html).not.toContain(stack.app.testSecret);
  expect(response?.headers()['content-security-policy']).toContain(`script-src 'self' ${stack.gatewayUrl}`);
  const first = await page.locator('.order-no code').textContent();
  await page.reload();
  const second = await page.locator('.order-no code').textContent();
  expect(second).not.toBe(first);
});
