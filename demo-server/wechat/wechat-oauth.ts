/**
 * Inside WeChat the button pays by JSAPI, which needs the payer's openid. The demo gets it as the seed tutorial
 * does, through WeChat OAuth — in test mode the gateway's sandbox stand-in (`/sandbox/wx/oauth`), in live mode the
 * gateway's real OAuth step (`/wx/oauth/{appId}`); either sends the browser back with `openid`. A random `state`,
 * kept in a cookie, ties the answer to this browser.
 */
import { randomBytes } from 'node:crypto';
import { signaturesEqual } from '../../sdk/sign.ts';

export const OAUTH_STATE_COOKIE = 'spay_demo_oauth_state';

export function isWeChat(userAgent: string | undefined): boolean {
  return userAgent !== undefined && /MicroMessenger/i.test(userAgent);
}

export function newOAuthState(): string {
  return randomBytes(16).toString('hex');
}

/** The gateway sends the payer back only to an origin the app registered (`allowedOrigins`). */
export function sandboxOAuthUrl(
  gatewayUrl: string,
  appId: string,
  redirectUri: string,
  state: string,
): string {
  const query = new URLSearchParams({ appid: appId, redirect_uri: redirectUri, state });
  return `${gatewayUrl}/sandbox/wx/oauth?${query.toString()}`;
}

/**
 * A live app: the gateway's WeChat OAuth step (`/wx/oauth/{appId}`), which does WeChat's silent snsapi_base
 * authorization with the app's AppSecret and sends the browser back with `openid` and `state`.
 */
export function liveOAuthUrl(gatewayUrl: string, appId: string, redirectUri: string, state: string): string {
  const query = new URLSearchParams({ redirect_uri: redirectUri, state });
  return `${gatewayUrl}/wx/oauth/${encodeURIComponent(appId)}?${query.toString()}`;
}

export function stateCookie(state: string): string {
  return `${OAUTH_STATE_COOKIE}=${state}; Path=/; HttpOnly; SameSite=Lax; Max-Age=600`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** An openid as WeChat issues them: letters, digits, `-` and `_`. */
export function isPlausibleOpenid(openid: string): boolean {
  return /^[A-Za-z0-9_-]{6,128}$/.test(openid);
}

/** The state that came back matches the one this browser was given. */
export function stateMatches(cookieHeader: string | undefined, returnedState: string | undefined): boolean {
  const expected = readCookie(cookieHeader, OAUTH_STATE_COOKIE);
  if (expected === undefined || expected === '' || returnedState === undefined) return false;
  return signaturesEqual(expected, returnedState);
}
