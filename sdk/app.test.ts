import { describe, expect, it } from 'vitest';
import { appFromConfig, restSecretFor, webhookSignSecretFor } from './app.ts';
import { newRefundNo } from './rest-types.ts';

const config = {
  appId: 'app',
  appSecret: 'app-secret',
  masterSecret: 'master-secret',
  testSecret: 'test-secret',
  webhookSecret: 'whsec_x',
  mode: 'live' as const,
};

describe('which secret signs what', () => {
  const live = appFromConfig(config, 'http://127.0.0.1:8080/');
  const test = appFromConfig({ ...config, mode: 'test' }, 'http://127.0.0.1:8080');

  it('reads the config file shape and trims the gateway URL', () => {
    expect(live).toMatchObject({ testMode: false, gatewayUrl: 'http://127.0.0.1:8080' });
    expect(test.testMode).toBe(true);
  });

  it('uses the app secret for pay and queries in live mode, the test secret in test mode', () => {
    expect(restSecretFor(live, 'pay')).toBe('app-secret');
    expect(restSecretFor(live, 'query')).toBe('app-secret');
    expect(restSecretFor(test, 'pay')).toBe('test-secret');
    expect(restSecretFor(test, 'query')).toBe('test-secret');
  });

  it('uses the master secret for refunds and the test secret for the sandbox paths, in either mode', () => {
    expect(restSecretFor(live, 'refund')).toBe('master-secret');
    expect(restSecretFor(test, 'refund')).toBe('master-secret');
    expect(restSecretFor(live, 'sandbox')).toBe('test-secret');
  });

  it("signs the webhook's legacy sign with the test secret only in test mode", () => {
    expect(webhookSignSecretFor(live)).toBe('app-secret');
    expect(webhookSignSecretFor(test)).toBe('test-secret');
  });
});

describe('newRefundNo', () => {
  it('starts with the date in China (UTC+8) and follows with 16 letters or digits', () => {
    // 2026-11-23 20:00 UTC is already 2026-11-24 in China.
    const refundNo = newRefundNo(new Date('2026-11-23T20:00:00Z'));
    expect(refundNo).toMatch(/^20261124[0-9a-f]{16}$/);
  });
});
