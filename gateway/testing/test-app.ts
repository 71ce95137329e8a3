/**
 * A test app to seed: fresh id and secrets. Its own module (no gateway import) so store- and core-level tests
 * stay light; gateway-harness.ts re-exports it.
 */
import { randomBytes } from 'node:crypto';
import type { SeedApp } from '../apps/app.ts';

export function testApp(overrides: Partial<SeedApp> = {}): SeedApp {
  const id = `test-${randomBytes(6).toString('hex')}`;
  return {
    appId: id,
    appSecret: `${id}-app-secret`,
    masterSecret: `${id}-master-secret`,
    testSecret: `${id}-test-secret`,
    webhookSecret: `whsec_${randomBytes(24).toString('base64')}`,
    name: 'test shop',
    mode: 'test',
    channels: ['ali', 'wxmp', 'wx', 'un'],
    webhookUrl: '',
    liveWebhookUrl: '',
    ...overrides,
  };
}
