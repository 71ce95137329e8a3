/**
 * The sandbox WeChat OAuth's redirect target: an absolute http(s) URL (it may carry its own query) on an origin the
 * app registered (`allowedOrigins`, `npm run app -- set APP_ID --allowed-origins https://shop.example`), so the
 * gateway is no open redirect (issue 21 item 9). An app that registered no origin cannot use the OAuth.
 */
import { isAllowedOrigin } from '../apps/allowed-origins.ts';
import type { App } from '../apps/app.ts';
import { BeeCloudError } from '../errors/result-codes.ts';

export function parseReturnUrlWithQuery(value: unknown, field: string): URL {
  if (value === undefined || value === '') throw new BeeCloudError('MISS_PARAM', field, 'required');
  if (typeof value !== 'string' || value.length > 2048) {
    throw new BeeCloudError('PARAM_INVALID', field, 'must be one URL of at most 2048 characters');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BeeCloudError('PARAM_INVALID', field, 'is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BeeCloudError('PARAM_INVALID', field, 'must start with http:// or https://');
  }
  return url;
}

/** Finds the app named by `appid` and checks that `target` is on one of its registered origins. */
export async function checkOAuthTarget(
  appId: unknown,
  target: URL,
  findApp: (appId: string) => Promise<App | undefined>,
): Promise<App> {
  if (appId === undefined || appId === '') {
    throw new BeeCloudError(
      'MISS_PARAM',
      'appid',
      'required: the app whose registered origins redirect_uri is on',
    );
  }
  if (typeof appId !== 'string' || appId.length > 64) {
    throw new BeeCloudError('PARAM_INVALID', 'appid', 'must be one app id');
  }
  const app = await findApp(appId);
  if (app === undefined) throw new BeeCloudError('APP_INVALID', 'appid', 'no such app');
  if (!isAllowedOrigin(app, target.origin)) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'redirect_uri',
      `its origin ${target.origin} is not registered for this app (npm run app -- set APP_ID --allowed-origins ${target.origin})`,
      400,
    );
  }
  return app;
}
