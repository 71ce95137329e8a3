/**
 * The payer's side of the simulator: the "scan" page a code_url leads to (what the WeChat app shows after a QR
 * scan), the H5 cashier, result pages, and the WeixinJSBridge stand-in script. Plain HTML forms, no inline script.
 */

export function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; background: #ededed; margin: 0; }
main { max-width: 420px; margin: 0 auto; padding: 24px; background: #fff; min-height: 100vh; box-sizing: border-box; }
h1 { font-size: 18px; color: #07c160; }
.amount { font-size: 36px; font-weight: 600; margin: 16px 0; }
button { display: block; width: 100%; padding: 12px; margin: 12px 0; font-size: 17px; border-radius: 8px; border: 0; }
button.pay { background: #07c160; color: #fff; }
button.cancel { background: #f2f2f2; color: #333; }
dl { color: #666; font-size: 14px; } dt { float: left; width: 6em; } dd { margin-left: 6em; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

export interface PayerOrderView {
  description: string;
  total: number;
  outTradeNo: string;
  mchid: string;
  state: string;
}

function orderSummary(order: PayerOrderView): string {
  return `<p>${escapeHtml(order.description)}</p>
<p class="amount">¥${yuan(order.total)}</p>
<dl><dt>商户号</dt><dd>${escapeHtml(order.mchid)}</dd><dt>订单号</dt><dd>${escapeHtml(order.outTradeNo)}</dd></dl>`;
}

/** The page a scanned code_url opens: Pay / Cancel. */
export function scanPage(order: PayerOrderView, pr: string): string {
  if (order.state !== 'NOTPAY') return resultPage(order, stateText(order.state));
  const action = `/scan/${encodeURIComponent(pr)}`;
  return page(
    '微信支付',
    `<h1>微信支付 · 扫码付款</h1>${orderSummary(order)}
<form method="post" action="${action}/pay"><button class="pay" type="submit">付款 Pay ¥${yuan(order.total)}</button></form>
<form method="post" action="${action}/cancel"><button class="cancel" type="submit">取消 Cancel</button></form>`,
  );
}

/** The H5 cashier (what h5_url opens in a phone browser). */
export function h5Page(order: PayerOrderView, prepayId: string, redirectUrl: string | null): string {
  if (order.state !== 'NOTPAY') return resultPage(order, stateText(order.state));
  const hidden =
    `<input type="hidden" name="prepay_id" value="${escapeHtml(prepayId)}">` +
    (redirectUrl ? `<input type="hidden" name="redirect_url" value="${escapeHtml(redirectUrl)}">` : '');
  return page(
    '微信支付',
    `<h1>微信支付 · H5</h1>${orderSummary(order)}
<form method="post" action="/h5/pay">${hidden}<input type="hidden" name="choice" value="pay"><button class="pay" type="submit">付款 Pay ¥${yuan(order.total)}</button></form>
<form method="post" action="/h5/pay">${hidden}<input type="hidden" name="choice" value="cancel"><button class="cancel" type="submit">取消 Cancel</button></form>`,
  );
}

export function stateText(state: string): string {
  switch (state) {
    case 'SUCCESS':
      return '支付成功 Paid';
    case 'REFUND':
      return '已退款 Refunded';
    case 'CLOSED':
      return '订单已关闭 Closed';
    case 'NOTPAY':
      return '未支付 Not paid';
    default:
      return state;
  }
}

export function resultPage(order: PayerOrderView, message: string): string {
  return page('微信支付', `<h1>${escapeHtml(message)}</h1>${orderSummary(order)}`);
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

/**
 * The WeixinJSBridge stand-in. A page inside WeChat (user agent with MicroMessenger) loads it from the simulator
 * (`<script src="{sim}/bridge.js">`, or its text as an injected init script); `WeixinJSBridge.invoke('getBrandWCPayRequest', params, cb)` checks the
 * parameters and paySign at the simulator, shows a small dialog (付款 / 取消 / 失败) and answers
 * `get_brand_wcpay_request:ok`, `:cancel` or `:fail` as WeChat does. `ok` is not proof of payment: the notify is.
 */
export function bridgeScript(simulatorUrl: string): string {
  return `(function () {
  'use strict';
  // The simulator's URL is written in when served, so the script also works as an injected init script.
  var base = ${JSON.stringify(simulatorUrl)};
  function post(path, body) {
    return fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify(body)
    }).then(function (res) { return res.json(); });
  }
  function button(text, name, primary) {
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.setAttribute('data-wxsim', name);
    b.style.cssText = 'display:block;width:100%;margin:8px 0;padding:10px;font-size:16px;border:0;border-radius:6px;' +
      (primary ? 'background:#07c160;color:#fff;' : 'background:#f2f2f2;color:#333;');
    return b;
  }
  function dialog(order, done) {
    var overlay = document.createElement('div');
    overlay.setAttribute('role', 'dialog');
    overlay.setAttribute('aria-label', '微信支付');
    overlay.id = 'wxsim-pay-dialog';
    overlay.style.cssText = 'position:fixed;inset:0;background:rgba(0,0,0,.5);z-index:2147483647;display:flex;align-items:flex-end;';
    var sheet = document.createElement('div');
    sheet.style.cssText = 'background:#fff;width:100%;padding:20px;box-sizing:border-box;font-family:system-ui,sans-serif;';
    var title = document.createElement('p');
    title.textContent = '微信支付 · ' + order.description;
    var amount = document.createElement('p');
    amount.textContent = '¥' + order.amount;
    amount.style.cssText = 'font-size:28px;font-weight:600;';
    var pay = button('付款 Pay ¥' + order.amount, 'pay', true);
    var cancel = button('取消 Cancel', 'cancel', false);
    var fail = button('支付失败 Fail', 'fail', false);
    sheet.appendChild(title); sheet.appendChild(amount);
    sheet.appendChild(pay); sheet.appendChild(cancel); sheet.appendChild(fail);
    overlay.appendChild(sheet);
    document.body.appendChild(overlay);
    function finish(result) { overlay.remove(); done(result); }
    pay.addEventListener('click', function () { finish('pay'); });
    cancel.addEventListener('click', function () { finish('cancel'); });
    fail.addEventListener('click', function () { finish('fail'); });
  }
  function answer(cb, result, desc) {
    var res = { err_msg: 'get_brand_wcpay_request:' + result };
    if (desc) res.err_desc = desc;
    if (typeof cb === 'function') cb(res);
  }
  window.WeixinJSBridge = {
    invoke: function (name, params, cb) {
      if (name !== 'getBrandWCPayRequest') { if (typeof cb === 'function') cb({ err_msg: name + ':fail' }); return; }
      post('/jsapi/request', params).then(function (checked) {
        if (!checked.ok) { answer(cb, 'fail', checked.err_desc); return; }
        dialog(checked.order, function (choice) {
          if (choice === 'cancel') { answer(cb, 'cancel'); return; }
          if (choice === 'fail') { answer(cb, 'fail', 'payer chose to fail'); return; }
          post('/jsapi/pay', params).then(function (paid) {
            answer(cb, paid.ok ? 'ok' : 'fail', paid.ok ? undefined : paid.err_desc);
          }, function () { answer(cb, 'fail', 'network error'); });
        });
      }, function () { answer(cb, 'fail', 'network error'); });
    },
    on: function () {},
    call: function () {}
  };
  function ready() {
    var event;
    try { event = new Event('WeixinJSBridgeReady'); } catch (e) { event = document.createEvent('Event'); event.initEvent('WeixinJSBridgeReady', false, false); }
    document.dispatchEvent(event);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready); else setTimeout(ready, 0);
})();
`;
}
