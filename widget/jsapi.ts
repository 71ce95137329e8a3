/** WeChat JSAPI (reference §3): wait for WeixinJSBridge, invoke getBrandWCPayRequest, report in the original's order. */
import { callMerchant } from './events.ts';
import type { JsapiBill } from './gateway.ts';
import type { ClickEvents, WxJsapiResult } from './types.ts';

export interface WeixinJSBridgeLike {
  invoke(name: string, params: Record<string, string>, callback: (result: WxJsapiResult) => void): void;
}

type BridgeWindow = Window & { WeixinJSBridge?: WeixinJSBridgeLike };

export const WX_PAY_OK = 'get_brand_wcpay_request:ok';

/** Resolves with the bridge at once if WeChat injected it, else on document's `WeixinJSBridgeReady`. */
export function whenBridgeReady(win: Window = window): Promise<WeixinJSBridgeLike> {
  const existing = (win as BridgeWindow).WeixinJSBridge;
  if (existing) return Promise.resolve(existing);
  return new Promise((resolve) => {
    const onReady = () => {
      const bridge = (win as BridgeWindow).WeixinJSBridge;
      if (!bridge) return;
      win.document.removeEventListener('WeixinJSBridgeReady', onReady);
      resolve(bridge);
    };
    win.document.addEventListener('WeixinJSBridgeReady', onReady, false);
  });
}

/** getBrandWCPayRequest's parameter names for the gateway's answer fields. */
const WX_PARAMS: [string, string][] = [
  ['appId', 'app_id'],
  ['timeStamp', 'timestamp'],
  ['nonceStr', 'nonce_str'],
  ['package', 'package'],
  ['signType', 'sign_type'],
  ['paySign', 'pay_sign'],
];

export function brandWCPayParams(bill: JsapiBill): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, field] of WX_PARAMS) params[name] = String(bill.answer[field] ?? '');
  return params;
}

export interface JsapiHooks {
  /** Called first, with WeChat's answer (the checkout closes on success and says what happened otherwise). */
  closeUi(result: WxJsapiResult): void;
  debug: boolean;
  alert(text: string): void;
  callbacks: ClickEvents;
}

/**
 * In WeChat's callback, exactly as the original: close the UI, debug alert, wxJsapiFinish(res), then
 * wxJsapiSuccess(res) when err_msg is "get_brand_wcpay_request:ok", otherwise wxJsapiFail(res).
 */
export async function payWithJsapi(
  bill: JsapiBill,
  hooks: JsapiHooks,
  win: Window = window,
): Promise<WxJsapiResult> {
  const bridge = await whenBridgeReady(win);
  return new Promise((resolve) => {
    bridge.invoke('getBrandWCPayRequest', brandWCPayParams(bill), (result) => {
      hooks.closeUi(result);
      if (hooks.debug) hooks.alert(JSON.stringify(result));
      callMerchant(hooks.callbacks.wxJsapiFinish, result);
      if (result && result.err_msg === WX_PAY_OK) callMerchant(hooks.callbacks.wxJsapiSuccess, result);
      else callMerchant(hooks.callbacks.wxJsapiFail, result);
      resolve(result);
    });
  });
}
