/**
 * Issue 2's first path, exactly as a BeeCloud merchant sees it: the demo product page loads the widget from the
 * gateway, the payer picks Alipay, pays on the sandbox cashier, comes back to return_url, and the merchant's
 * webhook receiver marks the order paid.
 */
import { buttonOrderSign } from '../sdk/sign.ts';
import { expect, test } from './fixtures.ts';

test('one Alipay payment from the product page to a paid order', async ({ page, stack }) => {
  const webhookCalls: string[] = [];
  page.on('request', (request) => webhookCalls.push(request.url()));

  await page.goto(stack.demoUrl + '/');
  const script = page.locator('script#spay-script');
  await expect(script).toHaveAttribute(
    'src',
    `${stack.gatewayUrl}/1/pay/jsbutton/returnscripts?appId=${stack.app.appId}`,
  );
  await page.getByRole('button', { name: '点我付款' }).click();

  // The channel menu, in the app's configured order, with the total.
  const menu = page.getByRole('dialog');
  await expect(menu).toBeVisible();
  await expect(menu.getByText('支付宝支付')).toBeVisible();
  await expect(menu.getByText('合计：¥0.01')).toBeVisible();
  await menu.getByText('支付宝支付').click();
  await menu.getByRole('button', { name: '确认' }).click();

  // The gateway's sandbox cashier.
  await page.waitForURL(`${stack.gatewayUrl}/sandbox/cashier/**`);
  await expect(page.getByText('¥0.01').first()).toBeVisible();
  const outTradeNo = await page.locator('dt:text-is("订单号") + dd').textContent();
  expect(outTradeNo).toMatch(/^[A-Za-z0-9]{8,32}$/);
  await expect(page.getByRole('button', { name: '支付失败' })).toBeVisible();
  await page.getByRole('button', { name: '支付', exact: true }).click();

  // Back on the merchant's return_url with BeeCloud's result parameters.
  await page.waitForURL(`${stack.demoUrl}/payresult?**`);
  const result = new URL(page.url()).searchParams;
  expect(result.get('bill_no')).toBe(outTradeNo);
  expect(result.get('spay_result')).toBe('true');
  expect(result.get('total_fee')).toBe('1');
  expect(result.get('channel')).toBe('ALI');
  expect(result.get('sub_channel')).toBe('ALI_WEB');

  // The webhook (not the browser) made the order paid.
  await page.goto(stack.demoUrl + '/orders');
  const row = page.getByRole('row').filter({ hasText: outTradeNo! });
  await expect(row).toContainText('paid');
  expect(webhookCalls.some((url) => url.endsWith('/webhook'))).toBe(false);
});

test('a wrong sign is reported through dataError and creates no bill', async ({ page, stack }) => {
  const outTradeNo = `wrongsign${Date.now()}`;
  const goodSign = buttonOrderSign(stack.app.appId, 'product', 1, outTradeNo, stack.app.appSecret);
  const wrongSign = goodSign.replace(/^./, goodSign[0] === 'a' ? 'b' : 'a');
  const merchantPage = stack.merchant.serve('/wrong-sign', {
    html: `<!doctype html><html><head><meta charset="utf-8">
<script id="spay-script" src="${stack.gatewayUrl}/1/pay/jsbutton/returnscripts?appId=${stack.app.appId}"></script>
</head><body><button id="test">点我付款</button><pre id="errors"></pre>
<script>
document.getElementById('test').onclick = function () {
  BC.click({ title: 'product', amount: 1, out_trade_no: '${outTradeNo}', sign: '${wrongSign}', instant_channel: 'ali' }, {
    dataError: function (error) { document.getElementById('errors').textContent += JSON.stringify(error); }
  });
};
</script></body></html>`,
  });

  const billRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/2/rest/jsbutton/')) billRequests.push(request.url());
  });
  await page.goto(merchantPage);
  await page.getByRole('button', { name: '点我付款' }).click();
  await expect(page.locator('#errors')).toContainText('sign');
  expect(page.url()).toBe(merchantPage);
  expect(billRequests.length).toBe(1);

  // No bill exists for that order: the public status of its bill_no is unknown to the gateway.
  const bills = await (
    await fetch(`${stack.gatewayUrl}/2/rest/jsbutton/ALI_WEB`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        appId: stack.app.appId,
        title: 'product',
        amount: 2,
        out_trade_no: outTradeNo,
        sign: buttonOrderSign(stack.app.appId, 'product', 2, outTradeNo, stack.app.appSecret),
      }),
    })
  ).json();
  // Had the wrong-sign attempt created a bill, this different amount would be refused as a duplicate.
  expect(bills.resultCode).toBe(0);
});
