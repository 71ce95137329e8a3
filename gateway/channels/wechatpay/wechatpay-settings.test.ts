import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateMerchantCredentials } from '../../../simulators/wechatpay/index.ts';
import { ChannelSettingsError } from '../channel.ts';
import { wechatpayChannel } from './index.ts';

const merchant = generateMerchantCredentials('1900000001');
const platform = generateMerchantCredentials('platform');
const wechatpayKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();

const base = {
  mchid: '1900000001',
  appid: 'wx8888888888888888',
  merchant_private_key: merchant.privateKeyPem,
  merchant_serial_no: merchant.serialNo,
  apiv3_key: '0123456789abcdefghijklmnopqrstuv',
};
const publicKeyMode = {
  ...base,
  wechatpay_public_key: wechatpayKey,
  wechatpay_public_key_id: 'PUB_KEY_ID_0114232134912410000000000000',
};
const certificateMode = { ...base, platform_certificates: [platform.certificatePem] };

function refusal(input: unknown): { field: string; message: string } {
  try {
    wechatpayChannel.parseSettings(input);
  } catch (error) {
    if (error instanceof ChannelSettingsError) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error('the settings were accepted');
}

describe('WeChat Pay settings', () => {
  it('accepts the public-key mode with production defaults', () => {
    const settings = wechatpayChannel.parseSettings(publicKeyMode);
    expect(settings).toMatchObject({
      mchid: '1900000001',
      merchant_serial_no: merchant.serialNo,
      platform_certificates: [],
      wechatpay_public_key_id: 'PUB_KEY_ID_0114232134912410000000000000',
      api_base_url: 'https://api.mch.weixin.qq.com',
      oauth_base_url: 'https://open.weixin.qq.com',
      sns_api_base_url: 'https://api.weixin.qq.com',
      app_secret: null,
    });
  });

  it('accepts platform certificates as a list or one PEM text, and a simulator URL', () => {
    const twoInOne = `${platform.certificatePem}\n${merchant.certificatePem}`;
    const settings = wechatpayChannel.parseSettings({
      ...certificateMode,
      platform_certificates: twoInOne,
      api_base_url: 'http://127.0.0.1:4010/',
      merchant_certificate: merchant.certificatePem,
      merchant_serial_no: merchant.serialNo.toLowerCase(),
    });
    expect(settings.platform_certificates).toHaveLength(2);
    expect(settings.api_base_url).toBe('http://127.0.0.1:4010');
    expect(settings.merchant_serial_no).toBe(merchant.serialNo);
    // A serial with a leading zero is kept whole (WeChat knows it by its full text); comparisons ignore the zero.
    expect(
      wechatpayChannel.parseSettings({
        ...publicKeyMode,
        merchant_certificate: merchant.certificatePem,
        merchant_serial_no: `0${merchant.serialNo}`,
      }).merchant_serial_no,
    ).toBe(`0${merchant.serialNo}`);
    expect(
      wechatpayChannel.createAdapter(settings, { http: async () => ({ status: 204, headers: {}, body: '' }) })
        .family,
    ).toBe('WX');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['not an object', [] as unknown as Record<string, unknown>, 'settings'],
    ['no mchid', { ...publicKeyMode, mchid: undefined }, 'mchid'],
    ['a mchid with letters', { ...publicKeyMode, mchid: 'abc' }, 'mchid'],
    ['a bad appid', { ...publicKeyMode, appid: 'wx 1' }, 'appid'],
    [
      'a private key that does not parse',
      { ...publicKeyMode, merchant_private_key: 'garbage' },
      'merchant_private_key',
    ],
    ['a serial that is not hex', { ...publicKeyMode, merchant_serial_no: 'XYZ' }, 'merchant_serial_no'],
    ['an APIv3 key of 31 characters', { ...publicKeyMode, apiv3_key: 'x'.repeat(31) }, 'apiv3_key'],
    [
      'an APIv3 key of 32 bytes that are not 32 characters',
      { ...publicKeyMode, apiv3_key: '密'.repeat(10) + 'xx' },
      'apiv3_key',
    ],
    ['neither platform certificates nor a public key', base, 'wechatpay_public_key'],
    [
      'a platform certificate that does not parse',
      { ...base, platform_certificates: ['nope'] },
      'platform_certificates',
    ],
    [
      'platform certificates of the wrong type',
      { ...base, platform_certificates: 42 },
      'platform_certificates',
    ],
    [
      'a public key without its id',
      { ...base, wechatpay_public_key: wechatpayKey },
      'wechatpay_public_key_id',
    ],
    ['an id without its key', { ...base, wechatpay_public_key_id: 'PUB_KEY_ID_01' }, 'wechatpay_public_key'],
    [
      'an id without the PUB_KEY_ID_ prefix',
      { ...publicKeyMode, wechatpay_public_key_id: '0114232134' },
      'wechatpay_public_key_id',
    ],
    [
      'a public key that does not parse',
      { ...publicKeyMode, wechatpay_public_key: 'nope' },
      'wechatpay_public_key',
    ],
    ['a bad API URL', { ...publicKeyMode, api_base_url: 'api.mch.weixin.qq.com' }, 'api_base_url'],
    ['an ftp API URL', { ...publicKeyMode, api_base_url: 'ftp://x' }, 'api_base_url'],
    [
      'a merchant certificate of another key',
      {
        ...publicKeyMode,
        merchant_certificate: platform.certificatePem,
        merchant_serial_no: platform.serialNo,
      },
      'merchant_private_key',
    ],
    [
      'a serial that is not the merchant certificate’s',
      { ...publicKeyMode, merchant_certificate: merchant.certificatePem, merchant_serial_no: 'ABCDEF' },
      'merchant_serial_no',
    ],
  ])('refuses %s, naming the field', (_what, input, field) => {
    expect(refusal(input).field).toBe(field);
  });

  it('masks every secret and keeps ids, serials, URLs and certificate subjects', () => {
    const masked = wechatpayChannel.maskSettings(
      wechatpayChannel.parseSettings({ ...certificateMode, ...publicKeyMode, app_secret: 'appsecret0123' }),
    );
    const text = JSON.stringify(masked);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(base.apiv3_key);
    expect(text).not.toContain('appsecret0123');
    expect(masked).toMatchObject({
      merchant_private_key: '••••',
      apiv3_key: '••••',
      app_secret: '••••',
      merchant_serial_no: merchant.serialNo,
      wechatpay_public_key_id: 'PUB_KEY_ID_0114232134912410000000000000',
      platform_certificates: [
        { serial_no: platform.serialNo, subject: expect.stringContaining('CN=platform') },
      ],
    });
  });
});
