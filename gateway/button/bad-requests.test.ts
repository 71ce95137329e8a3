/**
 * A table of bad requests to the button, status, sandbox and notify endpoints. Every one gets the right BeeCloud
 * result code with err_detail naming the field, never a 500, and none of them creates or changes a bill.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moneySnapshot } from '../rest/testing/rest-caller.ts';
import {
  createBill,
  signedOrder,
  startTestGateway,
  testApp,
  type TestGateway,
} from '../testing/gateway-harness.ts';

let gateway: TestGateway;
const liveApp = testApp({ mode: 'live' });
const onlyAliApp = testApp({ channels: ['ali'] });

beforeAll(async () => {
  gateway = await startTestGateway({ seedApps: [liveApp, onlyAliApp] });
});

afterAll(async () => {
  await gateway?.close();
});

interface BadRequest {
  name: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  rawBody?: string;
  contentType?: string;
  status: number;
  code: number;
  field: string;
}

/** The order signed for app `app`, then changed by `change` (the sign stays as computed before the change). */
function order(change: Record<string, unknown> = {}, app = () => gateway.app): () => Record<string, unknown> {
  return () => ({ ...signedOrder(app()), ...change });
}

const jsbutton = '/2/rest/jsbutton/ALI_WEB';
const badRequests: Array<Omit<BadRequest, 'body'> & { body?: unknown | (() => unknown) }> = [
  // Channel
  {
    name: 'unknown channel',
    path: '/2/rest/jsbutton/PAYPAL',
    body: order(),
    status: 200,
    code: 3,
    field: 'channel',
  },
  {
    name: 'channel not enabled (PAY_FACTOR_NOT_SET, as BeeCloud)',
    path: '/2/rest/jsbutton/WX_WAP',
    body: order(),
    status: 200,
    code: 2,
    field: 'channel',
  },
  {
    name: 'channel not in this app’s menu (PAY_FACTOR_NOT_SET)',
    path: '/2/rest/jsbutton/UN_WEB',
    body: order({}, () => onlyAliApp),
    status: 200,
    code: 2,
    field: 'channel',
  },
  {
    name: 'live app without channel credentials',
    path: jsbutton,
    body: order({}, () => liveApp),
    status: 200,
    code: 2,
    field: 'channel',
  },
  // Body shape
  {
    name: 'bad JSON',
    path: jsbutton,
    rawBody: '{"appId":',
    contentType: 'application/json',
    status: 400,
    code: 5,
    field: 'body',
  },
  {
    name: 'empty JSON body',
    path: jsbutton,
    rawBody: '',
    contentType: 'application/json',
    status: 400,
    code: 5,
    field: 'body',
  },
  { name: 'JSON array', path: jsbutton, body: [1, 2], status: 200, code: 5, field: 'body' },
  { name: 'JSON string', path: jsbutton, body: 'hello', status: 200, code: 5, field: 'body' },
  {
    name: 'JSON null',
    path: jsbutton,
    rawBody: 'null',
    contentType: 'application/json',
    status: 200,
    code: 5,
    field: 'body',
  },
  {
    name: 'bad JSON as text/plain',
    path: jsbutton,
    rawBody: 'not json',
    contentType: 'text/plain',
    status: 200,
    code: 5,
    field: 'body',
  },
  {
    name: 'unsupported content type',
    path: jsbutton,
    rawBody: '<xml/>',
    contentType: 'application/xml',
    status: 415,
    code: 5,
    field: 'content-type',
  },
  {
    name: 'body larger than 64 KB',
    path: jsbutton,
    rawBody: JSON.stringify({ pad: 'x'.repeat(70_000) }),
    contentType: 'application/json',
    status: 413,
    code: 5,
    field: 'body',
  },
  // appId
  {
    name: 'missing appId',
    path: jsbutton,
    body: order({ appId: undefined }),
    status: 200,
    code: 4,
    field: 'appId',
  },
  {
    name: 'appId a number',
    path: jsbutton,
    body: order({ appId: 42 }),
    status: 200,
    code: 5,
    field: 'appId',
  },
  {
    name: 'unknown appId',
    path: jsbutton,
    body: order({ appId: 'nobody' }),
    status: 200,
    code: 1,
    field: 'appId',
  },
  // out_trade_no
  {
    name: 'missing out_trade_no',
    path: jsbutton,
    body: order({ out_trade_no: undefined }),
    status: 200,
    code: 4,
    field: 'out_trade_no',
  },
  {
    name: 'out_trade_no too short',
    path: jsbutton,
    body: order({ out_trade_no: 'abc1234' }),
    status: 200,
    code: 5,
    field: 'out_trade_no',
  },
  {
    name: 'out_trade_no too long',
    path: jsbutton,
    body: order({ out_trade_no: 'a'.repeat(33) }),
    status: 200,
    code: 5,
    field: 'out_trade_no',
  },
  {
    name: 'out_trade_no with a dash',
    path: jsbutton,
    body: order({ out_trade_no: 'order-12345' }),
    status: 200,
    code: 5,
    field: 'out_trade_no',
  },
  {
    name: 'out_trade_no with CJK',
    path: jsbutton,
    body: order({ out_trade_no: '订单12345678' }),
    status: 200,
    code: 5,
    field: 'out_trade_no',
  },
  {
    name: 'out_trade_no a number',
    path: jsbutton,
    body: order({ out_trade_no: 123456789 }),
    status: 200,
    code: 5,
    field: 'out_trade_no',
  },
  // title
  {
    name: 'missing title',
    path: jsbutton,
    body: order({ title: undefined }),
    status: 200,
    code: 4,
    field: 'title',
  },
  { name: 'empty title', path: jsbutton, body: order({ title: '' }), status: 200, code: 4, field: 'title' },
  {
    name: 'title an object',
    path: jsbutton,
    body: order({ title: { a: 1 } }),
    status: 200,
    code: 5,
    field: 'title',
  },
  {
    name: 'title of 33 characters',
    path: jsbutton,
    body: order({ title: 'x'.repeat(33) }),
    status: 200,
    code: 5,
    field: 'title',
  },
  {
    name: 'title of 17 Chinese characters',
    path: jsbutton,
    body: order({ title: '商'.repeat(17) }),
    status: 200,
    code: 5,
    field: 'title',
  },
  {
    name: 'title with a newline',
    path: jsbutton,
    body: order({ title: 'a\nb' }),
    status: 200,
    code: 5,
    field: 'title',
  },
  // amount
  {
    name: 'missing amount',
    path: jsbutton,
    body: order({ amount: undefined }),
    status: 200,
    code: 4,
    field: 'amount',
  },
  { name: 'amount zero', path: jsbutton, body: order({ amount: 0 }), status: 200, code: 5, field: 'amount' },
  {
    name: 'amount negative',
    path: jsbutton,
    body: order({ amount: -5 }),
    status: 200,
    code: 5,
    field: 'amount',
  },
  {
    name: 'amount in yuan (1.5)',
    path: jsbutton,
    body: order({ amount: 1.5 }),
    status: 200,
    code: 5,
    field: 'amount',
  },
  {
    name: 'amount "1.00"',
    path: jsbutton,
    body: order({ amount: '1.00' }),
    status: 200,
    code: 5,
    field: 'amount',
  },
  {
    name: 'amount above 2^31-1',
    path: jsbutton,
    body: order({ amount: 2 ** 31 }),
    status: 200,
    code: 5,
    field: 'amount',
  },
  {
    name: 'amount true',
    path: jsbutton,
    body: order({ amount: true }),
    status: 200,
    code: 5,
    field: 'amount',
  },
  {
    name: 'amount 1e3 signed as such',
    path: jsbutton,
    body: order({ amount: '1e3' }),
    status: 200,
    code: 5,
    field: 'amount',
  },
  // sign
  {
    name: 'missing sign',
    path: jsbutton,
    body: order({ sign: undefined }),
    status: 200,
    code: 4,
    field: 'sign',
  },
  {
    name: 'sign not hex',
    path: jsbutton,
    body: order({ sign: 'z'.repeat(32) }),
    status: 200,
    code: 5,
    field: 'sign',
  },
  {
    name: 'sign too short',
    path: jsbutton,
    body: order({ sign: 'abc' }),
    status: 200,
    code: 5,
    field: 'sign',
  },
  {
    name: 'sign of another order',
    path: jsbutton,
    body: order({ amount: 2 }),
    status: 200,
    code: 1,
    field: 'sign',
  },
  {
    name: 'sign with the wrong secret',
    path: jsbutton,
    body: order({ title: '别的标题' }),
    status: 200,
    code: 1,
    field: 'sign',
  },
  // return_url
  {
    name: 'return_url ftp',
    path: jsbutton,
    body: order({ return_url: 'ftp://shop.example/x' }),
    status: 200,
    code: 5,
    field: 'return_url',
  },
  {
    name: 'return_url javascript:',
    path: jsbutton,
    body: order({ return_url: 'javascript:alert(1)' }),
    status: 200,
    code: 5,
    field: 'return_url',
  },
  {
    name: 'return_url with a query',
    path: jsbutton,
    body: order({ return_url: 'https://shop.example/r?a=1' }),
    status: 200,
    code: 5,
    field: 'return_url',
  },
  {
    name: 'return_url with a fragment',
    path: jsbutton,
    body: order({ return_url: 'https://shop.example/r#x' }),
    status: 200,
    code: 5,
    field: 'return_url',
  },
  {
    name: 'return_url a number',
    path: jsbutton,
    body: order({ return_url: 7 }),
    status: 200,
    code: 5,
    field: 'return_url',
  },
  {
    name: 'return_url relative',
    path: jsbutton,
    body: order({ return_url: '/paid' }),
    status: 200,
    code: 5,
    field: 'return_url',
  },
  // optional
  {
    name: 'optional nested',
    path: jsbutton,
    body: order({ optional: { a: { b: 1 } } }),
    status: 200,
    code: 5,
    field: 'optional',
  },
  {
    name: 'optional an array',
    path: jsbutton,
    body: order({ optional: [1] }),
    status: 200,
    code: 5,
    field: 'optional',
  },
  {
    name: 'optional a string',
    path: jsbutton,
    body: order({ optional: 'x' }),
    status: 200,
    code: 5,
    field: 'optional',
  },
  {
    name: 'optional too big',
    path: jsbutton,
    body: order({ optional: { big: 'x'.repeat(5000) } }),
    status: 200,
    code: 5,
    field: 'optional',
  },
  // openid / bill_timeout
  {
    name: 'WX_JSAPI without openid',
    path: '/2/rest/jsbutton/WX_JSAPI',
    body: order(),
    status: 200,
    code: 4,
    field: 'openid',
  },
  {
    name: 'WX_JSAPI openid with markup',
    path: '/2/rest/jsbutton/WX_JSAPI',
    body: order({ openid: '<x>' }),
    status: 200,
    code: 5,
    field: 'openid',
  },
  {
    name: 'bill_timeout zero',
    path: '/2/rest/jsbutton/WX_NATIVE',
    body: order({ bill_timeout: 0 }),
    status: 200,
    code: 5,
    field: 'bill_timeout',
  },
  {
    // A string of digits is the number (BeeCloud's v4 script sends every value as a string); other text is not.
    name: 'bill_timeout a string that is not a number',
    path: '/2/rest/jsbutton/WX_NATIVE',
    body: order({ bill_timeout: '60s' }),
    status: 200,
    code: 5,
    field: 'bill_timeout',
  },
  // JSONP form
  {
    name: 'JSONP without para',
    method: 'GET',
    path: '/2/rest/jsbutton/ALI_WEB',
    status: 200,
    code: 4,
    field: 'para',
  },
  {
    name: 'JSONP para not JSON',
    method: 'GET',
    path: '/2/rest/jsbutton/ALI_WEB?para=%7Bnope',
    status: 200,
    code: 5,
    field: 'para',
  },
  {
    name: 'JSONP para twice',
    method: 'GET',
    path: '/2/rest/jsbutton/ALI_WEB?para=1&para=2',
    status: 200,
    code: 5,
    field: 'para',
  },
  {
    name: 'JSONP callback with code',
    method: 'GET',
    path: '/2/rest/jsbutton/ALI_WEB?para=%7B%7D&callback=alert(1)',
    status: 200,
    code: 5,
    field: 'callback',
  },
  {
    name: 'JSONP callback too long',
    method: 'GET',
    path: `/2/rest/jsbutton/ALI_WEB?para=%7B%7D&callback=${'a'.repeat(70)}`,
    status: 200,
    code: 5,
    field: 'callback',
  },
  // Status and pages
  {
    name: 'status of an unknown bill',
    method: 'GET',
    path: '/2/rest/bill_public/00000000-0000-4000-8000-000000000000',
    status: 404,
    code: 8,
    field: 'id',
  },
  {
    name: 'status of a malformed id',
    method: 'GET',
    path: '/2/rest/bill_public/..%2F..%2Fetc',
    status: 404,
    code: 8,
    field: 'id',
  },
  {
    name: 'asset outside the build',
    method: 'GET',
    path: '/1/pay/jsbutton/assets/..%2F..%2Fpackage.json',
    status: 404,
    code: 5,
    field: 'file',
  },
  {
    name: 'asset of an unknown type',
    method: 'GET',
    path: '/1/pay/jsbutton/assets/gateway.sqlite',
    status: 404,
    code: 5,
    field: 'file',
  },
  {
    name: 'JSAPI completion of an unknown bill',
    path: '/sandbox/wx/jsapi/00000000-0000-4000-8000-000000000000/complete',
    body: {},
    status: 404,
    code: 8,
    field: 'id',
  },
  {
    name: 'OAuth without redirect_uri',
    method: 'GET',
    path: '/sandbox/wx/oauth?state=1',
    status: 200,
    code: 4,
    field: 'redirect_uri',
  },
  {
    name: 'OAuth to a data: URL',
    method: 'GET',
    path: '/sandbox/wx/oauth?redirect_uri=data:text/html,x',
    status: 200,
    code: 5,
    field: 'redirect_uri',
  },
  // Channel notifies
  {
    name: 'notify for an unknown channel family',
    path: '/notify/paypal/some-app',
    rawBody: '{}',
    contentType: 'application/json',
    status: 404,
    code: 3,
    field: 'family',
  },
  {
    name: 'notify for a family spelled in capitals (or not registered)',
    path: '/notify/ALI/no-such-app',
    rawBody: '{}',
    contentType: 'application/json',
    status: 404,
    code: 3,
    field: 'family',
  },
  // Unknown endpoints and methods
  { name: 'unknown path', method: 'GET', path: '/2/rest/nothing-here', status: 404, code: 5, field: 'path' },
  {
    name: 'wrong method on the script',
    method: 'DELETE',
    path: '/1/pay/jsbutton/returnscripts?appId=x',
    status: 404,
    code: 5,
    field: 'path',
  },
];

describe('bad requests', () => {
  const cases = badRequests;

  it.each(cases)('$name → result_code $code naming $field, and changes nothing', async (entry) => {
    const before = moneySnapshot(gateway);
    const body = typeof entry.body === 'function' ? (entry.body as () => unknown)() : entry.body;
    const method = entry.method ?? 'POST';
    const response = await fetch(`${gateway.url}${entry.path}`, {
      method,
      headers:
        method === 'GET' || method === 'DELETE'
          ? {}
          : { 'content-type': entry.contentType ?? 'application/json' },
      body: method === 'GET' || method === 'DELETE' ? undefined : (entry.rawBody ?? JSON.stringify(body)),
    });
    const text = await response.text();
    expect(response.status, text).toBe(entry.status);
    const answer = JSON.parse(text) as Record<string, unknown>;
    expect(answer.result_code, text).toBe(entry.code);
    expect(answer.resultCode).toBe(entry.code);
    expect(typeof answer.result_msg).toBe('string');
    expect(String(answer.err_detail).startsWith(`${entry.field}: `), text).toBe(true);
    expect(moneySnapshot(gateway)).toBe(before);
  });

  it('sees a bill and an order that a good request creates (the "changes nothing" check can fail)', async () => {
    const before = moneySnapshot(gateway);
    const created = await createBill(gateway, 'ALI_WEB');
    const db = new Database(join(gateway.dataDir, 'gateway.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM bills WHERE id = ?').get(created.id)).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    expect(moneySnapshot(gateway)).not.toBe(before);
  });

  it('a sandbox notify without its signature gets the channel’s failure answer and changes nothing', async () => {
    const response = await fetch(`${gateway.url}/notify/sandbox`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"bill_id":"x","out_trade_no":"x","result":"SUCCESS"}',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('fail');
  });

  it('a JSONP error comes back through the callback', async () => {
    const response = await fetch(`${gateway.url}/2/rest/jsbutton/ALI_WEB?para=%7B%7D&callback=cb`);
    const text = await response.text();
    expect(text).toMatch(/^\/\*\*\/cb\(\{.*"result_code":4.*\}\);$/);
  });
});
