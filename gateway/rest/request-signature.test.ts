/**
 * Issue 21 item 6: a captured legacy app_sign (md5 of app_id + timestamp + secret) authorised any request for the
 * whole timestamp window. (a) The v2 request signature covers method, path, timestamp, a nonce and the body, and a
 * nonce is accepted once; an app can require it. (b) A legacy (timestamp, app_sign) is accepted once on the
 * endpoints that move money out; concurrent legacy pay requests sharing one are all served.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpayClient } from '../../sdk/client.ts';
import { restAppSign, restRequestSignature } from '../../sdk/sign.ts';
import type { SeedApp } from '../apps/app.ts';
import { startTestGateway, testApp, type TestGateway } from '../testing/gateway-harness.ts';
import { asyncRefusalOf } from '../testing/refusal.ts';
import type { AppCredentials } from './app-auth.ts';
import { signatureFields, Type } from '../schema/beecloud-schema.ts';
import { checkWithSchema } from '../schema/request-validation.ts';
import { authenticateSignedRequest, claimLegacySign } from './request-signature.ts';
import { moneySnapshot, newBillNo, newRefundNo, paidRestBill, rest } from './testing/rest-caller.ts';

let gateway: TestGateway;
const strictApp = testApp({ requestSign: 'v2_required' });

beforeAll(async () => {
  gateway = await startTestGateway({ seedApps: [strictApp] });
});
afterAll(async () => {
  await gateway.close();
});

interface V2Options {
  app?: SeedApp;
  secret?: 'appSecret' | 'masterSecret' | 'testSecret';
  nonce?: string;
  timestamp?: number;
  /** Sent instead of the body that was signed. */
  sentBody?: string;
  /** Pads the JSON body with spaces to this many bytes (signed as sent). */
  padTo?: number;
}

/** A request signed with the v2 headers (the body carries app_id only). */
async function v2Request(
  method: 'POST' | 'PUT' | 'GET',
  path: string,
  payload: object,
  options: V2Options = {},
) {
  const app = options.app ?? gateway.app;
  const timestamp = options.timestamp ?? Date.now();
  const nonce = options.nonce ?? randomBytes(16).toString('base64url');
  const fields = { app_id: app.appId, ...payload };
  let pathAndQuery = `/2/${path}`;
  let body = '';
  if (method === 'GET') pathAndQuery += `?para=${encodeURIComponent(JSON.stringify(fields))}`;
  else body = JSON.stringify(fields);
  if (options.padTo !== undefined) body = body.padEnd(options.padTo, ' ');
  const signature = restRequestSignature(
    { method, pathAndQuery, appId: app.appId, timestamp, nonce, body },
    app[options.secret ?? 'masterSecret'],
  );
  const response = await fetch(`${gateway.url}${pathAndQuery}`, {
    method,
    headers: {
      ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
      'x-spay-timestamp': String(timestamp),
      'x-spay-nonce': nonce,
      'x-spay-signature': signature,
    },
    ...(method === 'GET' ? {} : { body: options.sentBody ?? body }),
  });
  return (await response.json()) as Record<string, unknown>;
}

describe('the v2 request signature', () => {
  it('authorises a refund, once per nonce', async () => {
    const { billNo } = await paidRestBill(gateway, { total_fee: 100, title: 'v2' });
    const nonce = randomBytes(16).toString('hex');
    const timestamp = Date.now();
    const payload = { refund_no: newRefundNo(), bill_no: billNo, refund_fee: 10 };
    const first = await v2Request('POST', 'rest/refund', payload, { nonce, timestamp });
    expect(first).toMatchObject({ result_code: 0 });
    const replayed = await v2Request(
      'POST',
      'rest/refund',
      { ...payload, refund_no: newRefundNo() },
      { nonce, timestamp },
    );
    expect(replayed).toMatchObject({ result_code: 1, result_msg: 'APP_INVALID' });
    expect(replayed.err_detail).toMatch(/^X-Spay-Nonce: was already used/);
  });

  it('refuses a body, method or path other than the signed one, and a stale timestamp', async () => {
    const { billNo } = await paidRestBill(gateway, { total_fee: 100, title: 'v2' });
    const signedBody = JSON.stringify({
      app_id: gateway.app.appId,
      refund_no: newRefundNo(),
      bill_no: billNo,
      refund_fee: 1,
    });
    const swapped = await v2Request(
      'POST',
      'rest/refund',
      { refund_no: newRefundNo(), bill_no: billNo, refund_fee: 1 },
      { sentBody: signedBody.replace('"refund_fee":1', '"refund_fee":99') },
    );
    expect(swapped).toMatchObject({ result_code: 1 });
    expect(swapped.err_detail).toMatch(/^X-Spay-Signature: does not match/);
    const stale = await v2Request(
      'POST',
      'rest/refund',
      { refund_no: newRefundNo(), bill_no: billNo, refund_fee: 1 },
      {
        timestamp: Date.now() - 6 * 60_000,
      },
    );
    expect(stale.err_detail).toMatch(/^X-Spay-Timestamp: is outside the allowed window/);
    const badNonce = await v2Request(
      'POST',
      'rest/refund',
      { refund_no: newRefundNo(), bill_no: billNo, refund_fee: 1 },
      {
        nonce: 'short',
      },
    );
    expect(badNonce.err_detail).toMatch(/^X-Spay-Nonce: must be 16 to 64/);
    const query = await v2Request('GET', 'rest/bills', { bill_no: billNo }, { secret: 'testSecret' });
    expect(query).toMatchObject({ result_code: 0 });
    const wrongSecret = await v2Request('GET', 'rest/bills', { bill_no: billNo }, { secret: 'masterSecret' });
    expect(wrongSecret.err_detail).toMatch(/^X-Spay-Signature: does not match/);
    expect(
      (await rest(gateway, { method: 'GET', path: 'rest/refunds', payload: { bill_no: billNo } })).json.count,
    ).toBe(0);
  });

  it('covers bodies up to 64 KiB and refuses a longer signed body, naming body', async () => {
    const { billNo } = await paidRestBill(gateway, { total_fee: 100, title: 'v2 size' });
    const payload = () => ({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 1 });
    expect(await v2Request('POST', 'rest/refund', payload(), { padTo: 64 * 1024 })).toMatchObject({
      result_code: 0,
    });
    const tooLong = await v2Request('POST', 'rest/refund', payload(), { padTo: 64 * 1024 + 1 });
    expect(tooLong).toMatchObject({ result_msg: 'PARAM_INVALID' });
    expect(tooLong.err_detail).toBe('body: must be at most 65536 bytes');
  });

  it('is what the SDK sends: an app that requires it pays and refunds through SpayClient', async () => {
    const client = new SpayClient({
      appId: strictApp.appId,
      appSecret: strictApp.appSecret,
      masterSecret: strictApp.masterSecret,
      testSecret: strictApp.testSecret,
      webhookSecret: strictApp.webhookSecret,
      testMode: true,
      gatewayUrl: gateway.url,
    });
    const billNo = newBillNo();
    const paid = await client.pay({ channel: 'WX_NATIVE', bill_no: billNo, total_fee: 50, title: 'sdk v2' });
    expect(paid).toMatchObject({ ok: true });
    const notified = await client.sandbox.notify((paid as { id: string }).id);
    expect(notified).toMatchObject({ ok: true });
    const refunded = await client.refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 50 });
    expect(refunded).toMatchObject({ ok: true });
  });

  it('is required by an app set so: a legacy app_sign alone is refused naming X-Spay-Signature', async () => {
    const legacy = await rest(
      { url: gateway.url, app: strictApp },
      { method: 'GET', path: 'rest/bills', payload: {} },
    );
    expect(legacy.json).toMatchObject({ result_code: 1, result_msg: 'APP_INVALID' });
    expect(legacy.json.err_detail).toMatch(/^X-Spay-Signature: this app requires the v2 request signature/);
  });
});

describe('legacy app_sign on the endpoints that move money out', () => {
  it('refuses a reused (timestamp, app_sign) for a refund with another body: nothing refunded twice', async () => {
    const { billNo } = await paidRestBill(gateway, { total_fee: 100, title: 'replay' });
    const timestamp = Date.now();
    const first = await rest(gateway, {
      method: 'POST',
      path: 'rest/refund',
      secret: 'masterSecret',
      timestamp,
      payload: { refund_no: newRefundNo(), bill_no: billNo, refund_fee: 40 },
    });
    expect(first.json).toMatchObject({ result_code: 0 });
    const before = moneySnapshot(gateway);
    const replayed = await rest(gateway, {
      method: 'POST',
      path: 'rest/refund',
      secret: 'masterSecret',
      timestamp,
      payload: { refund_no: newRefundNo(), bill_no: billNo, refund_fee: 60 },
    });
    expect(replayed.json).toMatchObject({ result_code: 1, result_msg: 'APP_INVALID' });
    expect(replayed.json.err_detail).toMatch(/^app_sign: was already used/);
    const approval = await rest(gateway, {
      method: 'PUT',
      path: 'rest/refund',
      secret: 'masterSecret',
      timestamp,
      payload: { channel: 'WX', ids: ['x'], agree: true },
    });
    expect(approval.json.err_detail).toMatch(/^app_sign: was already used/);
    expect(moneySnapshot(gateway)).toBe(before);
  });

  it('serves every concurrent legacy pay request sharing one timestamp and app_sign', async () => {
    const timestamp = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 24 }, () =>
        rest(gateway, {
          method: 'POST',
          path: 'rest/bill',
          timestamp,
          payload: { channel: 'WX_NATIVE', bill_no: newBillNo(), total_fee: 1, title: 'same ms' },
        }),
      ),
    );
    expect(answers.map((answer) => answer.json.result_code)).toEqual(Array(24).fill(0));
    const query = restAppSign(gateway.app.appId, timestamp, gateway.app.testSecret);
    const queries = await Promise.all(
      Array.from({ length: 4 }, () =>
        rest(gateway, { method: 'GET', path: 'rest/bills/count', timestamp, payload: {} }),
      ),
    );
    expect(query).toMatch(/^[0-9a-f]{32}$/);
    expect(queries.map((answer) => answer.json.result_code)).toEqual([0, 0, 0, 0]);
  });
});

describe('the store of seen signs and nonces', () => {
  it('accepts a fingerprint once until it expires, then forgets it when cleaned up', async () => {
    const guard = gateway.ctx.store.seenSignatures;
    const now = 1_000_000;
    expect(
      await guard.claim({ appId: 'a', kind: 'nonce', fingerprint: 'n1', expiresAt: now + 10, now }),
    ).toBe(true);
    expect(
      await guard.claim({ appId: 'a', kind: 'nonce', fingerprint: 'n1', expiresAt: now + 10, now }),
    ).toBe(false);
    expect(
      await guard.claim({ appId: 'b', kind: 'nonce', fingerprint: 'n1', expiresAt: now + 10, now }),
    ).toBe(true);
    // Past its expiry the row no longer blocks (its timestamp would be refused by the window anyway).
    expect(
      await guard.claim({ appId: 'a', kind: 'nonce', fingerprint: 'n1', expiresAt: now + 30, now: now + 20 }),
    ).toBe(true);
    expect(await guard.deleteExpired(now + 25)).toBe(1);
    expect(await guard.deleteExpired(now + 40)).toBeGreaterThanOrEqual(1);
  });
});

describe('authenticateSignedRequest, header by header', () => {
  const NOW = 1_790_000_000_000;
  const WINDOW = 5 * 60_000;
  const secrets: AppCredentials = {
    appId: 'v2-unit',
    appSecret: 'v2-unit-app',
    masterSecret: 'v2-unit-master',
    testSecret: 'v2-unit-test',
    mode: 'test',
  };
  const findApp = (appId: string) => Promise.resolve(appId === secrets.appId ? secrets : undefined);

  /** The request as Fastify hands it over (no body: the signature covers an empty one). */
  function signedRequest(overrides: { timestamp?: string; nonce?: string; signature?: string } = {}) {
    const timestamp = NOW;
    const nonce = overrides.nonce ?? randomBytes(16).toString('hex');
    const url = '/2/rest/bills';
    const signature = restRequestSignature(
      { method: 'GET', pathAndQuery: url, appId: secrets.appId, timestamp, nonce, body: '' },
      secrets.masterSecret,
    );
    const headers: Record<string, string> = {
      'x-spay-timestamp': overrides.timestamp ?? String(timestamp),
      'x-spay-nonce': nonce,
      'x-spay-signature': overrides.signature ?? signature,
    };
    return { method: 'GET', url, headers } as unknown as FastifyRequest;
  }

  function authenticate(request: FastifyRequest, now = NOW, appId = secrets.appId) {
    return authenticateSignedRequest(
      request,
      { app_id: appId },
      {
        findApp,
        scope: 'master',
        now,
        guard: gateway.ctx.store.seenSignatures,
      },
    );
  }

  async function refusal(request: FastifyRequest, now = NOW, appId = secrets.appId): Promise<string> {
    const error = await asyncRefusalOf(() => authenticate(request, now, appId), 'the request was accepted');
    expect(error.toAnswer().result_msg).toBe('APP_INVALID');
    return error.detail;
  }

  it('names the header at fault, exactly', async () => {
    const good = signedRequest();
    const sign = String((good.headers as Record<string, string>)['x-spay-signature']);
    const cases: [FastifyRequest, string][] = [
      [signedRequest({ timestamp: '' }), 'X-Spay-Timestamp: must be milliseconds since the epoch'],
      [signedRequest({ timestamp: `x${NOW}` }), 'X-Spay-Timestamp: must be milliseconds since the epoch'],
      [signedRequest({ timestamp: `${NOW}x` }), 'X-Spay-Timestamp: must be milliseconds since the epoch'],
      [
        signedRequest({ nonce: `!${'n'.repeat(20)}` }),
        'X-Spay-Nonce: must be 16 to 64 letters, digits, - or _',
      ],
      [
        signedRequest({ nonce: `${'n'.repeat(20)}!` }),
        'X-Spay-Nonce: must be 16 to 64 letters, digits, - or _',
      ],
      [signedRequest({ signature: `0${sign}` }), 'X-Spay-Signature: must be 64 hexadecimal digits'],
      [signedRequest({ signature: `${sign}0` }), 'X-Spay-Signature: must be 64 hexadecimal digits'],
      [signedRequest({ signature: 'not hex' }), 'X-Spay-Signature: must be 64 hexadecimal digits'],
    ];
    for (const [request, detail] of cases) expect(await refusal(request)).toBe(detail);
    expect(await refusal(signedRequest(), NOW, 'nobody')).toBe('app_id: no such app');
    // The app_id's shape is the route schema's (checked before the signature).
    const long = await asyncRefusalOf(
      async () => checkWithSchema(Type.Object(signatureFields), { app_id: 'a'.repeat(65) }),
      'a 65-character app_id was accepted',
    );
    expect([long.toAnswer().result_msg, long.detail]).toEqual([
      'PARAM_INVALID',
      'app_id: must be at most 64 characters',
    ]);
    expect(await refusal(signedRequest({ signature: 'ab'.repeat(32) }))).toBe(
      'X-Spay-Signature: does not match HMAC-SHA256(master_secret, SPAY-REQUEST-V2 / method / path and query / app_id / timestamp / nonce / SHA-256 of the body)',
    );
    expect(await refusal(signedRequest(), NOW + WINDOW + 1)).toBe(
      'X-Spay-Timestamp: is outside the allowed window of ±300 s around the server time (milliseconds since epoch expected)',
    );
    await expect(authenticate(signedRequest(), NOW - WINDOW)).resolves.toBe(secrets);
    // A test-mode app's payment requests may be signed with either secret: the refusal names both.
    const payment = await asyncRefusalOf(
      () =>
        authenticateSignedRequest(
          signedRequest({ signature: 'ab'.repeat(32) }),
          { app_id: secrets.appId },
          { findApp, scope: 'payment', now: NOW, guard: gateway.ctx.store.seenSignatures },
        ),
      'a wrong signature was accepted',
    );
    expect(payment.detail).toMatch(
      /^X-Spay-Signature: does not match HMAC-SHA256\(test_secret or app_secret, /,
    );
  });

  it('refuses a nonce used again up to the last moment its timestamp is accepted', async () => {
    const nonce = randomBytes(20).toString('hex');
    await expect(authenticate(signedRequest({ nonce }))).resolves.toBe(secrets);
    expect(await refusal(signedRequest({ nonce }), NOW + WINDOW)).toBe(
      'X-Spay-Nonce: was already used inside the timestamp window (a replayed request): send every request with a new nonce',
    );
  });

  it('keeps nonces and legacy signs apart, even when a nonce is spelled like a legacy fingerprint', async () => {
    const guard = gateway.ctx.store.seenSignatures;
    const appSign = restAppSign(secrets.appId, NOW, secrets.masterSecret);
    const legacy = { app_id: secrets.appId, timestamp: NOW, app_sign: appSign.toUpperCase() };
    await claimLegacySign(guard, secrets.appId, legacy, WINDOW, NOW);
    const fingerprint = createHash('sha256').update(`${NOW}:${appSign}`).digest('hex');
    await expect(authenticate(signedRequest({ nonce: fingerprint }))).resolves.toBe(secrets);
    // The same legacy sign in lower case is the same use, refused up to the window's last moment.
    const again = { app_id: secrets.appId, timestamp: NOW, app_sign: appSign };
    const error = await asyncRefusalOf(
      () => claimLegacySign(guard, secrets.appId, again, WINDOW, NOW + WINDOW),
      'the replayed legacy sign was accepted',
    );
    expect(error.detail).toMatch(/^app_sign: was already used with this timestamp/);
    // Another sign (another timestamp) is another use: accepted.
    const otherSign = restAppSign(secrets.appId, NOW + 1, secrets.masterSecret);
    await expect(
      claimLegacySign(
        guard,
        secrets.appId,
        { app_id: secrets.appId, timestamp: NOW + 1, app_sign: otherSign },
        WINDOW,
        NOW,
      ),
    ).resolves.toBeUndefined();
    // A negative timestamp is refused as a parameter by the route's schema, before any claim.
    const negative = { app_id: secrets.appId, timestamp: -1, app_sign: appSign };
    const invalid = await asyncRefusalOf(
      async () => checkWithSchema(Type.Object(signatureFields), negative),
      'a negative timestamp was accepted',
    );
    expect(invalid.detail).toBe('timestamp: must be an integer >= 0');
  });
});
