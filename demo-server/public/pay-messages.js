// What the demo shop tells its payer when BC.click reports a problem: a friendly sentence in Chinese saying what
// happened and what to do, never the result code or the technical message (those go to the console, for the
// shop's developers). A classic script: it defines window.spayDemoPayMessages for product.js.
(function (root) {
  'use strict';

  function forDataError(error) {
    var code = error && error.code;
    var field = error && error.field;
    if (code === 'NETWORK_ERROR') return '网络连接失败，请检查网络后重试。';
    if (code === 'RUNTIME_ERROR') return '支付服务暂时不可用，请稍后重试。';
    if (code === 'CHANNEL_ERROR' || code === 'PAY_FACTOR_NOT_SET')
      return '该支付方式暂时无法使用，请选择其他支付方式。';
    if (code === 'BILL_NO_DUPLICATE' && field === 'out_trade_no') return '这笔订单已经支付，无需重复付款。';
    return '暂时无法付款，本店正在处理，请稍后再试或联系客服。';
  }

  function forWxResult(result) {
    var message = result && typeof result.err_msg === 'string' ? result.err_msg : '';
    if (/:cancel$/.test(message)) return '已取消微信支付，如需购买请重新付款。';
    return '微信支付未成功，请重试或选择其他支付方式。';
  }

  root.spayDemoPayMessages = { forDataError: forDataError, forWxResult: forWxResult };
})(window);
