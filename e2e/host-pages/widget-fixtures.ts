/**
 * The widget e2e tests' fixture: the stack (gateway + demo merchant + merchant origin, per worker) with the
 * merchant origin as `host`, and helpers to read what the page logged.
 */
import type { Page } from '@playwright/test';
import { expect, test as stackTest } from '../fixtures.ts';
import type { MerchantOrigin } from '../merchant-origin.ts';

/** `host` is the stack's merchant origin: the server on 127.0.0.1 that serves a test's own pages. */
export const test = stackTest.extend<object, { host: MerchantOrigin }>({
  host: [async ({ stack }, use) => use(stack.merchant), { scope: 'worker' }],
});

export { expect };

export interface LogEntry {
  event?: string;
  callback?: string;
  detail?: Record<string, unknown>;
  value?: Record<string, unknown>;
}

/** What the merchant page recorded: lifecycle events and callbacks, in order. */
export function spayLog(page: Page): Promise<LogEntry[]> {
  return page.evaluate(() => (window as unknown as { spayLog: LogEntry[] }).spayLog);
}

export async function spayLogNames(page: Page): Promise<string[]> {
  return (await spayLog(page)).map((entry) =>
    entry.event ? `event:${entry.event}` : `callback:${entry.callback}`,
  );
}

export const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160083 MMWEBSDK/20231202 MMWEBID/1234 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';
export const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1';
export const PHONE_VIEWPORT = { width: 390, height: 844 };

/**
 * A stand-in for WeChat's WeixinJSBridge (page.addInitScript): records every invoke and answers with
 * `get_brand_wcpay_request:<answer>`; injected late (after WeixinJSBridgeReady) when `late` is set, as WeChat does
 * on slow pages.
 */
export function fakeWeixinBridge({ answer, late }: { answer: string; late: boolean }): void {
  const bridge = {
    calls: [] as unknown[],
    invoke(name: string, params: Record<string, string>, callback: (result: { err_msg: string }) => void) {
      bridge.calls.push({ name, params });
      setTimeout(() => callback({ err_msg: `get_brand_wcpay_request:${answer}` }), 50);
    },
  };
  const target = window as unknown as { WeixinJSBridge?: typeof bridge; bridgeCalls: unknown[] };
  target.bridgeCalls = bridge.calls;
  const install = () => {
    target.WeixinJSBridge = bridge;
    document.dispatchEvent(new Event('WeixinJSBridgeReady'));
  };
  if (late) window.addEventListener('load', () => setTimeout(install, 300));
  else target.WeixinJSBridge = bridge;
}
