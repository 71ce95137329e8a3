/**
 * An app's registered origins (issue 21 item 9): where the sandbox WeChat OAuth may send a payer back to, and
 * which browser pages may create its bills (CORS). An origin is `scheme://host[:port]`, compared after the WHATWG
 * URL parser normalised it (lower-case host, default port dropped, IDN in punycode).
 */
import type { App } from './app.ts';

/** The normalised origin, or an error message saying what is wrong with the text. */
export function normaliseOrigin(text: string): { origin: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: `"${text.slice(0, 80)}" is not an origin such as https://shop.example` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { error: `"${text.slice(0, 80)}" must be an http(s) origin` };
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '' || url.username) {
    return { error: `"${text.slice(0, 80)}" must be an origin only (scheme://host[:port], no path)` };
  }
  return { origin: url.origin };
}

/** Whether `origin` (an Origin header or a URL's origin) is one of the app's registered origins. */
export function isAllowedOrigin(app: Pick<App, 'allowedOrigins'>, origin: string): boolean {
  const normalised = normaliseOrigin(origin);
  if ('error' in normalised) return false;
  return app.allowedOrigins.includes(normalised.origin);
}
