/** Alipay settings through the apps CLI (`npm run app -- channel-settings APP_ID --family ALI --file ali.json`). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { newRsaKeyPair, SimulatedAlipayCa } from '../../../simulators/alipay/crypto.ts';
import type { App } from '../../apps/app.ts';
import { runAppsCli } from '../../cli/apps-cli.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'spay-alipay-cli-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const app = newRsaKeyPair();
const alipay = newRsaKeyPair();

async function setSettings(appId: string, settings: unknown) {
  const file = join(dataDir, 'ali.json');
  await writeFile(file, JSON.stringify(settings));
  // The installed families (the default) include Alipay.
  return runAppsCli(['channel-settings', appId, '--family', 'ALI', '--file', file], dataDir);
}

it('stores checked public-key settings and prints them masked', async () => {
  const created = (await runAppsCli(['create', '--name', 'live shop', '--mode', 'live'], dataDir)) as App;
  const printed = (await setSettings(created.appId, {
    app_id: '2021000000000001',
    app_private_key: app.privateKey,
    alipay_public_key: alipay.publicKey,
  })) as { settings: Record<string, unknown> };
  expect(printed.settings).toMatchObject({
    app_id: '2021000000000001',
    mode: 'public_key',
    app_private_key: '••••',
  });
  expect(JSON.stringify(printed)).not.toContain('PRIVATE KEY');
  const stored = ((await runAppsCli(['show', created.appId], dataDir)) as App).channelSettings.ALI;
  expect(stored).toMatchObject({
    app_id: '2021000000000001',
    gateway_url: 'https://openapi.alipay.com/gateway.do',
  });
});

it('stores certificate-mode settings with the derived serial numbers', async () => {
  const created = (await runAppsCli(['create', '--name', 'cert shop'], dataDir)) as App;
  const ca = new SimulatedAlipayCa();
  const printed = (await setSettings(created.appId, {
    app_id: '2021000000000002',
    app_private_key: app.privateKey,
    app_cert: ca.issueLeaf(app.publicKey, 'Merchant', '2021000000000002'),
    alipay_public_cert: ca.issueLeaf(alipay.publicKey, 'Alipay', 'Alipay'),
    alipay_root_cert: ca.rootBundle,
  })) as { settings: Record<string, unknown> };
  expect(printed.settings).toMatchObject({
    mode: 'cert',
    app_cert_sn: expect.stringMatching(/^[0-9a-f]{32}$/),
  });
});

it('refuses settings that do not work, naming the field', async () => {
  const created = (await runAppsCli(['create', '--name', 'bad shop'], dataDir)) as App;
  await expect(
    setSettings(created.appId, {
      app_id: '2021000000000003',
      app_private_key: 'nonsense',
      alipay_public_key: alipay.publicKey,
    }),
  ).rejects.toThrow(/^settings app_private_key: /);
  expect(((await runAppsCli(['show', created.appId], dataDir)) as App).channelSettings.ALI).toBeUndefined();
});
