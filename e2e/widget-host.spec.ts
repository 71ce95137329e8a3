/**
 * The widget on merchants' pages: the seed tutorial's markup (BeeCloud's own example) with only the host changed,
 * a page with hostile CSS under a strict Content-Security-Policy, no network before the first click, bad data,
 * English, dark mode and reduced motion.
 */
import { merchantPage, scriptTag, signedOrder } from './host-pages/merchant-page.ts';
import { TUTORIAL_RETURN_URL, tutorialPage } from './host-pages/tutorial-page.ts';
import { expect, spayLog, test } from './host-pages/widget-fixtures.ts';

let pageCounter = 0;

test.describe("the seed tutorial's page", () => {
  // The tutorial's page declares no language: the dialog follows the browser's, here a Chinese payer's.
  test.use({ locale: 'zh-CN' });

  test('pays with Alipay and comes back to its return_url', async ({ page, stack, host }) => {
    const outTradeNo = `seed${Date.now()}`;
    const url = host.serve(`/tutorial${pageCounter++}`, {
      html: tutorialPage(stack.gatewayUrl, stack.app, outTradeNo, { key: 'value' }),
    });
    // The tutorial's return_url is on a host that is gone: answer it here.
    await page.route(`${TUTORIAL_RETURN_URL}**`, (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: '<!doctype html><title>payresult</title><h1>payresult</h1>',
      }),
    );
    await page.goto(url);
    await page.getByRole('button', { name: '点我付款' }).click();
    const dialog = page.getByRole('dialog', { name: '支付' });
    await expect(dialog.getByText('合计：¥0.01')).toBeVisible();
    await dialog.getByText('支付宝支付').click();
    await dialog.getByRole('button', { name: '确认' }).click();
    await page.waitForURL(`${stack.gatewayUrl}/sandbox/cashier/**`);
    await expect(page.locator('[data-field="bill_no"]')).toHaveText(outTradeNo);
    await page.getByRole('button', { name: '支付', exact: true }).click();
    await page.waitForURL(`${TUTORIAL_RETURN_URL}?**`);
    expect(new URL(page.url()).searchParams.get('bill_no')).toBe(outTradeNo);
  });

  test('asyncPay() works when the payer clicks before the script has loaded', async ({
    page,
    stack,
    host,
  }) => {
    // The tutorial's script tag is parser-blocking in <head>, so there the click cannot come first; a page that
    // loads it async (the race asyncPay() exists for) can. Same markup, `async` added to the tag.
    const html = tutorialPage(stack.gatewayUrl, stack.app, `seed${Date.now()}`, {}).replace(
      "<script id='spay-script'",
      "<script async id='spay-script'",
    );
    const url = host.serve(`/tutorial${pageCounter++}`, { html });
    let releaseScript: () => void = () => {};
    const scriptHeld = new Promise<void>((resolve) => (releaseScript = resolve));
    await page.route('**/1/pay/jsbutton/returnscripts**', async (route) => {
      await scriptHeld;
      await route.continue();
    });
    await page.goto(url, { waitUntil: 'commit' });
    const button = page.getByRole('button', { name: '点我付款' });
    await button.waitFor();
    expect(await page.evaluate(() => typeof (window as unknown as { BC?: unknown }).BC)).toBe('undefined');
    await page.evaluate(() => document.getElementById('test')!.click());
    releaseScript();
    await expect(page.getByRole('dialog', { name: '支付' })).toBeVisible();
  });
});

test("an English browser on the tutorial's page (no declared language) gets the English dialog", async ({
  browser,
  stack,
  host,
}) => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const url = host.serve(`/tutorial${pageCounter++}`, {
    html: tutorialPage(stack.gatewayUrl, stack.app, `seed${Date.now()}`, {}),
  });
  await page.goto(url);
  await page.getByRole('button', { name: '点我付款' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pay' });
  await expect(dialog.getByRole('radio', { name: 'Alipay' })).toBeVisible();
  await expect(dialog.getByText('Total: ¥0.01')).toBeVisible();
  await context.close();
});

test('no network request before the first click, then only what the payment needs', async ({
  page,
  stack,
  host,
}) => {
  const url = host.serve(`/quiet${pageCounter++}`, {
    html: merchantPage({
      gatewayUrl: stack.gatewayUrl,
      appId: stack.app.appId,
      data: { ...signedOrder(stack.app) },
    }),
  });
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(url);
  await page.waitForLoadState('networkidle');
  expect(requests).toEqual([
    url,
    `${stack.gatewayUrl}/1/pay/jsbutton/returnscripts?appId=${stack.app.appId}`,
  ]);
  const pageStyles = () =>
    page.evaluate(() => [
      document.styleSheets.length,
      document.adoptedStyleSheets.length,
      document.querySelectorAll('[style]').length,
    ]);
  const stylesBefore = await pageStyles();
  await page.getByRole('button', { name: '点我付款' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  // Showing the menu needs nothing from the network. No fixed wait: once the menu is drawn and the page is idle,
  // the page itself requests a marker; the browser reports requests in the order they are made, so any request
  // the menu made would be reported before the marker.
  const marker = host.serve(`/marker${pageCounter++}`, { html: 'marker' });
  await page.evaluate(async (markerUrl) => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    await new Promise((resolve) => requestIdleCallback(resolve));
    await fetch(markerUrl);
  }, marker);
  await expect.poll(() => requests.includes(marker)).toBe(true);
  expect(requests.slice(2)).toEqual([marker]);
  // Nothing was added to the page's own styles: ours live in the widget's shadow root.
  expect(await pageStyles()).toEqual(stylesBefore);
});

test.describe('a hostile page with a strict Content-Security-Policy', () => {
  const hostileCss = `
    * { box-sizing: content-box !important; font-family: "Comic Sans MS", cursive !important; letter-spacing: 3px !important; }
    div, span, p, h2, h3, button, label, input, form, fieldset, svg {
      all: revert !important; display: inline !important; position: static !important; color: #f0f !important;
      font-size: 40px !important; width: 10px !important; background: yellow !important;
    }
    spay-checkout, body > * { display: none !important; opacity: 0 !important; visibility: hidden !important; }
    main { display: block !important; opacity: 1 !important; visibility: visible !important; }
    .panel, .mask, .row { border: 9px dashed red !important; }
    :root { --accent: #f00; }
  `;

  function strictPage(
    gatewayUrl: string,
    appId: string,
    data: Record<string, unknown>,
  ): { html: string; headers: Record<string, string> } {
    const nonce = `n${Math.random().toString(36).slice(2)}`;
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}' ${gatewayUrl}`,
      `connect-src ${gatewayUrl}`,
      "style-src 'self'",
      "img-src 'self'",
      `form-action ${gatewayUrl}`,
      "base-uri 'none'",
    ].join('; ');
    const body = `<div class="panel" id="host-panel">the shop's own .panel</div>
<script nonce="${nonce}">
  document.addEventListener('securitypolicyviolation', function (event) {
    window.cspViolations = (window.cspViolations || []).concat(event.violatedDirective + ' ' + event.blockedURI);
  });
</script>`;
    const html = merchantPage({ gatewayUrl, appId, data, nonce, body }).replace(
      '</head>',
      // The hostile rules arrive the way a shop's stylesheet would, before the widget exists: a constructed sheet.
      `<script nonce="${nonce}">
  var hostile = new CSSStyleSheet(); hostile.replaceSync(${JSON.stringify(hostileCss)});
  document.adoptedStyleSheets = [hostile];
</script></head>`,
    );
    return { html, headers: { 'content-security-policy': csp } };
  }

  test('the dialog keeps its own layout, nothing leaks, no CSP violation, and the payment goes through', async ({
    page,
    stack,
    host,
  }) => {
    const url = host.serve(
      `/strict${pageCounter++}`,
      strictPage(stack.gatewayUrl, stack.app.appId, { ...signedOrder(stack.app) }),
    );
    const consoleErrors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    await page.goto(url);
    const hostPanelBefore = await page
      .locator('#host-panel')
      .evaluate((element) => getComputedStyle(element).cssText || getComputedStyle(element).color);
    await page.getByRole('button', { name: '点我付款' }).click();
    const dialog = page.getByRole('dialog', { name: '支付' });
    await expect(dialog).toBeVisible();
    const box = await dialog.boundingBox();
    expect([Math.round(box!.width), Math.round(box!.height)]).toEqual([375, 480]);
    const viewport = page.viewportSize()!;
    expect(Math.round(box!.x + box!.width / 2)).toBe(Math.round(viewport.width / 2));
    const confirm = dialog.getByRole('button', { name: '确认' });
    expect(await confirm.evaluate((element) => getComputedStyle(element).fontSize)).toBe('16px');
    expect(await confirm.evaluate((element) => getComputedStyle(element).letterSpacing)).toBe('normal');
    // Our styles do not reach the shop's own .panel.
    expect(
      await page
        .locator('#host-panel')
        .evaluate((element) => getComputedStyle(element).cssText || getComputedStyle(element).color),
    ).toBe(hostPanelBefore);
    // No inline style attribute anywhere in the widget.
    const styled = await page
      .locator('spay-checkout')
      .evaluate((hostElement) => hostElement.shadowRoot!.querySelectorAll('[style]').length);
    expect(styled).toBe(0);

    await dialog.getByText('微信支付', { exact: true }).click();
    await confirm.click();
    await expect(dialog.getByRole('img', { name: '微信付款二维码' })).toBeVisible();
    expect(
      await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []),
    ).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  test('the cashier form is submitted under form-action', async ({ page, stack, host }) => {
    const url = host.serve(
      `/strict${pageCounter++}`,
      strictPage(stack.gatewayUrl, stack.app.appId, { ...signedOrder(stack.app), instant_channel: 'ali' }),
    );
    await page.goto(url);
    await page.getByRole('button', { name: '点我付款' }).click();
    await page.waitForURL(`${stack.gatewayUrl}/sandbox/cashier/**`);
  });
});

test('bad data: dataError names the field, nothing is sent, debug alerts', async ({ page, stack, host }) => {
  const order = signedOrder(stack.app);
  const url = host.serve(`/bad${pageCounter++}`, {
    html: merchantPage({
      gatewayUrl: stack.gatewayUrl,
      appId: stack.app.appId,
      data: { ...order, amount: '1.5', debug: true },
    }),
  });
  const alerts: string[] = [];
  page.on('dialog', (dialog) => {
    alerts.push(dialog.message());
    void dialog.accept();
  });
  const sent: string[] = [];
  page.on('request', (request) => request.url().includes('/2/rest/') && sent.push(request.url()));
  await page.goto(url);
  await page.getByRole('button', { name: '点我付款' }).click();
  await expect
    .poll(async () =>
      (await spayLog(page)).filter((entry) => entry.callback === 'dataError').map((entry) => entry.value),
    )
    .toEqual([
      { code: 'PARAM_INVALID', field: 'amount', message: 'amount: must be an integer number of fen > 0' },
    ]);
  expect(alerts).toEqual([
    `appId: ${stack.app.appId}`,
    JSON.stringify({
      code: 'PARAM_INVALID',
      field: 'amount',
      message: 'amount: must be an integer number of fen > 0',
    }),
  ]);
  expect(sent).toEqual([]);
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test("English with locale: 'en'", async ({ page, stack, host }) => {
  const url = host.serve(`/en${pageCounter++}`, {
    html: merchantPage({
      gatewayUrl: stack.gatewayUrl,
      appId: stack.app.appId,
      data: { ...signedOrder(stack.app), locale: 'en' },
    }),
  });
  await page.goto(url);
  await page.getByRole('button', { name: '点我付款' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pay' });
  await expect(dialog.getByRole('radio', { name: 'Alipay' })).toBeVisible();
  await expect(dialog.getByText('Total: ¥0.01')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Confirm' })).toBeVisible();
});

test('dark mode and reduced motion', async ({ page, stack, host }) => {
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  const url = host.serve(`/dark${pageCounter++}`, {
    html: merchantPage({
      gatewayUrl: stack.gatewayUrl,
      appId: stack.app.appId,
      data: { ...signedOrder(stack.app) },
    }),
  });
  await page.goto(url);
  await page.getByRole('button', { name: '点我付款' }).click();
  const dialog = page.getByRole('dialog', { name: '支付' });
  await expect(dialog).toBeVisible();
  expect(await dialog.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(
    'rgb(30, 31, 34)',
  );
  expect(
    parseFloat(await dialog.evaluate((element) => getComputedStyle(element).animationDuration)),
  ).toBeLessThan(0.01);
});

test('a --bc-* variable from the page themes the dialog', async ({ page, stack, host }) => {
  const url = host.serve(`/themed${pageCounter++}`, {
    html: merchantPage({
      gatewayUrl: stack.gatewayUrl,
      appId: stack.app.appId,
      data: { ...signedOrder(stack.app) },
      head: '<style>:root { --bc-color-accent: rgb(0, 100, 0); }</style>',
    }),
  });
  await page.goto(url);
  await page.getByRole('button', { name: '点我付款' }).click();
  const confirm = page.getByRole('dialog').getByRole('button', { name: '确认' });
  expect(await confirm.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(
    'rgb(0, 100, 0)',
  );
});

test('BC is defined once even if the script is included twice', async ({ page, stack, host }) => {
  const html = merchantPage({
    gatewayUrl: stack.gatewayUrl,
    appId: stack.app.appId,
    data: { ...signedOrder(stack.app) },
  }).replace(
    '</head>',
    `${scriptTag(stack.gatewayUrl, stack.app.appId).replace('id="spay-script" ', '')}</head>`,
  );
  const url = host.serve(`/twice${pageCounter++}`, { html });
  await page.goto(url);
  const readyEvents = (await spayLog(page)).filter((entry) => entry.event === 'onready');
  expect(readyEvents).toHaveLength(1);
  await page.getByRole('button', { name: '点我付款' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(1);
});
