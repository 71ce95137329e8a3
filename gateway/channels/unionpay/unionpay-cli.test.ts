/** The apps CLI with the installed UnionPay family: settings checked, stored as parsed, answered masked. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createMerchantCertificate,
  createUnionpayHierarchy,
} from '../../../simulators/unionpay/certificates.ts';
import type { App } from '../../apps/app.ts';
import { runAppsCli } from '../../cli/apps-cli.ts';

describe('npm run app -- channel-settings APP_ID --family UN', () => {
  it('stores a pfx-based UnionPay setting as PEM, masked in the answer; a wrong password names signing_pfx', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'spay-cli-unionpay-'));
    try {
      const hierarchy = createUnionpayHierarchy();
      const merchant = createMerchantCertificate('777290058110048', { password: 'pfx-pass' });
      const app = (await runAppsCli(['create', '--name', 'live UN shop', '--mode', 'live'], dataDir)) as App;
      const file = join(dataDir, 'un.json');
      const input = {
        mer_id: '777290058110048',
        signing_pfx: merchant.pfxBase64,
        signing_pfx_password: 'wrong',
        root_certificate: hierarchy.root.certificatePem,
        middle_certificate: hierarchy.middle.certificatePem,
      };
      await writeFile(file, JSON.stringify(input));
      const command = ['channel-settings', app.appId, '--family', 'UN', '--file', file];
      await expect(runAppsCli(command, dataDir)).rejects.toThrow(
        /settings signing_pfx: the \.pfx cannot be opened/,
      );

      await writeFile(file, JSON.stringify({ ...input, signing_pfx_password: 'pfx-pass' }));
      const answer = (await runAppsCli(command, dataDir)) as { settings: Record<string, unknown> };
      expect(answer.settings).toMatchObject({
        mer_id: '777290058110048',
        private_key: '••••',
        cert_id: merchant.certId,
      });
      expect(JSON.stringify(answer)).not.toContain('PRIVATE KEY');
      const stored = ((await runAppsCli(['show', app.appId], dataDir)) as App).channelSettings.UN;
      expect(stored).toMatchObject({
        mer_id: '777290058110048',
        cert_id: merchant.certId,
        front_url: 'https://gateway.95516.com',
      });
      expect(stored).not.toHaveProperty('signing_pfx');
      expect(stored).not.toHaveProperty('signing_pfx_password');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
