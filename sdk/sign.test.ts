import { describe, expect, it } from 'vitest';
import {
  buttonOrderSign,
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
