/**
 * Each side checked by the other: alipay-sdk (Alipay's own Node SDK, with its own transport) against the simulator,
 * which is written from the protocol without the SDK. If the simulator and the SDK agree, the adapter (which uses
 * the SDK's signing) is tested against something independent.
 */
import { generateKeyPairSync } from 'node:crypto';
import { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAlipaySimulator,
  type AlipaySimulatorHandle,
  type Merchant,
} from '../../../simulators/alipay/index.ts';
import { plainHttp } from '../testing/plain-http.ts';
import { beijingTime, signContent } from './protocol.ts';

const appKeys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

let simulator: AlipaySimulatorHandle;
const merchants: Record<'public_key' | 'cert', Merchant> = {} as never;
const sdks: Record<'public_key' | 'cert', AlipaySdk> = {} as never;

beforeAll(async () => {
  simulator = await startAlipaySimulator({ notifyRetryScale: 0.001 });
  for (const mode of ['public_key', 'cert'] as const) {
    const merchant = await simulator.registerMerchant({ app_public_key: appKeys.publicKey, mode });
    merchants[mode] = merchant;
    const common = {
      appId: merchant.app_id,
      privateKey: appKeys.privateKey.trim(),
      keyType: 'PKCS8' as const,
      gateway: simulator.gatewayUrl,
    };
    sdks[mode] =
      mode === 'public_key'
        ? new AlipaySdk({ ...common, alipayPublicKey: merchant.alipay_public_key })
        : new AlipaySdk({
            ...common,
            appCertContent: merchant.app_cert!,
            alipayPublicCertContent: merchant.alipay_public_cert!,
            alipayRootCertContent: merchant.alipay_root_cert!,
          });
  }
});

afterAll(async () => {
  await simulator?.close();
});

describe.each(['public_key', 'cert'] as const)('alipay-sdk ⇄ simulator (%s mode)', (mode) => {
  it("the SDK's cert SNs are the ones the simulator issued", () => {
    if (mode === 'public_key') return expect(sdks[mode].config.appCertSn).toBeFalsy();
    expect(sdks[mode].config.appCertSn).toBe(merchants.cert.app_cert_sn);
    expect(sdks[mode].config.alipayRootCertSn).toBe(merchants.cert.alipay_root_cert_sn);
  });

  it('the simulator accepts an SDK-signed API call made over the SDK\'s own transport, and the SDK verifies the answer (escaped "/")', async () => {
    const outTradeNo = `sdk${mode}${Date.now()}`;
    const created = await sdks[mode].exec(
      'alipay.trade.precreate',
      {
        timestamp: beijingTime(Date.now()),
        bizContent: { out_trade_no: outTradeNo, total_amount: '8.88', subject: 'SDK/cross check' },
      },
      { validateSign: true },
    );
    expect(created).toMatchObject({
      code: '10000',
      outTradeNo,
      qrCode: expect.stringContaining(`${simulator.url}/scan/`),
    });
    const queried = await sdks[mode].exec(
      'alipay.trade.query',
      { timestamp: beijingTime(Date.now()), bizContent: { out_trade_no: outTradeNo } },
      { validateSign: true },
    );
    expect(queried).toMatchObject({ code: '10000', tradeStatus: 'WAIT_BUYER_PAY', totalAmount: '8.88' });
    const raw = (await simulator.requests()).at(-1)!;
    expect(raw.params.sign).toBeTruthy();
  });

  it('the simulator accepts an SDK-built page.pay GET URL (the SDK adds alipay_sdk; the timestamp is passed in Beijing time)', async () => {
    const outTradeNo = `sdkpage${mode}${Date.now()}`;
    const url = sdks[mode].pageExecute('alipay.trade.page.pay', 'GET', {
      timestamp: beijingTime(Date.now()),
      notifyUrl: 'http://127.0.0.1:9/notify',
      returnUrl: 'http://127.0.0.1:9/return',
      bizContent: {
        out_trade_no: outTradeNo,
        total_amount: '0.01',
        subject: '页面 pay',
        product_code: 'FAST_INSTANT_TRADE_PAY',
      },
    });
    const response = await plainHttp({ url, method: 'GET', headers: {} });
    expect(response.status, response.body).toBe(302);
    expect(response.headers.location).toContain('/cashier/');
  });

  it("the SDK's own timestamp is local time: on a host not in UTC+8 the simulator refuses it as Alipay does", async () => {
    const offsetMinutes = new Date().getTimezoneOffset();
    const answer = await sdks[mode].exec('alipay.trade.query', { bizContent: { out_trade_no: 'x' } });
    if (offsetMinutes === -480) {
      expect(answer.code).toBe('40004');
    } else {
      expect(answer).toMatchObject({ code: '40002', subCode: 'isv.invalid-timestamp' });
    }
  });

  it('the SDK verifies the notifies the simulator signs; its leniency is why the adapter checks strictly', async () => {
    const outTradeNo = `sdknotify${mode}${Date.now()}`;
    await sdks[mode].exec(
      'alipay.trade.precreate',
      {
        timestamp: beijingTime(Date.now()),
        notifyUrl: 'http://127.0.0.1:9/unreachable',
        bizContent: { out_trade_no: outTradeNo, total_amount: '1.00', subject: 'notify' },
      },
      { validateSign: true },
    );
    await simulator.pay(outTradeNo);
    let attempt;
    for (let i = 0; i < 200 && !attempt; i++) {
      attempt = (await simulator.notifies()).find((n) => n.out_trade_no === outTradeNo);
      if (!attempt) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(attempt).toBeDefined();
    const params = attempt!.params;
    expect(sdks[mode].checkNotifySignV2({ ...params })).toBe(true);
    // The signed text excludes sign and sign_type and empty values: the SDK's rsaCheck over our strict text agrees.
    expect(sdks[mode].rsaCheck(signContent(params, ['sign', 'sign_type']), params.sign, 'RSA2')).toBe(true);
    // A changed amount no longer verifies.
    expect(sdks[mode].checkNotifySignV2({ ...params, total_amount: '0.01' })).toBe(false);
  });
});
