import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createMerchantCertificate,
  createUnionpayHierarchy,
  type MerchantCertificate,
  type UnionpayHierarchy,
} from '../../../simulators/unionpay/certificates.ts';
import { ChannelSettingsError } from '../channel.ts';
import { unionpayChannel } from './index.ts';

let hierarchy: UnionpayHierarchy;
let merchant: MerchantCertificate;

beforeAll(() => {
  hierarchy = createUnionpayHierarchy();
  merchant = createMerchantCertificate('777290058110048', { password: 'pw' });
}, 120_000);

const pemInput = () => ({
  mer_id: '777290058110048',
  private_key: merchant.privateKeyPem,
  certificate: merchant.certificatePem,
  root_certificate: hierarchy.root.certificatePem,
  middle_certificate: hierarchy.middle.certificatePem,
});

function fieldOf(input: unknown): string {
  try {
    unionpayChannel.parseSettings(input);
  } catch (error) {
    if (error instanceof ChannelSettingsError) return error.field;
    throw error;
  }
  throw new Error('expected a ChannelSettingsError');
}

describe('UnionPay settings', () => {
  it('accepts PEM key + certificate with production defaults', () => {
    const settings = unionpayChannel.parseSettings(pemInput());
    expect(settings).toMatchObject({
      mer_id: '777290058110048',
      cert_id: merchant.certId,
      expected_signer_cn: '中国银联股份有限公司',
      front_url: 'https://gateway.95516.com',
      back_url: 'https://gateway.95516.com',
    });
    expect(settings.private_key).toContain('BEGIN PRIVATE KEY');
    // What is stored is valid input again.
    expect(unionpayChannel.parseSettings(settings)).toEqual(settings);
  });

  it('accepts a pfx + password and stores the PEM it holds, not the pfx', () => {
    const settings = unionpayChannel.parseSettings({
      mer_id: '777290058110048',
      signing_pfx: merchant.pfxBase64,
      signing_pfx_password: 'pw',
      root_certificate: hierarchy.root.certificatePem,
      middle_certificate: hierarchy.middle.certificatePem,
      expected_signer_cn: '00040000:SIGN',
      front_url: 'https://gateway.test.95516.com/',
      back_url: 'http://127.0.0.1:9999',
    });
    expect(settings.cert_id).toBe(merchant.certId);
    expect(settings.front_url).toBe('https://gateway.test.95516.com');
    expect(settings.back_url).toBe('http://127.0.0.1:9999');
    expect(Object.keys(settings)).not.toContain('signing_pfx');
    expect(Object.keys(settings)).not.toContain('signing_pfx_password');
  });

  it('names the field that is wrong', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    expect(fieldOf('nope')).toBe('settings');
    expect(fieldOf({ ...pemInput(), mer_id: undefined })).toBe('mer_id');
    expect(fieldOf({ ...pemInput(), mer_id: '12345' })).toBe('mer_id');
    expect(fieldOf({ ...pemInput(), private_key: 'not a key' })).toBe('private_key');
    expect(fieldOf({ ...pemInput(), private_key: small })).toBe('private_key');
    expect(fieldOf({ ...pemInput(), private_key: other })).toBe('certificate');
    expect(fieldOf({ ...pemInput(), certificate: 'x' })).toBe('certificate');
    expect(fieldOf({ ...pemInput(), middle_certificate: undefined })).toBe('middle_certificate');
    expect(fieldOf({ ...pemInput(), root_certificate: hierarchy.middle.certificatePem })).toBe(
      'root_certificate',
    );
    expect(fieldOf({ ...pemInput(), middle_certificate: hierarchy.signer.certificatePem })).toBe(
      'middle_certificate',
    );
    expect(fieldOf({ ...pemInput(), front_url: 'ftp://x' })).toBe('front_url');
    expect(fieldOf({ ...pemInput(), back_url: 'not a url' })).toBe('back_url');
    expect(fieldOf({ ...pemInput(), expected_signer_cn: '041@Z12@x' })).toBe('expected_signer_cn');
    expect(fieldOf({ ...pemInput(), unknown: 1 })).toBe('unknown');
    const { private_key: _key, certificate: _cert, ...withoutKey } = pemInput();
    expect(fieldOf({ ...withoutKey, signing_pfx: merchant.pfxBase64, signing_pfx_password: 'bad' })).toBe(
      'signing_pfx',
    );
    expect(fieldOf({ ...pemInput(), signing_pfx: merchant.pfxBase64 })).toBe('signing_pfx');
  });

  it('masks the key and keeps ids, URLs, certificate subjects and expiry', () => {
    const masked = unionpayChannel.maskSettings(unionpayChannel.parseSettings(pemInput()));
    expect(masked.private_key).toBe('••••');
    expect(JSON.stringify(masked)).not.toContain('PRIVATE KEY');
    expect(masked).toMatchObject({
      mer_id: '777290058110048',
      cert_id: merchant.certId,
      front_url: 'https://gateway.95516.com',
    });
    expect(masked.middle_certificate).toMatchObject({ subject: expect.stringContaining('CN=CFCA SIM OCA1') });
  });
});
