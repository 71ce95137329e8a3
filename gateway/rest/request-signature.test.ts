/**
 * Issue 21 item 6: a captured legacy app_sign (md5 of app_id + timestamp + secret) authorised any request for the
 * whole timestamp window. (a) The v2 request signature covers method, path, timestamp, a nonce and the body, and a
 * nonce is accepted once; an app can require it. (b) A legacy (timestamp, app_sign) is accepted once on the
 * endpoints that move money out; concurrent legacy pay requests sharing one are all served.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpayClient } from '../../sdk/client.ts';
import { restAppSign, restRequestSignature } from '../../sdk/sign.ts';
import type { SeedApp } from '../apps/app.ts';
import { startTestGateway, testApp, type TestGateway } from '../testing/gateway-harness.ts';
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
      payload: { ids: ['x'], agree: true },
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
