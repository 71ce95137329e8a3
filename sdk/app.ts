/**
 * A merchant's BeeCloud app as the SDK sees it: its id, its secrets, its mode and the gateway it talks to.
 * Which secret signs what is decided here and nowhere else.
 */

export interface SpayApp {
  /** The app's id (BeeCloud "App ID"). */
  appId: string;
  /** Signs button orders, and REST pay / query requests in live mode. */
  appSecret: string;
  /** Signs refunds (and their approval) and the webhook's `signature`. */
  masterSecret: string;
  /** Replaces the app secret in test (sandbox) mode: REST pay / query requests and the webhook's legacy `sign`. */
  testSecret: string;
  /** The Standard Webhooks secret (`whsec_…`) the gateway signs webhook headers with. */
  webhookSecret?: string;
  /** Test (sandbox) mode; the demo app runs in it. */
  testMode: boolean;
  /** The gateway's base URL, e.g. `http://127.0.0.1:8080` (no trailing slash needed). */
  gatewayUrl: string;
}

/** What a REST request does, which decides the secret of its `app_sign`. */
/** `admin`: the merchant's own settings made over REST (coupon templates): master secret. */
export type RequestPurpose = 'pay' | 'query' | 'refund' | 'transfer' | 'sandbox' | 'admin';

/**
 * The secret of a REST request's `app_sign` (reference §4): the master secret for refunds (and their approval)
 * and transfers,
 * the test secret for the sandbox paths, otherwise the app secret, which the test secret replaces in test mode.
 */
export function restSecretFor(
  app: Pick<SpayApp, 'appSecret' | 'masterSecret' | 'testSecret' | 'testMode'>,
  purpose: RequestPurpose,
): string {
  if (purpose === 'refund' || purpose === 'transfer' || purpose === 'admin') return app.masterSecret;
  if (purpose === 'sandbox') return app.testSecret;
  return app.testMode ? app.testSecret : app.appSecret;
}

/** The secret of the webhook's legacy `sign`: the test secret in test mode, the app secret in live mode. */
export function webhookSignSecretFor(app: Pick<SpayApp, 'appSecret' | 'testSecret' | 'testMode'>): string {
  return app.testMode ? app.testSecret : app.appSecret;
}

/** The shape of `config/demo-app.json` (and of the gateway's seed apps). */
export interface AppConfigFile {
  appId: string;
  appSecret: string;
  masterSecret: string;
  testSecret: string;
  webhookSecret?: string;
  mode: 'test' | 'live';
}

/** Builds an SDK app from a config file's fields and the gateway's URL. */
export function appFromConfig(config: AppConfigFile, gatewayUrl: string): SpayApp {
  return {
    appId: config.appId,
    appSecret: config.appSecret,
    masterSecret: config.masterSecret,
    testSecret: config.testSecret,
    webhookSecret: config.webhookSecret,
    testMode: config.mode === 'test',
    gatewayUrl: gatewayUrl.replace(/\/+$/, ''),
  };
}
