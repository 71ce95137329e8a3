import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newRsaKeyPair, SimulatedAlipayCa } from '../../../simulators/alipay/crypto.ts';
import { ChannelSettingsError } from '../channel.ts';
import { alipayChannel } from './index.ts';
import { alipayProductionGateway, type AlipaySettings } from './settings.ts';

const app = newRsaKeyPair();
const alipay = newRsaKeyPair();
const appPkcs1 = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs1',
  format: 'pem',
}) as string;
const base = {
  app_id: '2021000000000001',
  app_private_key: app.privateKey,
  alipay_public_key: alipay.publicKey,
};

function fieldOf(input: unknown): string {
  try {
    alipayChannel.parseSettings(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ChannelSettingsError);
    return (error as ChannelSettingsError).field;
  }
  throw new Error('expected a ChannelSettingsError');
}

describe('public-key mode', () => {
  it('normalises keys and defaults the gateway to production', () => {
    const settings = alipayChannel.parseSettings({ ...base, app_private_key: `${appPkcs1}\n` });
    expect(settings).toMatchObject({
      mode: 'public_key',
      app_id: base.app_id,
      seller_id: null,
      gateway_url: alipayProductionGateway,
    });
    expect(settings.app_private_key).toMatch(/^-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----$/);
    // What the gateway stores parses again to the same settings.
    expect(alipayChannel.parseSettings(settings)).toEqual(settings);
  });

  it('accepts the bare base64 keys Alipay shows', () => {
    const strip = (text: string) => text.replace(/-----[^-]+-----|\s/g, '');
    const settings = alipayChannel.parseSettings({
      ...base,
      app_private_key: strip(app.privateKey),
      alipay_public_key: strip(alipay.publicKey),
    });
    expect(settings.mode === 'public_key' && settings.alipay_public_key).toBe(alipay.publicKey);
  });

  it.each([
    ['a non-object', [], 'settings'],
    ['an unknown field', { ...base, private_key: 'x' }, 'private_key'],
    ['a missing app_id', { ...base, app_id: undefined }, 'app_id'],
    ['a malformed app_id', { ...base, app_id: '12345' }, 'app_id'],
    ['an unknown mode', { ...base, mode: 'rsa' }, 'mode'],
    ['a private key that does not parse', { ...base, app_private_key: 'MIIEvQIBADANBg' }, 'app_private_key'],
    [
      'a 1024-bit key',
      {
        ...base,
        app_private_key: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
          type: 'pkcs8',
          format: 'pem',
        }),
      },
      'app_private_key',
    ],
    ['a missing Alipay public key', { ...base, alipay_public_key: '' }, 'alipay_public_key'],
    [
      'the app public key pasted as Alipay public key',
      { ...base, alipay_public_key: app.publicKey },
      'alipay_public_key',
    ],
    ['a malformed seller_id', { ...base, seller_id: '1234' }, 'seller_id'],
    ['a gateway that is not a URL', { ...base, gateway_url: 'openapi.alipay.com' }, 'gateway_url'],
    ['a non-http gateway', { ...base, gateway_url: 'ftp://example.com/gateway.do' }, 'gateway_url'],
    [
      'a gateway with a query',
      { ...base, gateway_url: 'https://example.com/gateway.do?charset=utf-8' },
      'gateway_url',
    ],
    ['certificates in public-key mode', { ...base, mode: 'public_key', app_cert: 'x' }, 'app_cert'],
  ])('names the field for %s', (_what, input, field) => {
    expect(fieldOf(input)).toBe(field);
  });

  it('masks the private key only', () => {
    const settings = alipayChannel.parseSettings({ ...base, seller_id: '2088000000000001' });
    const masked = alipayChannel.maskSettings(settings);
    expect(masked).toMatchObject({
      app_id: base.app_id,
      app_private_key: '••••',
      seller_id: '2088000000000001',
    });
    expect(JSON.stringify(masked)).not.toContain('PRIVATE KEY');
  });
});

describe('certificate mode', () => {
  const ca = new SimulatedAlipayCa();
  const appCert = ca.issueLeaf(app.publicKey, 'Merchant', '2021000000000001');
  const alipayCert = ca.issueLeaf(alipay.publicKey, 'Alipay', 'Alipay public key');
  const certInput = {
    app_id: '2021000000000001',
    mode: 'cert',
    app_private_key: app.privateKey,
    app_cert: appCert,
    alipay_public_cert: alipayCert,
    alipay_root_cert: ca.rootBundle,
  };

  it('derives the serial numbers and keeps the certificates', () => {
    const settings = alipayChannel.parseSettings(certInput) as Extract<AlipaySettings, { mode: 'cert' }>;
    expect(settings.app_cert_sn).toMatch(/^[0-9a-f]{32}$/);
    expect(settings.alipay_root_cert_sn).toMatch(/^[0-9a-f]{32}_[0-9a-f]{32}$/);
    expect(alipayChannel.parseSettings(settings)).toEqual(settings);
    // mode is inferred from the certificates
    expect(alipayChannel.parseSettings({ ...certInput, mode: undefined }).mode).toBe('cert');
  });

  it.each([
    [
      'a private key that does not match app_cert',
      { ...certInput, app_private_key: appPkcs1 },
      'app_private_key',
    ],
    ['no certificate in app_cert', { ...certInput, app_cert: 'hello' }, 'app_cert'],
    ['a missing root', { ...certInput, alipay_root_cert: undefined }, 'alipay_root_cert'],
    [
      'an app cert from another CA',
      { ...certInput, app_cert: new SimulatedAlipayCa().issueLeaf(app.publicKey, 'M', 'A') },
      'app_cert',
    ],
    [
      'an Alipay cert from another CA',
      { ...certInput, alipay_public_cert: new SimulatedAlipayCa().issueLeaf(alipay.publicKey, 'A', 'A') },
      'alipay_public_cert',
    ],
    [
      'an Alipay public key in cert mode',
      { ...certInput, alipay_public_key: alipay.publicKey },
      'alipay_public_key',
    ],
  ])('names the field for %s', (_what, input, field) => {
    expect(fieldOf(input)).toBe(field);
  });

  it('masks the private key and describes the certificates', () => {
    const masked = alipayChannel.maskSettings(alipayChannel.parseSettings(certInput));
    expect(masked.app_private_key).toBe('••••');
    expect(masked.app_cert).toEqual([
      expect.objectContaining({
        subject: 'CN=2021000000000001,OU=Alipay,O=Merchant,C=CN',
        valid_to: expect.any(String),
      }),
      expect.objectContaining({ subject: expect.stringContaining('Class 2 R1') }),
    ]);
    expect(JSON.stringify(masked)).not.toContain('PRIVATE KEY');
  });
});
