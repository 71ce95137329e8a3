/** A merchant app as the domain sees it (secrets included: never serialise this to a browser). */

export type AppMode = 'test' | 'live';

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
