import { describe, expect, it } from 'vitest';
import type { SpayApp } from './app.ts';
import { standardWebhookSignature } from './sign.ts';
import { signedWebhookBody, standardWebhookHeaders } from './testing/webhook-sender.ts';
import { parseWebhookBody, verifyWebhook } from './webhook.ts';

const app: SpayApp = {
  appId: 'app-id',
  appSecret: 'app-secret',
  masterSecret: 'master',
  testSecret: 'test-secret',
  webhookSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  testMode: false,
  gatewayUrl: 'http://127.0.0.1:8080',
};

// A body whose signatures were computed independently (Python hashlib): sign = md5("app-id" + "app-secret" +
// "1700000000000"), signature = md5("app-id" + "bill20240101" + "PAY" + "ALI" + "1" + "master").
const knownBody = JSON.stringify({
  sign: 'fe8d5d8076b3a98e921d31bb8270e468',
  signature: 'a411e015a864df01c7095614d49e2f4c',
  timestamp: 1700000000000,
  channel_type: 'ALI',
  sub_channel_type: 'ALI_WEB',
  transaction_type: 'PAY',
  transaction_id: 'bill20240101',
  transaction_fee: 1,
  trade_success: true,
  optional: {},
});

describe('verifyWebhook', () => {
  it('accepts a body with known-good legacy sign and signature', () => {
    const result = verifyWebhook(knownBody, {}, app);
    expect(result).toMatchObject({ ok: true, checked: ['sign', 'signature'] });
    if (result.ok) expect(result.webhook.transaction_fee).toBe(1);
  });

  it('accepts upper-case hex signatures, as BeeCloud did', () => {
    const body = JSON.parse(knownBody);
    body.sign = body.sign.toUpperCase();
    expect(verifyWebhook(JSON.stringify(body), {}, app).ok).toBe(true);
  });

  it('checks the legacy sign with the test secret in test mode', () => {
    const testApp = { ...app, testMode: true };
    expect(verifyWebhook(knownBody, {}, testApp)).toMatchObject({ ok: false, failure: 'sign' });
    const testBody = signedWebhookBody(testApp, {
      transactionType: 'PAY',
      transactionId: 'bill20240101',
      transactionFee: 1,
    });
    expect(verifyWebhook(JSON.stringify(testBody), {}, testApp).ok).toBe(true);
  });

  it('names the signature when a field it covers was changed', () => {
    const tampered = knownBody.replace('"transaction_fee":1', '"transaction_fee":100');
    expect(verifyWebhook(tampered, {}, app)).toMatchObject({ ok: false, failure: 'signature' });
  });

  it('refuses a wrong master secret', () => {
    expect(verifyWebhook(knownBody, {}, { ...app, masterSecret: 'other' })).toMatchObject({
      ok: false,
      failure: 'signature',
    });
  });

  it('names the body or field at fault', () => {
    expect(verifyWebhook('nope', {}, app)).toMatchObject({ ok: false, failure: 'body' });
    expect(verifyWebhook('null', {}, app)).toMatchObject({ ok: false, failure: 'body' });
    const body = JSON.parse(knownBody);
    body.transaction_fee = '1';
    expect(verifyWebhook(JSON.stringify(body), {}, app)).toMatchObject({
      ok: false,
      failure: 'field',
      message: 'transaction_fee: missing or not an integer number of fen',
    });
  });

  it('accepts a raw Buffer body', () => {
    expect(verifyWebhook(Buffer.from(knownBody, 'utf8'), {}, app).ok).toBe(true);
  });

  describe('Standard Webhooks headers', () => {
    const now = () => 1_700_000_100_000;
    const seconds = 1_700_000_100;

    it('are checked over the exact body when present (Node headers or fetch Headers)', () => {
      const headers = standardWebhookHeaders(app.webhookSecret!, knownBody, {
        id: 'msg_1',
        timestampSeconds: seconds,
      });
      expect(verifyWebhook(knownBody, headers, app, { now })).toMatchObject({
        ok: true,
        checked: ['standard-signature', 'sign', 'signature'],
      });
      expect(verifyWebhook(knownBody, new Headers(headers), app, { now })).toMatchObject({
        ok: true,
        checked: ['standard-signature', 'sign', 'signature'],
      });
    });

    it('match the specification example signature', () => {
      const body = '{"test": 2432232314}';
      const signature = standardWebhookSignature(
        app.webhookSecret!,
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        body,
      );
      expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    });

    it('accept one matching signature among several (key rotation)', () => {
      const headers = standardWebhookHeaders(app.webhookSecret!, knownBody, {
        id: 'msg_1',
        timestampSeconds: seconds,
      });
      headers['webhook-signature'] = `v1,AAAA ${headers['webhook-signature']}`;
      expect(verifyWebhook(knownBody, headers, app, { now }).ok).toBe(true);
    });

    it('refuse a body changed after signing, even with valid BeeCloud signatures', () => {
      const headers = standardWebhookHeaders(app.webhookSecret!, knownBody, {
        id: 'msg_1',
        timestampSeconds: seconds,
      });
      const reordered = JSON.stringify(JSON.parse(knownBody), null, 1);
      expect(verifyWebhook(reordered, headers, app, { now })).toMatchObject({
        ok: false,
        failure: 'standard-signature',
      });
    });

    it('refuse a timestamp outside the tolerance, either way', () => {
      const old = standardWebhookHeaders(app.webhookSecret!, knownBody, { timestampSeconds: seconds - 301 });
      expect(verifyWebhook(knownBody, old, app, { now })).toMatchObject({ ok: false, failure: 'timestamp' });
      const future = standardWebhookHeaders(app.webhookSecret!, knownBody, {
        timestampSeconds: seconds + 301,
      });
      expect(verifyWebhook(knownBody, future, app, { now })).toMatchObject({
        ok: false,
        failure: 'timestamp',
      });
      expect(verifyWebhook(knownBody, old, app, { now, toleranceSeconds: 600 }).ok).toBe(true);
    });

    it('accept a timestamp exactly at the tolerance, either way, and refuse one second beyond', () => {
      for (const offset of [-300, 300]) {
        const headers = standardWebhookHeaders(app.webhookSecret!, knownBody, {
          timestampSeconds: seconds + offset,
        });
        expect(verifyWebhook(knownBody, headers, app, { now }).ok).toBe(true);
      }
      const tenSecondsOld = standardWebhookHeaders(app.webhookSecret!, knownBody, {
        timestampSeconds: seconds - 10,
      });
      expect(verifyWebhook(knownBody, tenSecondsOld, app, { now, toleranceSeconds: 10 }).ok).toBe(true);
      expect(verifyWebhook(knownBody, tenSecondsOld, app, { now, toleranceSeconds: 9 })).toMatchObject({
        ok: false,
        failure: 'timestamp',
      });
    });

    it('refuse a webhook-timestamp that is not a plain number of seconds, even if it reads as one', () => {
      for (const timestamp of ['abc', '1700000100.0', '1.7000001e9', '0x6553F164', '-1700000100']) {
        const headers = standardWebhookHeaders(app.webhookSecret!, knownBody, { timestampSeconds: seconds });
        headers['webhook-timestamp'] = timestamp;
        expect(verifyWebhook(knownBody, headers, app, { now }), timestamp).toMatchObject({
          ok: false,
          failure: 'timestamp',
          message: 'webhook-timestamp: not a number of seconds',
        });
      }
    });

    it('refuse incomplete headers', () => {
      const headers = standardWebhookHeaders(app.webhookSecret!, knownBody, { timestampSeconds: seconds });
      const { ['webhook-id']: _id, ...withoutId } = headers;
      expect(verifyWebhook(knownBody, withoutId, app, { now })).toMatchObject({
        ok: false,
        failure: 'standard-signature',
      });
    });

    it('are skipped for an app without a webhookSecret, unless required', () => {
      const headers = standardWebhookHeaders(app.webhookSecret!, knownBody, { timestampSeconds: seconds });
      const beeCloudApp = { ...app, webhookSecret: undefined };
      expect(verifyWebhook(knownBody, headers, beeCloudApp, { now })).toMatchObject({
        ok: true,
        checked: ['sign', 'signature'],
      });
      expect(
        verifyWebhook(knownBody, headers, beeCloudApp, { now, requireStandardSignature: true }),
      ).toMatchObject({
        ok: false,
        failure: 'standard-signature',
      });
    });

    it('can be required', () => {
      expect(verifyWebhook(knownBody, {}, app, { requireStandardSignature: true })).toMatchObject({
        ok: false,
        failure: 'standard-signature',
      });
    });
  });
});

describe('parseWebhookBody', () => {
  const good = JSON.parse(knownBody) as Record<string, unknown>;
  const without = (field: string) => {
    const { [field]: _removed, ...rest } = good;
    return JSON.stringify(rest);
  };
  const withField = (field: string, value: unknown) => JSON.stringify({ ...good, [field]: value });

  it.each([
    ['not JSON', '{"sign":', 'body', 'body: not valid JSON'],
    ['an array', '[1]', 'body', 'body: not a JSON object'],
    ['null', 'null', 'body', 'body: not a JSON object'],
    ['a string', '"PAY"', 'body', 'body: not a JSON object'],
    ['no sign', without('sign'), 'field', 'sign: missing or not a string'],
    ['an empty signature', withField('signature', ''), 'field', 'signature: missing or not a string'],
    [
      'a numeric channel_type',
      withField('channel_type', 1),
      'field',
      'channel_type: missing or not a string',
    ],
    ['no transaction_id', without('transaction_id'), 'field', 'transaction_id: missing or not a string'],
    [
      'a text timestamp',
      withField('timestamp', '1700000000000'),
      'field',
      'timestamp: missing or not an integer number of milliseconds',
    ],
    [
      'a fractional timestamp',
      withField('timestamp', 1.5),
      'field',
      'timestamp: missing or not an integer number of milliseconds',
    ],
    [
      'transaction_type BILL',
      withField('transaction_type', 'BILL'),
      'field',
      'transaction_type: must be PAY, REFUND, TRANSFER or SUBSCRIPTION',
    ],
    [
      'a text fee',
      withField('transaction_fee', '1'),
      'field',
      'transaction_fee: missing or not an integer number of fen',
    ],
    [
      'a fractional fee',
      withField('transaction_fee', 0.5),
      'field',
      'transaction_fee: missing or not an integer number of fen',
    ],
    [
      'a negative fee',
      withField('transaction_fee', -1),
      'field',
      'transaction_fee: missing or not an integer number of fen',
    ],
    [
      'trade_success as text',
      withField('trade_success', 'true'),
      'field',
      'trade_success: missing or not a boolean',
    ],
    [
      'a numeric sub_channel_type',
      withField('sub_channel_type', 7),
      'field',
      'sub_channel_type: not a string',
    ],
    ['a numeric bill_no', withField('bill_no', 7), 'field', 'bill_no: not a string'],
    ['optional as text', withField('optional', 'x'), 'field', 'optional: not an object'],
    ['optional as an array', withField('optional', [1]), 'field', 'optional: not an object'],
  ])('refuses %s, naming it', (_what, body, failure, message) => {
    expect(parseWebhookBody(body)).toEqual({ ok: false, failure, message });
    expect(verifyWebhook(body, {}, app)).toEqual({ ok: false, failure, message });
  });

  it.each([
    ['a zero fee', withField('transaction_fee', 0)],
    ['a REFUND', withField('transaction_type', 'REFUND')],
    ['no sub_channel_type', without('sub_channel_type')],
    ['a bill_no', withField('bill_no', 'bill20240101')],
    ['optional null', withField('optional', null)],
    ['no optional', without('optional')],
  ])('accepts %s', (_what, body) => {
    expect(parseWebhookBody(body)).toMatchObject({ ok: true, webhook: JSON.parse(body) });
  });
});

describe('verifyWebhook refusals say what failed', () => {
  const now = () => 1_700_000_100_000;
  const seconds = 1_700_000_100;

  it('names the legacy sign and signature formulas', () => {
    const body = JSON.parse(knownBody) as Record<string, unknown>;
    expect(verifyWebhook(JSON.stringify({ ...body, sign: 'a'.repeat(32) }), {}, app)).toEqual({
      ok: false,
      failure: 'sign',
      message: 'sign: does not match md5(app_id + app_secret + timestamp)',
    });
    expect(
      verifyWebhook(JSON.stringify({ ...body, sign: 'a'.repeat(32) }), {}, { ...app, testMode: true }),
    ).toEqual({
      ok: false,
      failure: 'sign',
      message: 'sign: does not match md5(app_id + test_secret + timestamp)',
    });
    expect(verifyWebhook(JSON.stringify({ ...body, signature: 'a'.repeat(32) }), {}, app)).toEqual({
      ok: false,
      failure: 'signature',
      message:
        'signature: does not match md5(app_id + transaction_id + transaction_type + channel_type + transaction_fee + master_secret)',
    });
  });

  it('refuses each incomplete set of Standard Webhooks headers, whichever one is missing', () => {
    const headers = standardWebhookHeaders(app.webhookSecret!, knownBody, {
      id: 'msg_1',
      timestampSeconds: seconds,
    });
    for (const missing of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const partial = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== missing));
      expect(verifyWebhook(knownBody, partial, app, { now }), missing).toEqual({
        ok: false,
        failure: 'standard-signature',
        message: 'webhook-id, webhook-timestamp and webhook-signature must come together',
      });
      const only = Object.fromEntries(Object.entries(headers).filter(([name]) => name === missing));
      expect(verifyWebhook(knownBody, only, app, { now }), `only ${missing}`).toMatchObject({
        ok: false,
        failure: 'standard-signature',
      });
    }
  });

  it('names the tolerance, the missing headers and the unmatched signature', () => {
    const old = standardWebhookHeaders(app.webhookSecret!, knownBody, { timestampSeconds: seconds - 301 });
    expect(verifyWebhook(knownBody, old, app, { now })).toEqual({
      ok: false,
      failure: 'timestamp',
      message: 'webhook-timestamp: more than 300 s from now',
    });
    expect(verifyWebhook(knownBody, {}, app, { now, requireStandardSignature: true })).toEqual({
      ok: false,
      failure: 'standard-signature',
      message: 'webhook-signature: the Standard Webhooks headers are missing',
    });
    const headers = standardWebhookHeaders(app.webhookSecret!, knownBody, { timestampSeconds: seconds });
    expect(verifyWebhook(knownBody, headers, { ...app, webhookSecret: 'whsec_other' }, { now })).toEqual({
      ok: false,
      failure: 'standard-signature',
      message: 'webhook-signature: no v1 signature matches',
    });
  });

  it('treats an empty webhookSecret as none, and an empty candidate signature as no match', () => {
    const headers = standardWebhookHeaders(app.webhookSecret!, knownBody, { timestampSeconds: seconds });
    expect(verifyWebhook(knownBody, headers, { ...app, webhookSecret: '' }, { now })).toMatchObject({
      ok: true,
      checked: ['sign', 'signature'],
    });
    expect(verifyWebhook(knownBody, { ...headers, 'webhook-signature': ' ' }, app, { now })).toMatchObject({
      ok: false,
      failure: 'standard-signature',
    });
  });

  it('reads headers from a Headers object, case-insensitively from a plain object, and the first of a repeated one', () => {
    const headers = standardWebhookHeaders(app.webhookSecret!, knownBody, { timestampSeconds: seconds });
    const upper = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]),
    );
    expect(verifyWebhook(knownBody, upper, app, { now }).ok).toBe(true);
    const repeated = { ...headers, 'webhook-signature': [headers['webhook-signature']!, 'v1,AAAA'] };
    expect(verifyWebhook(knownBody, repeated, app, { now }).ok).toBe(true);
    const missingInHeaders = new Headers(headers);
    missingInHeaders.delete('webhook-id');
    expect(verifyWebhook(knownBody, missingInHeaders, app, { now })).toMatchObject({
      ok: false,
      failure: 'standard-signature',
    });
  });
});
