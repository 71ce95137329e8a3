/** The demo app of config/demo-app.json, which every benchmark and reliability run seeds into its gateway. */
import { readFileSync } from 'node:fs';
import type { SeedApp } from '../../gateway/apps/app.ts';
import type { SpayApp } from '../../sdk/app.ts';

export const repoRoot = new URL('../../', import.meta.url).pathname;

/**
 * The demo app; its registered origins (port 3000 in the config) are dropped unless given, because benchmark pages
 * are served from free ports: with none registered, any page may create its bills, as with BeeCloud.
 */
export function demoApp(overrides: Partial<SeedApp> = {}): SeedApp {
  const app = JSON.parse(readFileSync(`${repoRoot}config/demo-app.json`, 'utf8')) as SeedApp;
  return { ...app, allowedOrigins: [], ...overrides };
}

/** The same app as the merchant's SDK sees it. */
export function merchantView(app: SeedApp, gatewayUrl: string): SpayApp {
  return {
    appId: app.appId,
    appSecret: app.appSecret,
    masterSecret: app.masterSecret,
    testSecret: app.testSecret,
    webhookSecret: app.webhookSecret,
    testMode: app.mode === 'test',
    gatewayUrl,
  };
}

/** Every secret of the app: none may ever appear in a response. */
export function appSecrets(app: SeedApp): string[] {
  return [app.appSecret, app.masterSecret, app.testSecret, app.webhookSecret].filter(
    (secret): secret is string => typeof secret === 'string' && secret.length > 0,
  );
}
