/**
 * GET /2/rest/sandbox/notify/{appId}/{billId} over real HTTP, in both forms BeeCloud accepted: signed with the
 * test secret, and unsigned as BeeCloud's Android, iOS and Java SDKs call it in test mode (no `para`, `para=`
 * or `para={}`). The unsigned form pays test bills only, of the app in the path; a wrong signature is never
 * treated as "unsigned".
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restRequestSignature } from '../../sdk/sign.ts';
import { billStatus, startTestGateway, testApp, type TestGateway } from '../testing/gateway-harness.ts';
import { moneySnapshot, newBillNo, rest } from './testing/rest-caller.ts';

let gateway: TestGateway;
/** An app of the same gateway that requires the v2 request signature. */
const strictApp = testApp({ requestSign: 'v2_required' });

beforeAll(async () => {
  gateway = await startTestGateway({ seedApps: [strictApp] });
});
afterAll(async () => {
  await gateway.close();
});

const billFields = (channel: string) => ({
  channel,
  bill_no: newBillNo(),
  total_fee: 1,
  title: '测试',
  return_url: 'https://shop.example/r',
});

async function testBill(channel = 'WX_NATIVE'): Promise<string> {
  const made = await rest(gateway, {
    method: 'POST',
    path: 'rest/sandbox/bill',
    payload: billFields(channel),
  });
  expect(made.json.result_code, made.text).toBe(0);
  return String(made.json.id);
}

/** A test bill of the strict app, made with the v2 request signature it requires. */
async function strictBill(): Promise<string> {
  const body = JSON.stringify({ app_id: strictApp.appId, ...billFields('WX_NATIVE') });
  const timestamp = Date.now();
  const nonce = randomBytes(16).toString('hex');
  const pathAndQuery = '/2/rest/sandbox/bill';
  const signature = restRequestSignature(
    { method: 'POST', pathAndQuery, appId: strictApp.appId, timestamp, nonce, body },
    strictApp.testSecret,
  );
  const response = await fetch(`${gateway.url}${pathAndQuery}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-spay-timestamp': String(timestamp),
      'x-spay-nonce': nonce,
      'x-spay-signature': signature,
    },
    body,
  });
  const made = (await response.json()) as Record<string, unknown>;
  expect(made.result_code, JSON.stringify(made)).toBe(0);
  return String(made.id);
}

async function getJson(url: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const notifyUrl = (appId: string, billId: string, query = '') =>
  `${gateway.url}/2/rest/sandbox/notify/${appId}/${billId}${query}`;

describe('the unsigned form (BeeCloud app SDKs)', () => {
  it.each([
    ['no query (Android, iOS)', ''],
    ['an empty para (the Java SDK)', '?para='],
    ['para={}', '?para=%7B%7D'],
  ])('pays a test bill with %s, once', async (_name, query) => {
    const id = await testBill();
    const first = await getJson(notifyUrl(gateway.app.appId, id, query));
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ result_code: 0, id, outcome: 'paid' });
    expect(first.json.pay).toMatchObject({ id, spay_result: true, channel: 'WX', sub_channel: 'WX_NATIVE' });
    expect(await billStatus(gateway, id)).toMatchObject({ status: 'paid', spay_result: true });
    const again = await getJson(notifyUrl(gateway.app.appId, id, query));
    expect(again.json).toMatchObject({ result_code: 0, outcome: 'already_paid' });
  });

  it('pays a redirect channel bill too', async () => {
    const id = await testBill('ALI_WEB');
    const paid = await getJson(notifyUrl(gateway.app.appId, id));
    expect(paid.json).toMatchObject({ result_code: 0, outcome: 'paid' });
  });
});

describe('refusals name their field and change nothing', () => {
  it.each([
    {
      name: 'unknown app in the path',
      url: () => notifyUrl('no-such-app', 'x'),
      code: 1,
      field: 'appId',
    },
    {
      name: 'a bill of another app',
      url: async () => notifyUrl(gateway.app.appId, await strictBill()),
      code: 8,
      field: 'billId',
    },
    {
      name: 'no such bill',
      url: () => notifyUrl(gateway.app.appId, '3f1b2c4d-0000-4000-8000-000000000000'),
      code: 8,
      field: 'billId',
    },
    {
      name: 'a wrong app_sign is checked, not taken for the unsigned form',
      url: async () => {
        const para = JSON.stringify({
          app_id: gateway.app.appId,
          timestamp: Date.now(),
          app_sign: '0'.repeat(32),
        });
        return notifyUrl(gateway.app.appId, await testBill(), `?para=${encodeURIComponent(para)}`);
      },
      code: 1,
      field: 'app_sign',
    },
    {
      name: 'a para with only some credentials',
      url: async () =>
        notifyUrl(gateway.app.appId, await testBill(), `?para=${encodeURIComponent('{"app_id":"x"}')}`),
      code: 4,
      field: 'timestamp',
    },
    {
      name: 'other query parameters are a signed request without its fields',
      url: async () => notifyUrl(gateway.app.appId, await testBill(), '?foo=1'),
      code: 4,
      field: 'app_id',
    },
    {
      name: 'an app that requires the v2 request signature',
      url: async () => notifyUrl(strictApp.appId, await strictBill()),
      code: 1,
      field: 'X-Spay-Signature',
    },
  ])('$name', async ({ url, code, field }) => {
    const target = await url();
    const before = moneySnapshot(gateway);
    const answer = await getJson(target);
    expect(answer.json.result_code, JSON.stringify(answer.json)).toBe(code);
    expect(String(answer.json.err_detail)).toMatch(new RegExp(`^${field}: `));
    expect(moneySnapshot(gateway)).toBe(before);
  });
});

describe('the signed form still works', () => {
  it('pays with the test secret', async () => {
    const id = await testBill();
    const paid = await rest(gateway, {
      method: 'GET',
      path: `rest/sandbox/notify/${gateway.app.appId}/${id}`,
    });
    expect(paid.json).toMatchObject({ result_code: 0, outcome: 'paid' });
  });
});
