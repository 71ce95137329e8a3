/*
 * A page script that speaks the protocol of BeeCloud's own button script (v4), written here for spay's e2e test
 * from that protocol as BeeCloud's documentation describes it (docs: reference §3, issue 16). It is not BeeCloud's
 * code; it does what that script did on the wire, unchanged, so the test proves such pages still work:
 *
 * - the order call is JSONP: `GET {host}/2/rest/jsbutton/{CHANNEL}?para={…}`, the JSON built by hand with every
 *   value as a string, the JSONP `callback` *inside* para, and the whole URL passed through `encodeURI`;
 * - a redirect answer is read from `url`, `method` and `param` (a hidden form, submitted into a new window here
 *   so this page can keep polling); a WX_NATIVE answer's QR text is `url`;
 * - the status is polled every 3 s (at most 100 times) with JSONP at
 *   `GET {host}/2/rest/bill_public/{id}?para={"app_id":…,"callback":"queryFun"}` until `pay.spay_result`.
 *
 * Load it with <script src="beecloud-v4-script.js" data-host="GATEWAY" data-app-id="APP_ID"></script>; it defines
 * window.BC.click(data, events) and dispatches "beecloud:onready" on document.
 */
(function () {
  if (window.BC) return;
  var me = document.currentScript;
  var host = me.getAttribute('data-host');
  var appId = me.getAttribute('data-app-id');
  var isMobile = /android|ipad|iphone|midp|ucweb|windows ce|windows mobile/i.test(navigator.userAgent);
  var POLL_MS = 3000;
  var POLL_MAX = 100;
  var sequence = 0;

  var channels = {
    ali: isMobile ? 'ALI_WAP' : 'ALI_WEB',
    wxmp: 'WX_NATIVE',
    wx: 'WX_JSAPI',
    un: 'UN_WEB',
    unwap: 'UN_WAP',
    wxwap: 'WX_WAP',
  };

  function pair(name, value) {
    return '"' + name + '":"' + value + '"';
  }

  function jsonp(url) {
    var tag = document.createElement('script');
    tag.src = url;
    tag.onload = tag.onerror = function () {
      tag.parentNode.removeChild(tag);
    };
    document.body.appendChild(tag);
  }

  function show(id, text, attributes) {
    var element = document.getElementById(id);
    if (!element) {
      element = document.createElement('div');
      element.id = id;
      document.body.appendChild(element);
    }
    element.textContent = text;
    for (var name in attributes || {}) element.setAttribute(name, attributes[name]);
    return element;
  }

  function fail(events, answer) {
    show('bc-status', '支付失败：' + (answer.err_detail || answer.result_msg || answer.msg));
    if (events.dataError) events.dataError(answer);
  }

  function submitForm(answer) {
    var form = document.createElement('form');
    form.action = answer.url;
    form.method = answer.method || 'GET';
    form.target = '_blank';
    for (var name in answer.param || {}) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = answer.param[name];
      form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
  }

  function poll(id, count) {
    window.queryFun = function (answer) {
      if (answer.resultCode === 0 && answer.pay && answer.pay.spay_result) {
        show('bc-status', '支付成功', {
          'data-bill-no': answer.pay.bill_no,
          'data-total-fee': answer.pay.total_fee,
        });
        return;
      }
      if (count + 1 < POLL_MAX) {
        setTimeout(function () {
          poll(id, count + 1);
        }, POLL_MS);
      }
    };
    jsonp(
      encodeURI(
        host +
          '/2/rest/bill_public/' +
          id +
          '?para={' +
          pair('app_id', appId) +
          ',' +
          pair('callback', 'queryFun') +
          '}',
      ),
    );
  }

  function click(data, events) {
    events = events || {};
    var channel = channels[data.instant_channel];
    if (!channel) {
      fail(events, { msg: 'instant_channel 不存在渠道[' + data.instant_channel + ']' });
      return;
    }
    var callback = 'BCPayCallback' + ++sequence;
    window[callback] = function (answer) {
      delete window[callback];
      if (answer.resultCode !== 0) return fail(events, answer);
      if (channel === 'WX_NATIVE') {
        show('bc-qr', '请使用微信扫码付款', { 'data-qr-text': answer.url });
      } else {
        submitForm(answer);
      }
      show('bc-status', '等待支付');
      setTimeout(function () {
        poll(answer.id, 0);
      }, POLL_MS);
    };
    var para =
      '{' +
      [
        pair('appId', appId),
        pair('title', data.title),
        pair('amount', String(data.amount)),
        pair('out_trade_no', data.out_trade_no),
        pair('sign', data.sign),
        pair('return_url', data.return_url || ''),
        pair('type', isMobile ? 'wap' : 'web'),
        pair('callback', callback),
      ].join(',') +
      '}';
    jsonp(encodeURI(host + '/2/rest/jsbutton/' + channel + '?para=' + para));
  }

  window.BC = { click: click };
  document.dispatchEvent(new CustomEvent('beecloud:onready', { detail: { msg: 'ready' }, bubbles: true }));
})();
