/**
 * Which pages may create an app's bills (issue 21 item 9): when the app registered origins (`allowedOrigins`), a
 * browser request whose Origin — or, for the JSONP form, which sends none, the Referer's origin — is not one of
 * them is refused naming `origin`. An app without registered origins keeps BeeCloud's behaviour (any page). A
 * request with neither header (a merchant's server, a test) is not a page and is served: the sign still rules.
 */
import { isAllowedOrigin } from '../apps/allowed-origins.ts';
import type { App } from '../apps/app.ts';
import { BeeCloudError } from '../errors/result-codes.ts';

type Headers = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The origin of the page behind a request: its Origin header, else its Referer's origin; undefined for none. */
export function requestPageOrigin(headers: Headers): string | undefined {
  const origin = first(headers.origin);
  if (origin !== undefined && origin !== '') return origin;
  const referer = first(headers.referer);
  if (referer === undefined || referer === '') return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

export function checkPageOrigin(app: App, pageOrigin: string | undefined): void {
  if (pageOrigin === undefined || app.allowedOrigins.length === 0) return;
  if (isAllowedOrigin(app, pageOrigin)) return;
  throw new BeeCloudError(
    'APP_INVALID',
    'origin',
    `${pageOrigin.slice(0, 100)} is not registered for this app (npm run app -- set APP_ID --allowed-origins …)`,
  );
}
