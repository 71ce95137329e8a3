/**
 * Security: XSS payloads in title / optional render as text on every page (widget, cashier, WeChat scan page,
 * Alipay guide, result page, demo pay-result and orders pages); tampered sign, amount or bill_no are refused
 * and create nothing; a correctly signed app_sign outside the timestamp window is refused; return_url with
 * javascript: or other schemes is refused by the widget and the gateway; no app secret appears in any response
 * of the whole run; the widget pays on a page with a strict Content-Security-Policy.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { buildDemoServer } from '../../demo-server/server.ts';
import { freePort } from '../../e2e/stack.ts';
import { signedWebhookBody } from '../../sdk/testing/webhook-sender.ts';
import { launchChromium } from '../lib/browser.ts';
import { appSecrets, demoApp, merchantView, repoRoot } from '../lib/demo-app.ts';
import { startGatewayProcess } from '../lib/gateway-process.ts';
import { signedOrderFor, startMerchantSite } from '../lib/merchant-page.ts';
import { payBody, signedAuth, uniqueBillNo } from '../lib/rest-requests.ts';
import { timingPageScript } from '../widget-timing-page.ts';
import { waitForMark } from '../widget-timing.ts';
import { Checks } from './lib/checks.ts';
import { ResponseLog } from './lib/response-log.ts';

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

async function inspect(page: Page, payload: string, dialogs: { count: number }): Promise<PageVerdict> {
  await page.waitForLoadState('load');
  await page.waitForTimeout(100);
  return page
    .evaluate(
      `(() => {
      var texts = [document.body ? document.body.innerText : ''];
      var host = document.querySelector('spay-checkout');
      if (host && host.shadowRoot) texts.push(host.shadowRoot.textContent || '');
      return { ran: typeof window.__xss !== 'undefined', shownAsText: texts.join('\\n').indexOf(${JSON.stringify(payload)}) !== -1 };
    })()`,
    )
    .then((verdict) => {
      const typed = verdict as PageVerdict;
      return { ran: typed.ran || dialogs.count > 0, shownAsText: typed.shownAsText };
    });
}

async function openPage(browser: Browser, log: ResponseLog, userAgent?: string) {
  const context = await browser.newContext({ locale: 'zh-CN', ...(userAgent ? { userAgent } : {}) });
  const page = await context.newPage();
  const dialogs = { count: 0 };
  page.on('dialog', (dialog) => {
    dialogs.count += 1;
    void dialog.dismiss();
  });
  log.watch(page);
  return { page, dialogs, close: () => context.close() };
}

export async function securityScenario(): Promise<Checks> {
  const checks = new Checks('security');
  const log = new ResponseLog();
  const dataDir = mkdtempSync(join(tmpdir(), 'spay-reliability-security-'));
  const demoPort = await freePort();
  const app = demoApp({ webhookUrl: `http://127.0.0.1:${demoPort}/webhook` });
  const gateway = await startGatewayProcess({ dataDir, app, widgetDir: join(repoRoot, 'dist/widget') });
  const demo = await buildDemoServer({ dataDir, gatewayUrl: gateway.url, app });
  await demo.server.listen({ host: '127.0.0.1', port: demoPort });
  const demoUrl = `http://127.0.0.1:${demoPort}`;
  const browser = await launchChromium();
  const post = (path: string, body: unknown) =>
    log.fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const json = (text: string) => JSON.parse(text) as Record<string, unknown>;
  try {
    // ---- XSS on every page -------------------------------------------------------------------------------
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
        const opened = await openPage(browser, log, target.userAgent);
        await opened.page.goto(target.url);
        const verdict = await inspect(opened.page, payload, opened.dialogs);
        pagesChecked += 1;
        if (verdict.shownAsText) shownAsText += 1;
        if (verdict.ran) xssResults.push(`${target.name}: ${payload} ran`);
        else if (target.showsTitle && !verdict.shownAsText)
          xssResults.push(`${target.name}: ${payload} not shown as text`);
        await opened.close();
      }
      // Paying on the cashier leads to the result page, which shows the title too.
      const opened = await openPage(browser, log);
      await opened.page.goto(`${gateway.url}/sandbox/cashier/${aliId}`);
      await opened.page.getByRole('button', { name: '支付', exact: true }).click();
      await opened.page.waitForURL(/\/1\/pay\/jsbutton\/result\//);
      const verdict = await inspect(opened.page, payload, opened.dialogs);
      pagesChecked += 1;
      if (verdict.shownAsText) shownAsText += 1;
      if (verdict.ran || !verdict.shownAsText)
        xssResults.push(`result page: ${payload} ${verdict.ran ? 'ran' : 'not shown'}`);
      await opened.close();
      // The widget's own dialog, with the payload as title: menu, then the QR panel.
      const site = await startMerchantSite({ gatewayUrl: gateway.url, app, pageScript: '', title: payload });
      const widget = await openPage(browser, log);
      await widget.page.goto(`${site.url}/shop`);
      await widget.page.waitForFunction('typeof window.BC === "object"');
      await widget.page.evaluate(
        `BC.click(Object.assign(JSON.parse(document.body.dataset.order), { optional: ${JSON.stringify(optionalPayload)} }))`,
      );
      await widget.page.waitForTimeout(200);
      await widget.page.evaluate(
        `BC.click(Object.assign(JSON.parse(document.body.dataset.order), { instant_channel: 'wxmp', optional: ${JSON.stringify(optionalPayload)} }))`,
      );
      await widget.page.waitForTimeout(800);
      const widgetVerdict = await inspect(widget.page, payload, widget.dialogs);
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

    // ---- Tampered button orders -----------------------------------------------------------------------------
    const tamperings: string[] = [];
    const tamperedNos: string[] = [];
    for (const [what, tamper] of [
      [
        'sign',
        (o: Record<string, unknown>) => ({
          ...o,
          sign: String(o.sign).replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
        }),
      ],
      ['amount', (o: Record<string, unknown>) => ({ ...o, amount: Number(o.amount) + 1 })],
      ['amount', (o: Record<string, unknown>) => ({ ...o, amount: 1 })],
      [
        'out_trade_no',
        (o: Record<string, unknown>) => ({ ...o, out_trade_no: `${String(o.out_trade_no)}9`.slice(-32) }),
      ],
      ['title', (o: Record<string, unknown>) => ({ ...o, title: '便宜货' })],
    ] as const) {
      const order = signedOrderFor(app, '正品', 9900);
      const tampered = tamper(order);
      tamperedNos.push(String((tampered as Record<string, unknown>).out_trade_no));
      const answer = json((await post('/2/rest/jsbutton/WX_NATIVE', { appId: app.appId, ...tampered })).text);
      if (answer.resultCode === 0 || !String(answer.err_detail).startsWith('sign'))
        tamperings.push(`${what}: ${JSON.stringify(answer).slice(0, 120)}`);
    }
    const db = new Database(join(dataDir, 'gateway.sqlite'), { readonly: true });
    const created = tamperedNos.filter((no) =>
      db.prepare('SELECT 1 FROM orders WHERE bill_no = ?').get(no),
    ).length;
    db.close();
    // A webhook whose amount was changed on the way is refused by the merchant and pays nothing.
    const demoOrderNo = uniqueBillNo('W');
    demo.orders.createOrder({
      outTradeNo: demoOrderNo,
      title: 'x',
      amount: 500,
      optional: {},
      createdAt: Date.now(),
    });
    const genuine = signedWebhookBody(merchantView(app, gateway.url), {
      transactionType: 'PAY',
      transactionId: demoOrderNo,
      transactionFee: 500,
    });
    const forged = await log.fetch(`${demoUrl}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...genuine, transaction_fee: 1 }),
    });
    const forgedPaid = demo.orders.findOrder(demoOrderNo)?.status === 'paid';
    checks.check(
      'tampered sign, amount, bill_no or title refused; nothing created',
      tamperings.length === 0 && created === 0 && forged.text !== 'success' && !forgedPaid,
      `5 tampered orders refused naming sign, ${created} orders created; forged webhook amount → HTTP ${forged.status}, order ${forgedPaid ? 'PAID' : 'unpaid'}` +
        `${tamperings[0] ? `; problems: ${tamperings.join(' | ')}` : ''}`,
    );

    // ---- Replayed app_sign outside the window ----------------------------------------------------------------
    const replays: string[] = [];
    for (const offsetMs of [-6 * 60_000, 6 * 60_000, -24 * 3600_000]) {
      const body = { ...payBody(app), ...signedAuth(app, 'app', Date.now() + offsetMs) };
      const answer = json((await post('/2/rest/bill', body)).text);
      if (answer.result_code !== 1 || !String(answer.err_detail).startsWith('timestamp'))
        replays.push(`${offsetMs} ms: ${JSON.stringify(answer).slice(0, 120)}`);
    }
    const tamperedSign = json(
      (await post('/2/rest/bill', { ...payBody(app), app_sign: '0'.repeat(32) })).text,
    );
    checks.check(
      'a correctly signed request outside ±5 min is refused (APP_INVALID, timestamp); a wrong app_sign too',
      replays.length === 0 && tamperedSign.result_code === 1,
      `3 stale/future timestamps refused; wrong app_sign → ${String(tamperedSign.result_code)} ${String(tamperedSign.err_detail).slice(0, 60)}` +
        `${replays[0] ? `; problems: ${replays.join(' | ')}` : ''}`,
    );

    // ---- return_url schemes ----------------------------------------------------------------------------------
    const badUrls = [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      'ftp://shop.example/r',
      '//evil.example/r',
      'http:/evil',
      'https://shop.example/r?x=1',
    ];
    const accepted: string[] = [];
    for (const url of badUrls) {
      const order = signedOrderFor(app, 'url', 1);
      const button = json(
        (await post('/2/rest/jsbutton/ALI_WEB', { appId: app.appId, ...order, return_url: url })).text,
      );
      if (button.resultCode === 0 || !String(button.err_detail).startsWith('return_url'))
        accepted.push(`button ${url}`);
      const rest = json(
        (await post('/2/rest/bill', payBody(app, { channel: 'ALI_WEB', returnUrl: url }))).text,
      );
      if (rest.result_code === 0 || !String(rest.err_detail).startsWith('return_url'))
        accepted.push(`REST ${url}`);
    }
    const site = await startMerchantSite({ gatewayUrl: gateway.url, app, pageScript: '' });
    const widget = await openPage(browser, log);
    const billRequests: string[] = [];
    widget.page.on('request', (request) => {
      if (request.url().includes('/2/rest/jsbutton/')) billRequests.push(request.url());
    });
    await widget.page.goto(`${site.url}/shop`);
    await widget.page.waitForFunction('typeof window.BC === "object"');
    const widgetErrors = (await widget.page.evaluate(`(async (urls) => {
      var fields = [];
      for (var i = 0; i < urls.length; i++) {
        BC.click(Object.assign(JSON.parse(document.body.dataset.order), { instant_channel: 'ali', return_url: urls[i] }), {
          dataError: function (error) { fields.push(error.field); }
        });
        await new Promise(function (resolve) { setTimeout(resolve, 50); });
      }
      return fields;
    })(${JSON.stringify(badUrls)})`)) as string[];
    await widget.close();
    await site.close();
    checks.check(
      'return_url with javascript: or another scheme (or a query) refused by widget and gateway',
      accepted.length === 0 &&
        widgetErrors.length === badUrls.length &&
        widgetErrors.every((field) => field === 'return_url') &&
        billRequests.length === 0,
      `${badUrls.length} URLs × (button, REST, widget): gateway accepted ${accepted.length}, widget reported ${widgetErrors.length} return_url errors and sent ${billRequests.length} requests` +
        `${accepted[0] ? `; accepted: ${accepted.slice(0, 3).join(' | ')}` : ''}`,
    );

    // ---- Strict CSP ------------------------------------------------------------------------------------------
    const csp = `default-src 'none'; script-src 'self' ${gateway.url}; connect-src ${gateway.url}; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action ${gateway.url}; frame-ancestors 'none'`;
    const strictSite = await startMerchantSite({
      gatewayUrl: gateway.url,
      app,
      pageScript: timingPageScript,
      csp,
    });
    const strict = await openPage(browser, log);
    const violations: string[] = [];
    strict.page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text()))
        violations.push(message.text().slice(0, 160));
    });
    let strictPaid = false;
    try {
      // Function forms only: under this CSP the page may not evaluate strings.
      await strict.page.goto(`${strictSite.url}/shop`);
      await waitForMark(strict.page, 'marks', 'ready');
      await strict.page.click('#open-menu');
      await waitForMark(strict.page, 'marks', 'menuVisible');
      await strict.page.evaluate(() => (window as unknown as { BC: { close(): void } }).BC.close());
      await strict.page.click('#open-qr');
      await waitForMark(strict.page, 'marks', 'qrVisible');
      const billId = await strict.page.evaluate(
        () => (window as unknown as { __spayBench: { billId?: string } }).__spayBench.billId,
      );
      const auth = signedAuth(app, 'test');
      await log.fetch(
        `${gateway.url}/2/rest/sandbox/notify/${app.appId}/${String(billId)}?app_id=${auth.app_id}&timestamp=${auth.timestamp}&app_sign=${auth.app_sign}`,
      );
      await waitForMark(strict.page, 'times', 'pushPaid', 10_000);
      strictPaid = true;
    } catch (error) {
      violations.push(`flow stopped: ${String(error).slice(0, 160)}`);
    }
    await strict.close();
    await strictSite.close();
    checks.check(
      'the widget works on a page with a strict CSP (no unsafe-inline)',
      strictPaid && violations.length === 0,
      `menu, QR and paid shown: ${strictPaid ? 'yes' : 'no'}; ${violations.length} CSP violations${violations[0] ? ` (first: ${violations[0]})` : ''}`,
    );

    // ---- Secrets in responses --------------------------------------------------------------------------------
    for (const path of ['/', '/orders', '/orders.json', '/payresult?bill_no=x'])
      await log.fetch(`${demoUrl}${path}`);
    await log.fetch(`${gateway.url}/1/pay/jsbutton/returnscripts?appId=${app.appId}`);
    const leaks = log.leaks(appSecrets(app));
    checks.check(
      'no secret in any response of the run',
      leaks.length === 0,
      `${log.entries.length} responses scanned for ${appSecrets(app).length} secrets, ${leaks.length} leaks` +
        `${leaks[0] ? ` (first: ${leaks[0].secret} in ${leaks[0].source})` : ''}`,
    );
  } finally {
    await browser.close();
    await demo.server.close();
    await gateway.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  return checks;
}
