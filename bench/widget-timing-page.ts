/**
 * The script of the timing page (served as /shop.js, before the 秒支付 script tag). It records in
 * `window.__spayBench`: `beecloud:onready`; the click on "menu" and the first painted frame where the channel
 * menu is visible; the click on "qr" (instant_channel wxmp) and the first frame where the QR is visible; and,
 * as wall-clock times, when the widget shows "支付成功" ("Payment successful" in English; its push stream) and when a poller doing what the
 * original did — `GET /2/rest/bill_public/{id}` every 3 s, at a random phase as a payer's scan would be — first
 * sees the bill paid.
 */
export const timingPageScript = String.raw`(function () {
  var bench = (window.__spayBench = { marks: {}, times: {} });
  function mark(name) { if (!(name in bench.marks)) bench.marks[name] = performance.now(); }
  function stamp(name) { if (!(name in bench.times)) bench.times[name] = Date.now(); }
  function checkout() { var host = document.querySelector('spay-checkout'); return host && host.shadowRoot; }
  function visible(element) {
    if (!element) return false;
    var box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    return !element.checkVisibility || element.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  }
  function whenVisible(find, done) {
    function frame() {
      var root = checkout();
      if (visible(root && find(root))) return done();
      requestAnimationFrame(frame);
    }
    requestAnimationFrame(frame);
  }
  function paidHeading(root) {
    var headings = root.querySelectorAll('h3');
    for (var i = 0; i < headings.length; i++) {
      var text = headings[i].textContent;
      if (text === '支付成功' || text === 'Payment successful') return headings[i];
    }
    return null;
  }
  function order(extra) {
    var data = JSON.parse(document.body.dataset.order);
    for (var key in extra) data[key] = extra[key];
    return data;
  }
  function pollEveryThreeSeconds(billId) {
    var gateway = document.body.dataset.gateway;
    var done = false;
    function poll() {
      if (done) return;
      fetch(gateway + '/2/rest/bill_public/' + billId)
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (answer.pay && answer.pay.status === 'paid') { stamp('pollPaid'); done = true; }
        });
    }
    // The payer pays at a random moment of the 3 s cycle: the cycle starts at a random phase.
    setTimeout(function () { poll(); setInterval(poll, 3000); }, Math.random() * 3000);
  }
  document.addEventListener('beecloud:onready', function () { mark('ready'); });
  document.addEventListener('beecloud:qrshown', function (event) {
    bench.billId = event.detail.bill_id;
    pollEveryThreeSeconds(event.detail.bill_id);
  });
  document.addEventListener('click', function (event) {
    var id = event.target && event.target.id;
    if (id === 'open-menu') {
      mark('menuClick');
      BC.click(order({}));
      whenVisible(function (root) { return root.querySelector('[role=dialog] .menu-form'); }, function () { mark('menuVisible'); });
    } else if (id === 'open-qr') {
      mark('qrClick');
      BC.click(order({ instant_channel: 'wxmp' }));
      whenVisible(function (root) { return root.querySelector('.qr svg'); }, function () {
        mark('qrVisible');
        whenVisible(paidHeading, function () { stamp('pushPaid'); });
      });
    }
  });
})();
`;
