/**
 * The button's 优惠券 row in Chromium: the merchant registers a buyer and issues a coupon (REST, as a server SDK
 * does), signs the order with the buyer_id (v2 sign); the payer picks the coupon in the menu, 合计 shows the paid
 * amount and 已优惠, pays in the sandbox cashier, and the webhook to the merchant carries the discount.
 */
import { signButtonOrderV2 } from '../sdk/button-order.ts';
import { restAppSign } from '../sdk/sign.ts';
import { merchantPage } from './host-pages/merchant-page.ts';
import { expect, test } from './host-pages/widget-fixtures.ts';

type App = { appId: string; appSecret: string; masterSecret: string; testSecret: string };

let lastTimestamp = 0;
async function restCall(
  gatewayUrl: string,
  app: App,
  method: 'GET' | 'POST',
  path: string,
  payload: Record<string, unknown>,
  secret: string,
): Promise<Record<string, unknown>> {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  const signed = {
    app_id: app.appId,
    timestamp: lastTimestamp,
    app_sign: restAppSign(app.appId, lastTimestamp, secret),
    ...payload,
  };
  const response =
    method === 'GET'
      ? await fetch(`${gatewayUrl}/2/${path}?para=${encodeURIComponent(JSON.stringify(signed))}`)
      : await fetch(`${gatewayUrl}/2/${path}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(signed),
        });
  return (await response.json()) as Record<string, unknown>;
}

test('the payer picks a coupon, pays the discounted amount, and the webhook shows the discount', async ({
  page,
  stack,
  host,
}) => {
  const app = stack.app as App;
  const buyer = `e2e-buyer-${Date.now().toString(36)}`;
  expect(
    await restCall(stack.gatewayUrl, app, 'POST', 'rest/user', { buyer_id: buyer }, app.testSecret),
  ).toMatchObject({ result_code: 0 });
  const template = await restCall(
    stack.gatewayUrl,
    app,
    'POST',
    'rest/coupon/template',
    { name: '满30减5', type: 0, discount: 5, limit_fee: 3000 },
    app.masterSecret,
  );
  const big = await restCall(
    stack.gatewayUrl,
    app,
    'POST',
    'rest/coupon/template',
    { name: '满100减20', type: 0, discount: 20, limit_fee: 10000 },
    app.masterSecret,
  );
  const coupon = await restCall(
    stack.gatewayUrl,
    app,
    'POST',
    'rest/coupon',
    { template_id: template.id, user_id: buyer },
    app.testSecret,
  );
  await restCall(
    stack.gatewayUrl,
    app,
    'POST',
    'rest/coupon',
    { template_id: big.id, user_id: buyer },
    app.testSecret,
  );
  expect(coupon).toMatchObject({ result_code: 0 });

  const returnUrl = host.serve('/coupon-done', {
    html: '<!doctype html><title>done</title><h1>Thank you</h1>',
  });
  const order = signButtonOrderV2(app, {
    title: '优惠商品',
    amount: 5000,
    out_trade_no: `e2ec${Date.now().toString(36)}`,
    return_url: returnUrl,
    buyer_id: buyer,
  });
  const url = host.serve('/coupon-shop', {
    html: merchantPage({ gatewayUrl: stack.gatewayUrl, appId: app.appId, data: { ...order } }),
  });
  await page.goto(url);
  await page.getByRole('button', { name: '点我付款' }).click();

  const dialog = page.getByRole('dialog', { name: '支付' });
  await expect(dialog.getByText('优惠券', { exact: true })).toBeVisible();
  await expect(dialog.getByRole('radio', { name: '不使用优惠券' })).toBeChecked();
  await expect(dialog.getByText('合计：¥50.00')).toBeVisible();
  await expect(dialog.getByRole('radio', { name: /满100减20/ })).toBeDisabled();
  await expect(dialog.getByText('满¥100.00可用')).toBeVisible();

  await dialog.getByText('满30减5').click();
  await expect(dialog.getByText('合计：¥45.00')).toBeVisible();
  await expect(dialog.getByText('(已优惠¥5.00)')).toBeVisible();

  await dialog.getByText('支付宝支付', { exact: true }).click();
  const [request] = await Promise.all([
    page.waitForRequest((sent) => sent.url().includes('/2/rest/jsbutton/ALI_WEB')),
    dialog.getByRole('button', { name: '确认' }).click(),
  ]);
  expect(JSON.parse(request.postData() ?? '{}')).toMatchObject({ coupon_id: coupon.id, buyer_id: buyer });
  await page.waitForURL(`${stack.gatewayUrl}/sandbox/cashier/**`);
  await page.getByRole('button', { name: '支付', exact: true }).click();
  await page.waitForURL(`${returnUrl}?**`);
  const result = new URL(page.url()).searchParams;
  expect(result.get('total_fee')).toBe('4500');
  expect(result.get('spay_result')).toBe('true');

  // The webhook the gateway sent to the merchant's endpoint for this order.
  await expect
    .poll(async () => {
      const listed = await restCall(
        stack.gatewayUrl,
        app,
        'GET',
        'rest/webhooks',
        { transaction_id: order.out_trade_no, transaction_type: 'PAY' },
        app.testSecret,
      );
      const [delivery] =
        (listed.webhooks as Array<{ body: string; target_url: string; attempts: unknown[] }>) ?? [];
      if (!delivery || delivery.attempts.length === 0) return undefined;
      return { target: delivery.target_url, body: JSON.parse(delivery.body) as Record<string, unknown> };
    })
    .toMatchObject({
      target: `${stack.demoUrl}/webhook`,
      body: { transaction_fee: 4500, bill_fee: 5000, discount: 500, coupon_id: coupon.id },
    });

  const used = await restCall(
    stack.gatewayUrl,
    app,
    'GET',
    `rest/coupon/${String(coupon.id)}`,
    {},
    app.testSecret,
  );
  expect(used.coupon).toMatchObject({ status: 1, bill_no: order.out_trade_no });
});
