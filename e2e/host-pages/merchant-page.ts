/**
 * Merchant pages for the e2e tests, written the way a BeeCloud merchant writes them: the script tag in <head>,
 * BC.click on a button, the order's sign computed on the merchant's server (here: the test, with sdk/sign.ts).
 * Every callback and lifecycle event lands in `window.spayLog` for the test to read.
 */
import { buttonOrderSign } from '../../sdk/sign.ts';

export interface MerchantApp {
  appId: string;
  appSecret: string;
}

export interface OrderFields {
  out_trade_no: string;
  title: string;
  amount: number;
  sign: string;
}

let sequence = 0;

/** A fresh order with its sign, as the merchant's server renders it into the page. */
export function signedOrder(app: MerchantApp, title = '测试商品', amount = 1): OrderFields {
  const outTradeNo = `e2e${Date.now().toString(36)}${(sequence++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return {
    out_trade_no: outTradeNo,
    title,
    amount,
    sign: buttonOrderSign(app.appId, title, amount, outTradeNo, app.appSecret),
  };
}

export function scriptTag(gatewayUrl: string, appId: string): string {
  return `<script id="spay-script" src="${gatewayUrl}/1/pay/jsbutton/returnscripts?appId=${appId}"></script>`;
}

export interface MerchantPageOptions {
  gatewayUrl: string;
  appId: string;
  /** BC.click's data (serialised into the page). */
  data: Record<string, unknown>;
  /** Extra markup in <head> (styles…). */
  head?: string;
  /** Extra markup in <body>. */
  body?: string;
  /** A CSP nonce for the page's own inline script. */
  nonce?: string;
}

const LOGGED_EVENTS = ['onready', 'open', 'channel', 'qrshown', 'paid', 'failed', 'expired', 'close'];
const CALLBACKS = [
  'dataError',
  'wxJsapiFinish',
  'wxJsapiSuccess',
  'wxJsapiFail',
  'open',
  'channel',
  'qrshown',
  'paid',
  'failed',
  'expired',
  'close',
];

export function merchantPage(options: MerchantPageOptions): string {
  const nonce = options.nonce ? ` nonce="${options.nonce}"` : '';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1.0">
<title>Merchant test shop</title>
<script${nonce}>
window.spayLog = [];
${JSON.stringify(LOGGED_EVENTS)}.forEach(function (name) {
  document.addEventListener('beecloud:' + name, function (event) { window.spayLog.push({ event: name, detail: event.detail }); });
});
</script>
${scriptTag(options.gatewayUrl, options.appId)}
${options.head ?? ''}
</head>
<body>
<main>
<h1>Merchant test shop</h1>
<button id="pay" type="button">点我付款</button>
${options.body ?? ''}
</main>
<script${nonce}>
window.spayData = ${JSON.stringify(options.data)};
document.getElementById('pay').addEventListener('click', function () {
  var events = {};
  ${JSON.stringify(CALLBACKS)}.forEach(function (name) {
    events[name] = function (value) { window.spayLog.push({ callback: name, value: value }); };
  });
  BC.click(window.spayData, events);
});
</script>
</body>
</html>`;
}
