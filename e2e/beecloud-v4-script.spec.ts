/**
 * A merchant page that still loads a script speaking BeeCloud's own button protocol (v4,
 * host-pages/beecloud-v4-script.js: hand-built `para` of strings with the JSONP callback inside, encodeURI, `url`
 * / `method` / `param` and `url` as the QR text, a JSONP poll of bill_public every 3 s) pays an ALI_WEB and a
 * WX_NATIVE bill in the sandbox, and sees them paid through that poll.
 */
import { readFileSync } from 'node:fs';
import type { Page, Request } from '@playwright/test';
import { signedOrder } from './host-pages/merchant-page.ts';
import { expect, test } from './host-pages/widget-fixtures.ts';

const v4Script = readFileSync(new URL('./host-pages/beecloud-v4-script.js', import.meta.url), 'utf8');
let pageCounter = 0;

function v4Page(
  gatewayUrl: string,
  appId: string,
  scriptUrl: string,
  order: Record<string, unknown>,
): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>BeeCloud v4 page</title>
<script src="${scriptUrl}" data-host="${gatewayUrl}" data-app-id="${appId}"></script>
</head><body>
<button id="pay" type="button">付款</button>
<script>
  document.getElementById('pay').addEventListener('click', function () {
    BC.click(${JSON.stringify(order)}, {
      dataError: function (error) { window.bcErrors = (window.bcErrors || []).concat([error]); },
    });
  });
</script>
</body></html>`;
}

/** The page's JSONP calls to the gateway, with when they were made and what came back. */
function recordJsonp(page: Page, gatewayUrl: string) {
  const calls: Array<{ url: string; at: number; contentType?: string }> = [];
  page.on('request', (request: Request) => {
    if (request.url().startsWith(`${gatewayUrl}/2/rest/`)) calls.push({ url: request.url(), at: Date.now() });
  });
  page.on('response', (response) => {
    const call = calls.find((c) => c.url === response.url() && c.contentType === undefined);
    if (call) call.contentType = response.headers()['content-type'];
  });
  return calls;
}

test.describe("BeeCloud's own button script (v4)", () => {
  test('pays a WX_NATIVE bill: url is the QR text, the JSONP poll sees it paid', async ({
    page,
    context,
    stack,
    host,
  }) => {
    const scriptUrl = host.serve(`/v4-script-${pageCounter}.js`, {
      html: v4Script,
      headers: { 'content-type': 'application/javascript; charset=utf-8' },
    });
    const order = { ...signedOrder(stack.app, '扫码 C++ & 茶', 2), instant_channel: 'wxmp' };
    const url = host.serve(`/v4-${pageCounter++}`, {
      html: v4Page(stack.gatewayUrl, stack.app.appId, scriptUrl, order),
    });
    const calls = recordJsonp(page, stack.gatewayUrl);
    await page.goto(url);
    await page.getByRole('button', { name: '付款' }).click();
    const qr = page.locator('#bc-qr');
    await expect(qr).toHaveText('请使用微信扫码付款');
    const qrText = String(await qr.getAttribute('data-qr-text'));
    expect(qrText).toMatch(new RegExp(`^${stack.gatewayUrl}/sandbox/wx/scan/`));

    // The order call: one JSONP GET whose para (encodeURI'd by hand) carries the callback and string values.
    const orderCall = calls.find((c) => c.url.includes('/2/rest/jsbutton/WX_NATIVE'));
    expect(orderCall?.contentType).toMatch(/^application\/javascript/);
    const para = JSON.parse(
      decodeURIComponent(new URL(orderCall!.url).search.slice('?para='.length)),
    ) as Record<string, unknown>;
    expect(para).toMatchObject({ amount: '2', callback: 'BCPayCallback1', title: '扫码 C++ & 茶' });

    // The payer scans the code with a phone and pays.
    const phone = await context.newPage();
    await phone.goto(qrText);
    await phone.getByRole('button', { name: '确认支付' }).click();
    await phone.close();

    await expect(page.locator('#bc-status')).toHaveText('支付成功', { timeout: 15_000 });
    await expect(page.locator('#bc-status')).toHaveAttribute('data-bill-no', order.out_trade_no);
    const polls = calls.filter((c) => c.url.includes('/2/rest/bill_public/'));
    expect(polls.length).toBeGreaterThanOrEqual(1);
    for (const poll of polls) {
      expect(poll.contentType).toMatch(/^application\/javascript/);
      expect(decodeURIComponent(poll.url)).toContain(`"app_id":"${stack.app.appId}","callback":"queryFun"`);
    }
    for (let i = 1; i < polls.length; i += 1) {
      expect(polls[i]!.at - polls[i - 1]!.at).toBeGreaterThanOrEqual(2_900);
    }
    expect(
      await page.evaluate(() => (window as unknown as { bcErrors?: unknown[] }).bcErrors),
    ).toBeUndefined();
  });

  test('pays an ALI_WEB bill: a form from url, method and param; the JSONP poll sees it paid', async ({
    page,
    context,
    stack,
    host,
  }) => {
    const scriptUrl = host.serve(`/v4-script-${pageCounter}.js`, {
      html: v4Script,
      headers: { 'content-type': 'application/javascript; charset=utf-8' },
    });
    const order = { ...signedOrder(stack.app, '网页 支付宝', 3), instant_channel: 'ali' };
    const url = host.serve(`/v4-${pageCounter++}`, {
      html: v4Page(stack.gatewayUrl, stack.app.appId, scriptUrl, order),
    });
    const calls = recordJsonp(page, stack.gatewayUrl);
    await page.goto(url);
    const cashierOpened = context.waitForEvent('page');
    await page.getByRole('button', { name: '付款' }).click();
    const cashier = await cashierOpened;
    await cashier.waitForURL(`${stack.gatewayUrl}/sandbox/cashier/**`);
    await expect(cashier.locator('[data-field="bill_no"]')).toHaveText(order.out_trade_no);
    await expect(page.locator('#bc-status')).toHaveText('等待支付');
    await cashier.getByRole('button', { name: '支付', exact: true }).click();
    await cashier.waitForURL((target) => !target.pathname.startsWith('/sandbox/cashier/'));

    await expect(page.locator('#bc-status')).toHaveText('支付成功', { timeout: 15_000 });
    await expect(page.locator('#bc-status')).toHaveAttribute('data-total-fee', '3');
    const orderCall = calls.find((c) => c.url.includes('/2/rest/jsbutton/ALI_WEB'));
    expect(orderCall?.contentType).toMatch(/^application\/javascript/);
    expect(
      calls
        .filter((c) => c.url.includes('/2/rest/bill_public/'))
        .every((c) => c.contentType?.startsWith('application/javascript')),
    ).toBe(true);
  });
});
