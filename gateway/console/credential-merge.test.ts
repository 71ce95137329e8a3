import { describe, expect, it } from 'vitest';
import { mergeCredentials } from './credential-merge.ts';

describe('mergeCredentials', () => {
  it('keeps stored fields the operator left out and removes fields sent as null', () => {
    expect(
      mergeCredentials(
        'WX',
        { mchid: '1', apiv3_key: 'stored', app_secret: 'old', wechatpay_public_key: null },
        { mchid: '2', app_secret: null },
      ),
    ).toEqual({ mchid: '2', apiv3_key: 'stored' });
  });

  it('starts from nothing when nothing is stored', () => {
    expect(mergeCredentials('ALI', undefined, { app_id: '1' })).toEqual({ app_id: '1' });
  });

  it("drops Alipay's derived serial numbers and the other mode's fields when a mode is chosen", () => {
    const certMode = {
      app_id: '1',
      mode: 'cert',
      app_private_key: 'k',
      app_cert: 'a',
      alipay_public_cert: 'b',
      alipay_root_cert: 'c',
      app_cert_sn: 'x',
      alipay_cert_sn: 'y',
      alipay_root_cert_sn: 'z',
    };
    expect(mergeCredentials('ALI', certMode, { seller_id: '2088' })).toEqual({
      app_id: '1',
      mode: 'cert',
      app_private_key: 'k',
      app_cert: 'a',
      alipay_public_cert: 'b',
      alipay_root_cert: 'c',
      seller_id: '2088',
    });
    expect(mergeCredentials('ALI', certMode, { mode: 'public_key', alipay_public_key: 'p' })).toEqual({
      app_id: '1',
      mode: 'public_key',
      app_private_key: 'k',
      alipay_public_key: 'p',
    });
    expect(
      mergeCredentials(
        'ALI',
        { mode: 'public_key', alipay_public_key: 'p' },
        { mode: 'cert', app_cert: 'a', alipay_public_cert: 'b', alipay_root_cert: 'c' },
      ),
    ).toEqual({ mode: 'cert', app_cert: 'a', alipay_public_cert: 'b', alipay_root_cert: 'c' });
  });

  it("replaces UnionPay's stored key and certificate by an entered .pfx, and derives cert_id again", () => {
    expect(
      mergeCredentials(
        'UN',
        { mer_id: '1', private_key: 'k', certificate: 'c', cert_id: '9', root_certificate: 'r' },
        { signing_pfx: 'p', signing_pfx_password: 'pw' },
      ),
    ).toEqual({ mer_id: '1', root_certificate: 'r', signing_pfx: 'p', signing_pfx_password: 'pw' });
    expect(
      mergeCredentials(
        'UN',
        { mer_id: '1', private_key: 'k', certificate: 'c', cert_id: '9' },
        { mer_id: '2' },
      ),
    ).toEqual({ mer_id: '2', private_key: 'k', certificate: 'c' });
  });
});
