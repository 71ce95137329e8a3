/**
 * return_url with javascript:, data:, vbscript:, ftp:, a scheme-relative or malformed URL, or a query string:
 * refused by the button endpoint, the REST API and the widget (which sends no request).
 */
import { signedOrderFor, startMerchantSite } from '../../lib/merchant-page.ts';
import { payBody } from '../../lib/rest-requests.ts';
import type { Checks } from '../lib/checks.ts';
import { openPage, type SecurityStage } from './stage.ts';

export async function checkReturnUrlSchemes(stage: SecurityStage, checks: Checks): Promise<void> {
  const { app, gateway, browser, log, post, json } = stage;
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
  const widget = await openPage(stage);
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
}
