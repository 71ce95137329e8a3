/**
 * BeeCloud's own button script (v4) against the gateway, over real HTTP, byte for byte as it calls: the order's
 * `para` built by hand with every value as a string, the JSONP `callback` inside `para`, the whole URL passed
 * through `encodeURI` (so `&`, `+` and `=` in a title arrive raw); the answer read from `url`, `method`, `param`
 * (redirect) or `url` (the QR text); the status polled at `GET /2/rest/bill_public/{id}?para={"app_id":…,
 * "callback":"queryFun"}`. Bad requests answer through the callback, naming their field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonOrderSign } from '../../sdk/sign.ts';
import { rest } from '../rest/testing/rest-caller.ts';
import {
  newOrderNo,
  pressSandboxButton,
  startTestGateway,
  type TestGateway,
} from '../testing/gateway-harness.ts';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(async () => {
  await gateway.close();
});

interface V4Order {
  title: string;
  amount: number;
  out_trade_no: string;
  return_url?: string;
  bill_timeout?: number;
  optional?: Record<string, string>;
}

/** The v4 script's hand-built para: `"key":"value"` pairs, every value a string, the callback among them. */
function v4Para(fields: Record<string, string>): string {
  return `{${Object.entries(fields)
    .map(([key, value]) => `"${key}":"${value}"`)
    .join(',')}}`;
}

function v4OrderUrl(
  channel: string,
  order: V4Order,
  callback: string,
  overrides: Record<string, string> = {},
) {
  const appId = gateway.app.appId;
  const fields: Record<string, string> = {
    appId,
    title: order.title,
    amount: String(order.amount),
    out_trade_no: order.out_trade_no,
    sign: buttonOrderSign(appId, order.title, order.amount, order.out_trade_no, gateway.app.appSecret),
    return_url: order.return_url ?? '',
    type: 'web',
    callback,
    ...(order.bill_timeout === undefined ? {} : { bill_timeout: String(order.bill_timeout) }),
    ...overrides,
  };
  let para = v4Para(fields);
  if (order.optional)
    para = `${para.slice(0, -1)},"optional":"${JSON.stringify(order.optional).replaceAll('"', '\\"')}"}`;
  return encodeURI(`${gateway.url}/2/rest/jsbutton/${channel}?para=${para}`);
}

/** Runs a JSONP answer the way the page's script tag would: checks the wrapper and returns the argument. */
async function jsonp(url: string, callback: string): Promise<Record<string, unknown>> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/javascript/);
  const text = await response.text();
  const match = new RegExp(`^/\\*\\*/${callback.replaceAll('.', '\\.')}\\((.*)\\);$`, 's').exec(text);
  expect(match, text).not.toBeNull();
  return JSON.parse(match![1]!) as Record<string, unknown>;
}

const pollUrl = (id: string, appId = gateway.app.appId) =>
  encodeURI(`${gateway.url}/2/rest/bill_public/${id}?para={"app_id":"${appId}","callback":"queryFun"}`);

describe('the order call', () => {
  it('ALI_WEB: answers through the callback in para with url, method and param, even with & and + in the title', async () => {
    const order = {
      title: 'C++ & 茶=1',
      amount: 1,
      out_trade_no: newOrderNo(),
      return_url: 'http://127.0.0.1:9/done',
    };
    const answer = await jsonp(v4OrderUrl('ALI_WEB', order, 'BCPayCallback1'), 'BCPayCallback1');
    expect(answer).toMatchObject({ resultCode: 0, result_code: 0, method: 'GET', param: {} });
    expect(answer.url).toBe(`${gateway.url}/sandbox/cashier/${String(answer.id)}`);
    const status = await jsonp(pollUrl(String(answer.id)), 'queryFun');
    expect(status.pay).toMatchObject({ title: 'C++ & 茶=1', total_fee: 1, spay_result: false });
  });

  it('WX_NATIVE: url is the QR text; strings for bill_timeout and optional are read as BeeCloud sent them', async () => {
    const order = {
      title: '扫码',
      amount: 2,
      out_trade_no: newOrderNo(),
      bill_timeout: 300,
      optional: { k: 'v' },
    };
    const answer = await jsonp(v4OrderUrl('WX_NATIVE', order, 'cb2'), 'cb2');
    expect(answer).toMatchObject({ resultCode: 0, action: 'qr' });
    expect(answer.url).toBe(`${gateway.url}/sandbox/wx/scan/${String(answer.id)}`);
    expect(answer.url).toBe(answer.code_url);
    // bill_timeout "300" was read as 300 s: the attempt expires five minutes after it was made.
    const expiresAt = Number(answer.expires_at);
    expect(expiresAt).toBeGreaterThan(Date.now() + 290_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 300_000);
    const record = await rest(gateway, { method: 'GET', path: `rest/bill/${String(answer.id)}` });
    expect(JSON.parse(String((record.json.pay as Record<string, unknown>).optional))).toEqual({ k: 'v' });
  });
});

describe('the status poll', () => {
  it('sees the bill paid', async () => {
    const order = { title: '轮询', amount: 3, out_trade_no: newOrderNo() };
    const answer = await jsonp(v4OrderUrl('WX_NATIVE', order, 'cb3'), 'cb3');
    const id = String(answer.id);
    expect((await jsonp(pollUrl(id), 'queryFun')).pay).toMatchObject({ spay_result: false, status: 'open' });
    const paid = await pressSandboxButton(`${gateway.url}/sandbox/wx/scan/${id}/pay`);
    expect(paid.status).toBeLessThan(400);
    const status = await jsonp(pollUrl(id), 'queryFun');
    expect(status).toMatchObject({ resultCode: 0, result_code: 0 });
    expect(status.pay).toMatchObject({ id, spay_result: true, status: 'paid', total_fee: 3 });
  });

  it('keeps the plain JSON answer without a callback', async () => {
    const answer = await jsonp(
      v4OrderUrl('WX_NATIVE', { title: 't', amount: 1, out_trade_no: newOrderNo() }, 'c'),
      'c',
    );
    const response = await fetch(`${gateway.url}/2/rest/bill_public/${String(answer.id)}`);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await response.json()) as Record<string, unknown>).pay).toMatchObject({ spay_result: false });
  });
});

describe('bad requests answer through the callback, naming the field', () => {
  it.each([
    {
      name: 'amount that is not a number',
      url: () =>
        v4OrderUrl('ALI_WEB', { title: 't', amount: 1, out_trade_no: newOrderNo() }, 'bad1', {
          amount: 'abc',
        }),
      callback: 'bad1',
      code: 5,
      field: 'amount',
    },
    {
      name: 'a wrong sign',
      url: () =>
        v4OrderUrl('ALI_WEB', { title: 't', amount: 1, out_trade_no: newOrderNo() }, 'bad2', {
          sign: '0'.repeat(32),
        }),
      callback: 'bad2',
      code: 1,
      field: 'sign',
    },
    {
      name: 'bill_timeout text',
      url: () =>
        v4OrderUrl('ALI_WEB', { title: 't', amount: 1, out_trade_no: newOrderNo() }, 'bad3', {
          bill_timeout: '5m',
        }),
      callback: 'bad3',
      code: 5,
      field: 'bill_timeout',
    },
    {
      name: 'an unknown channel',
      url: () => v4OrderUrl('JD_WEB', { title: 't', amount: 1, out_trade_no: newOrderNo() }, 'bad4'),
      callback: 'bad4',
      code: 3,
      field: 'channel',
    },
    {
      name: 'poll: another app’s id',
      url: async () => {
        const made = await jsonp(
          v4OrderUrl('WX_NATIVE', { title: 't', amount: 1, out_trade_no: newOrderNo() }, 'c'),
          'c',
        );
        return pollUrl(String(made.id), 'another-app');
      },
      callback: 'queryFun',
      code: 8,
      field: 'id',
    },
    {
      name: 'poll: not a bill id',
      url: () => pollUrl('nope'),
      callback: 'queryFun',
      code: 8,
      field: 'id',
    },
    {
      name: 'poll: app_id not a string',
      url: () =>
        encodeURI(
          `${gateway.url}/2/rest/bill_public/3f1b2c4d-0000-4000-8000-000000000000?para={"app_id":7}&callback=queryFun`,
        ),
      callback: 'queryFun',
      code: 5,
      field: 'app_id',
    },
  ])('$name', async ({ url, callback, code, field }) => {
    const answer = await jsonp(await url(), callback);
    expect(answer.result_code, JSON.stringify(answer)).toBe(code);
    expect(String(answer.err_detail)).toMatch(new RegExp(`^${field}: `));
  });

  it('never echoes a callback that is not an identifier (plain JSON instead)', async () => {
    for (const url of [
      v4OrderUrl('ALI_WEB', { title: 't', amount: 1, out_trade_no: newOrderNo() }, 'alert(1)//'),
      encodeURI(
        `${gateway.url}/2/rest/bill_public/3f1b2c4d-0000-4000-8000-000000000000?para={"callback":"x;alert(1)"}`,
      ),
    ]) {
      const response = await fetch(url);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const answer = (await response.json()) as Record<string, unknown>;
      expect(answer.result_code).toBe(5);
      expect(String(answer.err_detail)).toMatch(/^callback: /);
    }
  });
});
