// The product page's script (served as a file, so the page needs no inline script under a strict CSP).
// It is the seed tutorial's asyncPay() wrapper: BC.click waits for the widget's beecloud:onready event.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('spay-order').textContent);
  var message = document.getElementById('pay-message');
  var errorBox = document.getElementById('pay-error');
  var payMessages = window.spayDemoPayMessages;

  function show(element, text) {
    element.textContent = text;
    element.hidden = false;
  }

  function bcPay() {
    errorBox.hidden = true;
    BC.click(data.order, {
      // The payer reads what happened and what to do; the detail is for the shop's developers (the console).
      dataError: function (error) {
        console.warn('BC.click dataError', error);
        show(errorBox, payMessages.forDataError(error));
      },
      wxJsapiSuccess: function () {
        show(message, '支付完成，订单状态以 webhook 为准。');
        window.location.href = data.ordersUrl;
      },
      wxJsapiFail: function (res) {
        show(errorBox, payMessages.forWxResult(res));
      },
    });
  }

  // Waits for the widget if it has not loaded yet; several clicks before that still pay once.
  var waiting = false;
  function asyncPay() {
    if (typeof BC == 'undefined') {
      // The widget's script is in <head>: once the page has loaded, a missing BC means it failed to load.
      if (document.readyState === 'complete') show(errorBox, '支付组件未能加载，请检查网络后刷新页面。');
      if (waiting) return;
      waiting = true;
      document.addEventListener(
        'beecloud:onready',
        function () {
          waiting = false;
          errorBox.hidden = true;
          bcPay();
        },
        { once: true },
      );
    } else {
      bcPay();
    }
  }

  document.getElementById('test').onclick = function () {
    asyncPay();
  };
})();
