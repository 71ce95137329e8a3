/**
 * XSS payloads as title (and markup in optional) on every page that shows a bill: the sandbox cashier,
 * the WeChat scan page, the Alipay guide (WeChat UA), the result page after paying, the demo pay-result and orders
 * pages, and the widget's own dialog. None may run; pages that show the title show it as text.
 */
import type { Page } from '@playwright/test';
import { signedOrderFor, startMerchantSite } from '../../lib/merchant-page.ts';
import { uniqueBillNo } from '../../lib/rest-requests.ts';
import type { Checks } from '../lib/checks.ts';
import { openPage, type SecurityStage } from './stage.ts';

/** Each sets window.__xss if it ever runs; each fits BeeCloud's 32-character title. */
export const xssPayloads = [
  '<img src=x onerror=__xss=1>',
  '"><svg onload=__xss=1>',
  '<script>__xss=1</script>',
];
const optionalPayload = { note: '</script><script>__xss=1</script>', '<b onmouseover=__xss=1>k</b>': 'v' };
const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40';

interface PageVerdict {
  ran: boolean;
  shownAsText: boolean;
}

/** The page's text, light and shadow DOM (the widget's dialog), as a page expression. */
const pageText = `(function () {
  var texts = [document.body ? document.body.innerText : ''];
  var host = document.querySelector('spay-checkout');
  if (host && host.shadowRoot) texts.push(host.shadowRoot.textContent || '');
  return texts.join('\\n');
})()`;

/** Every image of the page (light and shadow DOM) has loaded or failed: an `onerror` payload has had its turn. */
const imagesSettled = `(function () {
  var images = Array.prototype.slice.call(document.images);
  var host = document.querySelector('spay-checkout');
  if (host && host.shadowRoot) images = images.concat(Array.prototype.slice.call(host.shadowRoot.querySelectorAll('img')));
  return images.every(function (image) { return image.complete; });
})()`;

/**
 * Did the payload run (window.__xss set, or a dialog opened), and is it in the page's text (light and shadow DOM)?
 * Waits for states, not for time: the page loaded, the title shown when the page shows it (bounded: a page that
 * never shows it is reported), every image settled (an `onerror` payload fires then), and one more task of the page.
 */
async function inspect(
  page: Page,
  payload: string,
  dialogs: { count: number },
  showsTitle: boolean,
): Promise<PageVerdict> {
  await page.waitForLoadState('load');
  if (showsTitle) {
    await page
      .waitForFunction(`${pageText}.indexOf(${JSON.stringify(payload)}) !== -1`, undefined, {
        timeout: 10_000,
      })
      .catch(() => undefined);
  }
  await page.waitForFunction(imagesSettled);
  // The error event of an image that has just failed is a task queued after it: let it run first.
  await page.evaluate('new Promise(function (resolve) { setTimeout(resolve, 0); })');
  const verdict = (await page.evaluate(
    `({ ran: typeof window.__xss !== 'undefined', shownAsText: ${pageText}.indexOf(${JSON.stringify(payload)}) !== -1 })`,
  )) as PageVerdict;
  return { ran: verdict.ran || dialogs.count > 0, shownAsText: verdict.shownAsText };
}

export async function checkXssPages(stage: SecurityStage, checks: Checks): Promise<void> {
  const { app, gateway, demo, demoUrl, browser, log, post, json } = stage;
  checks.tried_(`${xssPayloads.length} XSS payloads as title (and markup in optional) on every page`);
  const xssResults: string[] = [];
  let pagesChecked = 0;
  let shownAsText = 0;
  for (const payload of xssPayloads) {
    const order = signedOrderFor(app, payload, 1);
    const ali = json(
      (await post('/2/rest/jsbutton/ALI_WEB', { appId: app.appId, ...order, optional: optionalPayload }))
        .text,
    );
    const wxOrder = signedOrderFor(app, payload, 2);
    const wx = json(
      (
        await post('/2/rest/jsbutton/WX_NATIVE', {
          appId: app.appId,
          ...wxOrder,
          optional: optionalPayload,
        })
      ).text,
    );
    if (ali.resultCode !== 0 || wx.resultCode !== 0) {
      xssResults.push(`bill with title ${payload} refused: ${JSON.stringify(ali).slice(0, 120)}`);
      continue;
    }
    const aliId = String(ali.id);
    const targets: { name: string; url: string; userAgent?: string; showsTitle: boolean }[] = [
      { name: 'cashier', url: `${gateway.url}/sandbox/cashier/${aliId}`, showsTitle: true },
      {
        name: 'WeChat scan page',
        url: `${gateway.url}/sandbox/wx/scan/${String(wx.id)}`,
        showsTitle: true,
      },
      {
        name: 'Alipay guide (in WeChat)',
        url: String(ali.guide_url),
        userAgent: WECHAT_UA,
        showsTitle: false,
      },
      {
        name: 'demo pay result',
        url: `${demoUrl}/payresult?bill_no=${order.out_trade_no}&title=${encodeURIComponent(payload)}&total_fee=1&spay_result=true&channel=ALI&sub_channel=ALI_WEB&trade_no=${encodeURIComponent(payload)}&create_time=1`,
        showsTitle: true,
      },
    ];
    demo.orders.createOrder({
      outTradeNo: uniqueBillNo('X'),
      title: payload,
      amount: 3,
      optional: optionalPayload,
      createdAt: Date.now(),
    });
    targets.push({ name: 'demo orders', url: `${demoUrl}/orders`, showsTitle: true });
    for (const target of targets) {
      const opened = await openPage(stage, target.userAgent);
      await opened.page.goto(target.url);
      const verdict = await inspect(opened.page, payload, opened.dialogs, target.showsTitle);
      pagesChecked += 1;
      if (verdict.shownAsText) shownAsText += 1;
      if (verdict.ran) xssResults.push(`${target.name}: ${payload} ran`);
      else if (target.showsTitle && !verdict.shownAsText)
        xssResults.push(`${target.name}: ${payload} not shown as text`);
      await opened.close();
    }
    // Paying on the cashier leads to the result page, which shows the title too.
    const opened = await openPage(stage);
    await opened.page.goto(`${gateway.url}/sandbox/cashier/${aliId}`);
    await opened.page.getByRole('button', { name: '支付', exact: true }).click();
    await opened.page.waitForURL(/\/1\/pay\/jsbutton\/result\//);
    const verdict = await inspect(opened.page, payload, opened.dialogs, true);
    pagesChecked += 1;
    if (verdict.shownAsText) shownAsText += 1;
    if (verdict.ran || !verdict.shownAsText)
      xssResults.push(`result page: ${payload} ${verdict.ran ? 'ran' : 'not shown'}`);
    await opened.close();
    // The widget's own dialog, with the payload as title: menu, then the QR panel.
    const site = await startMerchantSite({ gatewayUrl: gateway.url, app, pageScript: '', title: payload });
    const widget = await openPage(stage);
    await widget.page.goto(`${site.url}/shop`);
    await widget.page.waitForFunction('typeof window.BC === "object"');
    await widget.page.evaluate(
      `BC.click(Object.assign(JSON.parse(document.body.dataset.order), { optional: ${JSON.stringify(optionalPayload)} }))`,
    );
    // The channel menu is open before the second click; the QR panel (its code drawn) after it.
    await widget.page.waitForFunction(
      `(function () { var host = document.querySelector('spay-checkout'); return !!(host && host.shadowRoot && host.shadowRoot.querySelector('[role="dialog"] button')); })()`,
    );
    await widget.page.evaluate(
      `BC.click(Object.assign(JSON.parse(document.body.dataset.order), { instant_channel: 'wxmp', optional: ${JSON.stringify(optionalPayload)} }))`,
    );
    await widget.page.waitForFunction(
      `(function () { var host = document.querySelector('spay-checkout'); return !!(host && host.shadowRoot && host.shadowRoot.querySelector('.qr svg, .qr canvas, .qr img')); })()`,
    );
    const widgetVerdict = await inspect(widget.page, payload, widget.dialogs, false);
    pagesChecked += 1;
    if (widgetVerdict.ran) xssResults.push(`widget: ${payload} ran`);
    await widget.close();
    await site.close();
  }
  checks.check(
    'XSS payloads render as text, never run',
    xssResults.length === 0,
    `${pagesChecked} page views, none ran a payload, ${shownAsText} showed it as text${xssResults[0] ? `; problems: ${xssResults.slice(0, 3).join(' | ')}` : ''}`,
  );
}
