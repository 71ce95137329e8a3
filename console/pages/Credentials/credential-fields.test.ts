import { describe, expect, it } from 'vitest';
import { settingsField, settingsToSend } from './credential-fields.ts';

describe('credential settings', () => {
  it('leaves out empty fields and splits a certificate list into its PEM blocks', () => {
    const two =
      '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----';
    expect(
      settingsToSend('WX', { mchid: ' 1900000001 ', appid: '', platform_certificates: two, unknown: 'x' }),
    ).toEqual({
      mchid: '1900000001',
      platform_certificates: [
        '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----',
        '-----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----',
      ],
    });
  });
  it('sends a field to remove as null, whatever its box holds', () => {
    expect(settingsToSend('ALI', { seller_id: '2088', app_id: '1' }, new Set(['seller_id']))).toEqual({
      app_id: '1',
      seller_id: null,
    });
  });
  it('finds the field a server error names', () => {
    expect(settingsField('settings.app_private_key')).toBe('app_private_key');
    expect(settingsField('settings.platform_certificates.1')).toBe('platform_certificates');
    expect(settingsField('family')).toBeUndefined();
  });
});
