import { describe, expect, it } from 'vitest';
import {
  buttonOrderSign,
  buttonOrderSignV2,
  canonicalJson,
  restRequestSignature,
  hexSignaturesEqual,
  restAppSign,
  signaturesEqual,
  standardWebhookSignature,
  webhookLegacySign,
  webhookSignature,
} from './sign.ts';

// Vectors computed independently with Python's hashlib/hmac.
describe('BeeCloud signatures', () => {
  it('signs a button order as md5(appId + title + amount + out_trade_no + appSecret)', () => {
    expect(
      buttonOrderSign('e66e760b-0f78-44bb-a9ae-b22729d51678', 'product', 1, 'bc1234567', 'secret-1'),
    ).toBe('59c4b5db51d52739af8f07139a2c47e7');
  });

  it('hashes CJK titles as UTF-8', () => {
    expect(buttonOrderSign('app', '你的订单', 100, 'order123456', 's3cr3t')).toBe(
      'c0e850f6dbbd633043c282344d34bed1',
    );
  });

  it('signs a REST request as md5(app_id + timestamp + secret)', () => {
    expect(restAppSign('app-id', 1700000000000, 'app-secret')).toBe('34a5b0969c428da17b0f16cf20b12061');
  });

  it("signs a webhook's legacy sign as md5(app_id + secret + timestamp)", () => {
    expect(webhookLegacySign('app-id', 'app-secret', 1700000000000)).toBe('fe8d5d8076b3a98e921d31bb8270e468');
  });

  it("signs a webhook's signature over id, type, channel, fee and master secret", () => {
    expect(webhookSignature('app-id', 'bill20240101', 'PAY', 'ALI', 1, 'master')).toBe(
      'a411e015a864df01c7095614d49e2f4c',
    );
  });
});

describe('spay v2 signatures (HMAC-SHA256 over named fields)', () => {
  it('signs a button order over the canonical JSON of its named fields', () => {
    const fields = { appId: 'app-id', title: 'Book', amount: 1234, outTradeNo: 'order123456' };
    expect(buttonOrderSignV2(fields, 'app-secret')).toBe(
      '63b4160be70a7ebab59842f17d780a739b2fb005d989c90bbc62e8ecb6bc5e39',
    );
  });

  it('gives a re-split order (title "Book123", amount 4) another sign, unlike the legacy md5', () => {
    const real = { appId: 'app-id', title: 'Book', amount: 1234, outTradeNo: 'order123456' };
    const split = { appId: 'app-id', title: 'Book123', amount: 4, outTradeNo: 'order123456' };
    expect(buttonOrderSign('app-id', 'Book', 1234, 'order123456', 's')).toBe(
      buttonOrderSign('app-id', 'Book123', 4, 'order123456', 's'),
    );
    expect(buttonOrderSignV2(split, 'app-secret')).toBe(
      '3e605787e690647ba1500aa7392dd87bf57cbee681b03095747c9f6603a78958',
    );
    expect(buttonOrderSignV2(split, 'app-secret')).not.toBe(buttonOrderSignV2(real, 'app-secret'));
  });

  it('covers return_url, optional (keys sorted) and bill_timeout, CJK as UTF-8', () => {
    const fields = {
      appId: 'app',
      title: '你的订单',
      amount: 100,
      outTradeNo: 'order123456',
      returnUrl: 'https://shop.example/paid',
      optional: { z: 1, a: 'x', m: true, n: null },
      billTimeout: 300,
    };
    expect(canonicalJson({ b: [1, 'x'], a: { d: null, c: false } })).toBe(
      '{"a":{"c":false,"d":null},"b":[1,"x"]}',
    );
    expect(buttonOrderSignV2(fields, 's3cr3t')).toBe(
      '07927285368e8ea46c3c58270602889bcae5d55cecef448fbb826e85a0253eb2',
    );
    expect(buttonOrderSignV2({ ...fields, returnUrl: '' }, 's3cr3t')).toBe(
      buttonOrderSignV2({ ...fields, returnUrl: null }, 's3cr3t'),
    );
    expect(buttonOrderSignV2({ ...fields, returnUrl: 'https://evil.example/paid' }, 's3cr3t')).not.toBe(
      buttonOrderSignV2(fields, 's3cr3t'),
    );
    expect(buttonOrderSignV2({ ...fields, optional: { z: 2, a: 'x', m: true, n: null } }, 's3cr3t')).not.toBe(
      buttonOrderSignV2(fields, 's3cr3t'),
    );
  });

  it('signs a REST request over method, path, app_id, timestamp, nonce and the body', () => {
    const request = {
      method: 'POST',
      pathAndQuery: '/2/rest/refund',
      appId: 'app-id',
      timestamp: 1700000000000,
      nonce: 'n0nce-123456789012',
      body: '{"bill_no":"x","refund_fee":1}',
    };
    expect(restRequestSignature(request, 'master')).toBe(
      '3284780e44db9ef9da8aad4f9263dd39ed394e478d5e28ca1709749a16708759',
    );
    expect(restRequestSignature({ ...request, body: '{"bill_no":"x","refund_fee":2}' }, 'master')).not.toBe(
      restRequestSignature(request, 'master'),
    );
    expect(restRequestSignature({ ...request, method: 'PUT' }, 'master')).not.toBe(
      restRequestSignature(request, 'master'),
    );
  });
});

describe('Standard Webhooks signature', () => {
  it("matches the specification's published example", () => {
    expect(
      standardWebhookSignature(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});

describe('signature comparison', () => {
  it('accepts equal strings and rejects different ones or lengths', () => {
    expect(signaturesEqual('abc', 'abc')).toBe(true);
    expect(signaturesEqual('abc', 'abd')).toBe(false);
    expect(signaturesEqual('abc', 'abcd')).toBe(false);
  });

  it('compares hex digests without regard to case', () => {
    expect(hexSignaturesEqual('59c4b5db51d52739af8f07139a2c47e7', '59C4B5DB51D52739AF8F07139A2C47E7')).toBe(
      true,
    );
    expect(hexSignaturesEqual('59c4b5db51d52739af8f07139a2c47e7', '59c4b5db51d52739af8f07139a2c47e8')).toBe(
      false,
    );
  });
});
