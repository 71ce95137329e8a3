import { afterEach, describe, expect, it } from 'vitest';
import type { JsapiBill } from './gateway.ts';
import { brandWCPayParams, payWithJsapi, type WeixinJSBridgeLike } from './jsapi.ts';
import type { WxJsapiResult } from './types.ts';

type BridgeWindow = Window & { WeixinJSBridge?: WeixinJSBridgeLike };

const bill: JsapiBill = {
  kind: 'jsapi',
  id: 'bill1',
  answer: {
    app_id: 'wx123',
    timestamp: '1700000000',
    nonce_str: 'n1',
    package: 'prepay_id=p1',
    sign_type: 'MD5',
    pay_sign: 'ABC',
  },
};

/** WeChat's in-app bridge as WeChat provides it: invoke(name, params, callback). Records calls, answers `errMsg`. */
function installBridge(errMsg: string, calls: unknown[]): void {
  (window as BridgeWindow).WeixinJSBridge = {
    invoke(name, params, callback) {
      calls.push([name, params]);
      setTimeout(() => callback({ err_msg: errMsg }));
    },
  };
}

afterEach(() => {
  delete (window as BridgeWindow).WeixinJSBridge;
});

function recorder() {
  const order: string[] = [];
  const hooks = {
    closeUi: () => order.push('closeUi'),
    debug: true,
    alert: (text: string) => order.push(`alert ${text}`),
    callbacks: {
      wxJsapiFinish: (result: WxJsapiResult) => order.push(`finish ${result.err_msg}`),
      wxJsapiSuccess: (result: WxJsapiResult) => order.push(`success ${result.err_msg}`),
      wxJsapiFail: (result: WxJsapiResult) => order.push(`fail ${result.err_msg}`),
    },
  };
  return { order, hooks };
}

describe('payWithJsapi', () => {
  it("maps the gateway's answer to getBrandWCPayRequest's parameters", () => {
    expect(brandWCPayParams(bill)).toEqual({
      appId: 'wx123',
      timeStamp: '1700000000',
      nonceStr: 'n1',
      package: 'prepay_id=p1',
      signType: 'MD5',
      paySign: 'ABC',
    });
  });

  it.each([
    ['get_brand_wcpay_request:ok', 'success'],
    ['get_brand_wcpay_request:cancel', 'fail'],
    ['get_brand_wcpay_request:fail', 'fail'],
  ])("answers %s in the original's order: close, alert, finish, then %s", async (errMsg, outcome) => {
    const calls: unknown[] = [];
    installBridge(errMsg, calls);
    const { order, hooks } = recorder();
    const result = await payWithJsapi(bill, hooks);
    expect(result.err_msg).toBe(errMsg);
    expect(calls).toEqual([['getBrandWCPayRequest', brandWCPayParams(bill)]]);
    expect(order).toEqual([
      'closeUi',
      `alert {"err_msg":"${errMsg}"}`,
      `finish ${errMsg}`,
      `${outcome} ${errMsg}`,
    ]);
  });

  it('waits for WeixinJSBridgeReady when the bridge is not there yet', async () => {
    const calls: unknown[] = [];
    const { order, hooks } = recorder();
    let settled = false;
    const paying = payWithJsapi(bill, hooks).finally(() => (settled = true));
    // One turn of the event loop runs every pending promise job; payWithJsapi sets no timer, so without the
    // event it has nothing more to do: it must still be waiting, having told the page nothing.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(false);
    expect(order).toEqual([]);
    installBridge('get_brand_wcpay_request:ok', calls);
    document.dispatchEvent(new Event('WeixinJSBridgeReady'));
    await paying;
    expect(calls).toHaveLength(1);
    expect(order.at(-1)).toBe('success get_brand_wcpay_request:ok');
  });
});
