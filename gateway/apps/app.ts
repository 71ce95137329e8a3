/** A merchant app as the domain sees it (secrets included: never serialise this to a browser). */

export type AppMode = 'test' | 'live';

/** Whether an app still accepts the legacy md5 signs ('legacy_allowed', the default) or only spay's v2 signs. */
export type SignPolicy = 'legacy_allowed' | 'v2_required';

export interface App {
  appId: string;
  name: string;
  appSecret: string;
  masterSecret: string;
  testSecret: string;
  webhookSecret: string;
  mode: AppMode;
  webhookUrl: string;
  liveWebhookUrl: string;
  /** The button's channel codes in menu order: ali, wxmp, wx, un, unwap, wxwap … */
  channels: string[];
  channelSettings: Record<string, Record<string, unknown>>;
  /** The button's order sign: v2_required refuses the legacy md5 sign (which can be re-split). */
  buttonSign: SignPolicy;
  /** REST requests: v2_required refuses requests without the v2 request signature (X-Spay-Signature). */
  requestSign: SignPolicy;
  /** The shop's origins (`https://shop.example`): CORS of bill creation and the sandbox OAuth's targets. */
  allowedOrigins: string[];
  /** Secrets rotated out within their grace period (still accepted); absent = none. */
  previousSecrets?: PreviousSecret[];
  /** When each secret was last rotated (ms); absent = never. */
  secretsRotatedAt?: Partial<Record<SecretKind, number>>;
  createdAt?: number;
  updatedAt?: number;
}

/** The secrets an app has; `webhook` signs outgoing webhooks, the others authenticate the merchant's requests. */
export type SecretKind = 'app' | 'master' | 'test' | 'webhook';

/** A rotated-out secret that is still accepted until `validUntil` (ms): the rotation grace. */
export interface PreviousSecret {
  kind: 'app' | 'master' | 'test';
  value: string;
  validUntil: number;
}

/** The previous values of `kind` still within their grace at `now`. */
export function previousSecretsOf(
  app: Pick<App, 'previousSecrets'>,
  kind: PreviousSecret['kind'],
  now: number,
): string[] {
  return (app.previousSecrets ?? [])
    .filter((secret) => secret.kind === kind && secret.validUntil > now)
    .map((secret) => secret.value);
}

/** The shape of config/demo-app.json: what `seedApps` and the apps CLI accept. */
export interface SeedApp {
  appId: string;
  appSecret: string;
  masterSecret: string;
  testSecret: string;
  webhookSecret: string;
  name: string;
  mode: AppMode;
  channels: string[];
  webhookUrl: string;
  liveWebhookUrl: string;
  channelSettings?: Record<string, Record<string, unknown>>;
  buttonSign?: SignPolicy;
  requestSign?: SignPolicy;
  allowedOrigins?: string[];
}

/** The secret that signs pay requests and the legacy webhook `sign` in the app's mode (test_secret in test mode). */
export function paySecretFor(app: App, mode: AppMode): string {
  return mode === 'test' ? app.testSecret : app.appSecret;
}

/** Where webhooks of a bill made in `mode` go. */
export function webhookUrlFor(app: App, mode: AppMode): string {
  return mode === 'test' ? app.webhookUrl : app.liveWebhookUrl;
}

/** What a browser may learn about an app: no secrets, no webhook URLs. */
export interface PublicAppConfig {
  appId: string;
  channels: string[];
  mode: AppMode;
}

export function publicAppConfig(app: App): PublicAppConfig {
  return { appId: app.appId, channels: [...app.channels], mode: app.mode };
}
