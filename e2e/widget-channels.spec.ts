/**
 * Every channel path of the built widget, served by the running gateway, on a desktop browser, an emulated phone
 * and WeChat's in-app browser (with a stand-in WeixinJSBridge). The merchant pages are served from 127.0.0.1.
 */
import type { Locator, Page } from '@playwright/test';
import { merchantPage, signedOrder } from './host-pages/merchant-page.ts';
import {
  expect,
  fakeWeixinBridge,
  PHONE_UA,
  PHONE_VIEWPORT,
  spayLog,
  spayLogNames,
  test,
  WECHAT_UA,
} from './host-pages/widget-fixtures.ts';

type Stack = { gatewayUrl: string; app: { appId: string; appSecret: string } };
type Host = { url: string; serve(path: string, page: { html: string }): string };

let pageCounter = 0;

/** Opens a merchant page whose button calls BC.click(data) and clicks it. */
async function openShop(page: Page, stack: Stack, host: Host, data: Record<string, unknown> = {}) {
  const order = signedOrder(stack.app);
  const returnUrl = host.serve('/done', { html: '<!doctype html><title>done</title><h1>Thank you</h1>' });
  const url = host.serve(`/shop${pageCounter++}`, {
    html: merchantPage({
      gatewayUrl: stack.gatewayUrl,
      appId: stack.app.appId,
      data: { ...order, return_url: returnUrl, ...data },
    }),
  });
  await page.goto(url);
  await page.getByRole('button', { name: '点我付款' }).click();
  return { order, returnUrl };
}

async function menuChoices(page: Page): Promise<string[]> {
  const dialog = page.getByRole('dialog', { name: '支付' });
  await expect(dialog).toBeVisible();
  return dialog
    .getByRole('radio')
    .evaluateAll((radios) => radios.map((radio) => (radio as HTMLInputElement).value));
}

/**
 * Resolves when the element's running animations (the bottom sheet sliding in) have finished, so it is measured
 * where it stays rather than at some moment of its entrance (which depends on how fast the machine renders).
 */
async function animationsFinished(element: Locator): Promise<void> {
  await element.evaluate(async (node) => {
    await Promise.all(node.getAnimations().map((animation) => animation.finished));
  });
}

/** Picks a channel, confirms, and returns the REST channel the widget asked the gateway for. */
async function pay(page: Page, label: string): Promise<string> {
  const dialog = page.getByRole('dialog', { name: '支付' });
  await dialog.getByText(label, { exact: true }).click();
  const [request] = await Promise.all([
    page.waitForRequest((request) => request.url().includes('/2/rest/jsbutton/')),
    dialog.getByRole('button', { name: '确认' }).click(),
  ]);
  return new URL(request.url()).pathname.split('/').pop()!;
}

test.describe('desktop', () => {
  test('Alipay: menu → sandbox cashier → paid → return_url with the result parameters', async ({
    page,
    stack,
    host,
  }) => {
    const { order, returnUrl } = await openShop(page, stack, host);
    expect(await menuChoices(page)).toEqual(['ali', 'wxmp', 'un']);
    await expect(page.getByText('合计：¥0.01')).toBeVisible();
    expect(await pay(page, '支付宝支付')).toBe('ALI_WEB');
    await page.waitForURL(`${stack.gatewayUrl}/sandbox/cashier/**`);
    await expect(page.locator('[data-field="bill_no"]')).toHaveText(order.out_trade_no);
    await page.getByRole('button', { name: '支付', exact: true }).click();
    await page.waitForURL(`${returnUrl}?**`);
    const result = new URL(page.url()).searchParams;
    expect(result.get('bill_no')).toBe(order.out_trade_no);
    expect(result.get('spay_result')).toBe('true');
    expect(result.get('total_fee')).toBe('1');
    expect(result.get('sub_channel')).toBe('ALI_WEB');
  });

  test('UnionPay: UN_WEB to the sandbox cashier', async ({ page, stack, host }) => {
    await openShop(page, stack, host);
    expect(await pay(page, '银联支付')).toBe('UN_WEB');
    await page.waitForURL(`${stack.gatewayUrl}/sandbox/cashier/**`);
    await expect(page.getByRole('button', { name: '支付', exact: true })).toBeVisible();
  });

  test('instant_channel skips the menu', async ({ page, stack, host }) => {
    const billRequest = page.waitForRequest((request) => request.url().includes('/2/rest/jsbutton/'));
    // The bill request is held while the radios are counted: the page cannot move on before the count.
    const radios: number[] = [];
    await page.route('**/2/rest/jsbutton/**', async (route) => {
      radios.push(await page.getByRole('radio').count());
      await route.continue();
    });
    await openShop(page, stack, host, { instant_channel: 'un' });
    expect(new URL((await billRequest).url()).pathname).toBe('/2/rest/jsbutton/UN_WEB');
    await page.waitForURL(`${stack.gatewayUrl}/sandbox/cashier/**`);
    expect(radios).toEqual([0]); // no channel menu was shown
  });

  test('the menu works with the keyboard alone and Esc returns the focus', async ({ page, stack, host }) => {
    await openShop(page, stack, host);
    const dialog = page.getByRole('dialog', { name: '支付' });
    await expect(dialog.getByRole('radio', { name: '支付宝支付' })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(dialog.getByRole('radio', { name: '微信支付' })).toBeChecked();
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: '确认' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: '关闭' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(page.getByRole('button', { name: '点我付款' })).toBeFocused();
    expect(await spayLogNames(page)).toEqual([
      'event:onready',
      'event:open',
      'callback:open',
      'event:close',
      'callback:close',
    ]);
  });
});

test.describe('phone', () => {
  test.use({ userAgent: PHONE_UA, viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true });

  test('Alipay goes to ALI_WAP; the menu is a bottom sheet', async ({ page, stack, host }) => {
    // Animations at a twentieth of their speed, as on a slow machine: the sheet takes ~4 s to slide in, and is measured
    // where it ends, whatever moment the menu becomes visible.
    const devtools = await page.context().newCDPSession(page);
    await devtools.send('Animation.enable');
    await devtools.send('Animation.setPlaybackRate', { playbackRate: 0.05 });
    await openShop(page, stack, host);
    expect(await menuChoices(page)).toEqual(['ali', 'wxmp', 'un']);
    const dialog = page.getByRole('dialog', { name: '支付' });
    await animationsFinished(dialog);
    const box = await dialog.boundingBox();
    expect(box!.width).toBe(PHONE_VIEWPORT.width);
    expect(Math.round(box!.y + box!.height)).toBe(PHONE_VIEWPORT.height);
    expect(await pay(page, '支付宝支付')).toBe('ALI_WAP');
    await page.waitForURL(`${stack.gatewayUrl}/sandbox/cashier/**`);
  });

  test('UnionPay stays UN_WEB when the app has no unwap', async ({ page, stack, host }) => {
    await openShop(page, stack, host);
    expect(await pay(page, '银联支付')).toBe('UN_WEB');
    await page.waitForURL(`${stack.gatewayUrl}/sandbox/cashier/**`);
  });

  test('WeChat QR is offered and shows its code', async ({ page, stack, host }) => {
    await openShop(page, stack, host);
    expect(await pay(page, '微信支付')).toBe('WX_NATIVE');
    await expect(page.getByRole('img', { name: '微信付款二维码' })).toBeVisible();
  });
});

test.describe('WeChat in-app browser', () => {
  test.use({ userAgent: WECHAT_UA, viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true });

  for (const answer of ['ok', 'cancel', 'fail'] as const) {
    test(`JSAPI answered ${answer}: getBrandWCPayRequest, then the events in the original's order`, async ({
      page,
      stack,
      host,
    }) => {
      await page.addInitScript(fakeWeixinBridge, { answer, late: answer === 'cancel' });
      await openShop(page, stack, host, { openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M' });
      expect(await menuChoices(page)).toEqual(['ali', 'wx', 'un']);
      expect(await pay(page, '微信支付')).toBe('WX_JSAPI');
      if (answer === 'ok') await expect(page.getByRole('dialog')).toHaveCount(0);
      // Cancelled or failed: the dialog stays and tells the payer, who can choose a payment method again.
      else await expect(page.getByRole('dialog').getByRole('alert')).toContainText('支付未完成');
      await expect
        .poll(async () => (await spayLogNames(page)).filter((name) => name.startsWith('callback:wx')))
        .toEqual([
          'callback:wxJsapiFinish',
          answer === 'ok' ? 'callback:wxJsapiSuccess' : 'callback:wxJsapiFail',
        ]);
      const calls = await page.evaluate(
        () =>
          (window as unknown as { bridgeCalls: { name: string; params: Record<string, string> }[] })
            .bridgeCalls,
      );
      expect(calls).toHaveLength(1);
      expect(calls[0].name).toBe('getBrandWCPayRequest');
      expect(Object.keys(calls[0].params).sort()).toEqual([
        'appId',
        'nonceStr',
        'package',
        'paySign',
        'signType',
        'timeStamp',
      ]);
      expect(calls[0].params.package).toMatch(/^prepay_id=/);
      const log = await spayLog(page);
      const names = log.map((entry) => entry.event ?? `callback:${entry.callback}`);
      // Paid: the UI closes before the callbacks (the original's order); then spay's own paid/failed event.
      if (answer === 'ok')
        expect(names.indexOf('close')).toBeLessThan(names.indexOf('callback:wxJsapiFinish'));
      else expect(names).not.toContain('close');
      expect(names.at(-2)).toBe(answer === 'ok' ? 'paid' : 'failed');
      const finish = log.find((entry) => entry.callback === 'wxJsapiFinish');
      expect(finish!.value).toEqual({ err_msg: `get_brand_wcpay_request:${answer}` });
    });
  }

  test('JSAPI without an openid is a dataError before any request', async ({ page, stack, host }) => {
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.addInitScript(fakeWeixinBridge, { answer: 'ok', late: false });
    await openShop(page, stack, host);
    const dialog = page.getByRole('dialog', { name: '支付' });
    await dialog.getByText('微信支付', { exact: true }).click();
    await dialog.getByRole('button', { name: '确认' }).click();
    await expect(dialog.getByRole('alert')).toContainText('请联系商户');
    await expect(dialog.getByRole('alert')).not.toContainText('openid');
    const errors = (await spayLog(page)).filter((entry) => entry.callback === 'dataError');
    expect(errors.map((entry) => entry.value)).toEqual([
      { code: 'MISS_PARAM', field: 'openid', message: 'openid: is required' },
    ]);
    expect(requests.filter((url) => url.includes('/2/rest/jsbutton/'))).toEqual([]);
  });

  test('Alipay inside WeChat goes to the guide page', async ({ page, stack, host }) => {
    await openShop(page, stack, host);
    expect(await pay(page, '支付宝支付')).toBe('ALI_WAP');
    await page.waitForURL(`${stack.gatewayUrl}/1/pay/jsbutton/guide/**`);
    await expect(page.getByText('浏览器中打开').first()).toBeVisible();
  });

  test('Alipay inside WeChat with need_ali_guide "false" goes straight to the cashier', async ({
    page,
    stack,
    host,
  }) => {
    await openShop(page, stack, host, { need_ali_guide: 'false' });
    expect(await pay(page, '支付宝支付')).toBe('ALI_WAP');
    await page.waitForURL(`${stack.gatewayUrl}/sandbox/cashier/**`);
  });
});
