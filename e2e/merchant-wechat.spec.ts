/**
 * Inside WeChat (user agent MicroMessenger) the demo shop first gets the payer's openid through the gateway's
 * sandbox WeChat OAuth, then pays by JSAPI. WeChat's in-app `WeixinJSBridge` cannot exist in Chromium, so the
 * test provides one that does what WeChat would: complete the payment at the gateway's sandbox
 * (`POST /sandbox/wx/jsapi/{id}/complete`) and answer `get_brand_wcpay_request:ok`.
 */
import { expect, test } from './fixtures.ts';

test.use({
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0.50 NetType/WIFI',
});

test('in WeChat: OAuth for the openid, pay by JSAPI, the order is paid', async ({ page, stack }) => {
  // The bill's id comes from the gateway's answer to the widget, which may still be being read when the bridge
  // is called: the bridge waits for it.
  let billIdRead: (id: string) => void = () => undefined;
  const billId = new Promise<string>((resolve) => (billIdRead = resolve));
  page.on('response', async (response) => {
    if (response.url().includes('/2/rest/jsbutton/WX_JSAPI')) billIdRead((await response.json()).id ?? '');
  });
  const bridgeCalls: Record<string, string>[] = [];
  await page.exposeFunction('completeSandboxJsapi', async (params: Record<string, string>) => {
    bridgeCalls.push(params);
    const answer = await fetch(`${stack.gatewayUrl}/sandbox/wx/jsapi/${await billId}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ result: 'ok' }),
    });
    const body = (await answer.json()) as { err_msg?: string; err_detail?: string };
    return body.err_msg ?? `sandbox refused: ${body.err_detail}`;
  });
  await page.addInitScript(() => {
    const complete = (window as unknown as { completeSandboxJsapi(p: unknown): Promise<string> })
      .completeSandboxJsapi;
    (window as unknown as { WeixinJSBridge: unknown }).WeixinJSBridge = {
      invoke(name: string, params: Record<string, string>, callback: (result: { err_msg: string }) => void) {
        if (name !== 'getBrandWCPayRequest') return;
        void complete(params).then((errMsg) => callback({ err_msg: errMsg }));
      },
    };
  });

  const oauthRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(`${stack.gatewayUrl}/sandbox/wx/oauth`)) oauthRequests.push(request.url());
  });
  await page.goto(stack.demoUrl + '/');
  expect(oauthRequests).toHaveLength(1);
  expect(new URL(oauthRequests[0]).searchParams.get('redirect_uri')).toBe(`${stack.demoUrl}/`);
  const landed = new URL(page.url());
  expect(landed.searchParams.get('openid')).toBeTruthy();
  await expect(page.getByText('将使用微信公众号支付')).toBeVisible();
  const outTradeNo = (await page.locator('.order-no code').textContent())?.trim() ?? '';

  await page.getByRole('button', { name: '点我付款' }).click();
  const menu = page.getByRole('dialog');
  await expect(menu).toBeVisible();
  await menu.getByText('微信支付').click();
  await menu.getByRole('button', { name: '确认' }).click();

  // wxJsapiSuccess sends the payer to the orders page, where the PAY webhook has made (or soon makes) it paid.
  await page.waitForURL(`${stack.demoUrl}/orders`);
  expect(bridgeCalls).toHaveLength(1);
  expect(bridgeCalls[0].package).toMatch(/^prepay_id=/);
  const row = page.locator(`#order-${outTradeNo}`);
  await expect(row).toHaveAttribute('data-status', 'paid');
  await expect(row).toContainText('WX_JSAPI');
});
