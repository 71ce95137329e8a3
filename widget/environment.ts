import type { Environment } from './types.ts';

/** Reference §3: the original's two user-agent tests. */
export const MOBILE_UA = /android|ipad|iphone|midp|ucweb|windows ce|windows mobile/i;
export const WECHAT_UA = /MicroMessenger/i;

/** WeChat's in-app browser wins over mobile: inside WeChat the payer pays with JSAPI. */
export function detectEnvironment(userAgent: string): Environment {
  if (WECHAT_UA.test(userAgent)) return 'wechat';
  if (MOBILE_UA.test(userAgent)) return 'mobile';
  return 'desktop';
}

/** WeChat runs on phones: for the WEB/WAP choice it counts as mobile. */
export function isMobileBrowser(environment: Environment): boolean {
  return environment !== 'desktop';
}
