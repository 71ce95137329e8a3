import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateMerchantCredentials,
  startWechatpaySimulator,
  type WechatpaySimulator,
} from '../../../simulators/wechatpay/index.ts';
import { plainHttpClient } from '../testing/plain-http.ts';
import { wechatpayChannel } from './index.ts';
import { downloadPlatformCertificates } from './platform-certificates.ts';

let sim: WechatpaySimulator;
beforeAll(async () => {
  sim = await startWechatpaySimulator();
});
afterAll(() => sim.close());

describe('downloading the platform certificates (GET /v3/certificates)', () => {
  it('decrypts them with the APIv3 key and checks the answer with the one it names; they then verify answers', async () => {
    const merchantKey = generateMerchantCredentials('1900000601');
    const credentials = sim.registerMerchant({
      mchid: '1900000601',
      appid: 'wx0601060106010601',
      merchant_certificate: merchantKey.certificatePem,
      key_mode: 'platform_certificate',
    });
    const base = {
      mchid: '1900000601',
      merchant_private_key: merchantKey.privateKeyPem,
      merchant_serial_no: merchantKey.serialNo,
      apiv3_key: credentials.apiv3_key,
      api_base_url: sim.url,
    };
    const certificates = await downloadPlatformCertificates(base, plainHttpClient());
    expect(certificates).toEqual([
      {
        serialNo: credentials.platform_serial_no,
        pem: credentials.platform_certificate,
        validTo: expect.any(String),
      },
    ]);
    const adapter = wechatpayChannel.createAdapter(
      wechatpayChannel.parseSettings({
        ...base,
        appid: 'wx0601060106010601',
        platform_certificates: certificates.map((c) => c.pem),
      }),
      { http: plainHttpClient() },
    );
    expect(
      await adapter.queryPayment({
        billId: 'x',
        outTradeNo: 'nosuchorder1',
        billNo: 'b',
        channel: 'WX_NATIVE',
        title: 't',
        totalFee: 1,
        createTime: 0,
        expiresAt: null,
        openid: null,
        payerIp: null,
      }),
    ).toEqual({ status: 'not_found' });
    await expect(
      downloadPlatformCertificates({ ...base, apiv3_key: 'y'.repeat(32) }, plainHttpClient()),
    ).rejects.toMatchObject({ code: 'BAD_ANSWER' });
  });

  it('a public-key merchant checks the answer with the WeChat Pay public key', async () => {
    const merchantKey = generateMerchantCredentials('1900000602');
    const credentials = sim.registerMerchant({
      mchid: '1900000602',
      appid: 'wx0602060206020602',
      merchant_certificate: merchantKey.certificatePem,
    });
    const base = {
      mchid: '1900000602',
      merchant_private_key: merchantKey.privateKeyPem,
      merchant_serial_no: merchantKey.serialNo,
      apiv3_key: credentials.apiv3_key,
      api_base_url: sim.url,
    };
    await expect(downloadPlatformCertificates(base, plainHttpClient())).rejects.toMatchObject({
      code: 'BAD_SIGNATURE',
    });
    expect(
      await downloadPlatformCertificates(
        {
          ...base,
          wechatpay_public_key: credentials.wechatpay_public_key,
          wechatpay_public_key_id: credentials.wechatpay_public_key_id,
        },
        plainHttpClient(),
      ),
    ).toHaveLength(1);
  });
});
