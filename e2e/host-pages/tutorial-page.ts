/**
 * The seed tutorial's page (spay-button-tutorial.html.jinja, copied verbatim from
 * shared/seeds/spay-button-tutorial.md), rendered as its Flask view would render it, with only the script's host
 * (and the appId, which must be one this gateway knows) changed.
 *
 * One repair: the tutorial's object literal lacks the comma after "return_url" (before the `optional` comment),
 * which makes the whole inline script a SyntaxError in every browser; the comma is added back, nothing else.
 */
import { readFileSync } from 'node:fs';
import { buttonOrderSign } from '../../sdk/sign.ts';
import type { MerchantApp } from './merchant-page.ts';

const template = readFileSync(new URL('./spay-button-tutorial.html.jinja', import.meta.url), 'utf8');

const TUTORIAL_HOST = 'https://jspay.beecloud.cn';
const TUTORIAL_APP_ID = 'e66e760b-0f78-44bb-a9ae-b22729d51678';
const MISSING_COMMA = '"return_url" : "http://leancloud.beecloud.cn/demo/jsbutton/payresult"\n';
/** The tutorial's return_url (a host that no longer exists; tests answer it with page.route). */
export const TUTORIAL_RETURN_URL = 'http://leancloud.beecloud.cn/demo/jsbutton/payresult';

export function tutorialPage(
  gatewayUrl: string,
  app: MerchantApp,
  outTradeNo: string,
  optional: Record<string, unknown>,
): string {
  // The view's values: title "product", amount "1", sign = md5(appid + title + amount + out_trade_no + appsecret).
  const sign = buttonOrderSign(app.appId, 'product', 1, outTradeNo, app.appSecret);
  const rendered = template
    .replace(TUTORIAL_HOST, gatewayUrl)
    .replace(TUTORIAL_APP_ID, app.appId)
    .replace('{{ uuid }}', outTradeNo)
    .replace('{{ sign }}', sign)
    .replace('{{ openid }}', '')
    .replace('{{ optional|tojson|safe }}', JSON.stringify(optional))
    .replace(MISSING_COMMA, MISSING_COMMA.replace('\n', ',\n'));
  if (rendered.includes('{{') || rendered.includes(TUTORIAL_HOST))
    throw new Error('the tutorial template changed');
  return rendered;
}
