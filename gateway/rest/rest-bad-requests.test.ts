/**
 * A table of bad requests across the REST API, over real HTTP against a real gateway. Each must get the exact
 * BeeCloud result_code, an err_detail that starts with the field at fault, never a 500, and must leave every
 * order, bill, refund and webhook exactly as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultName } from '../errors/result-codes.ts';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { moneySnapshot, newBillNo, newRefundNo, rest, type RestCall } from './testing/rest-caller.ts';

let gateway: TestGateway;
const paidBillNo = newBillNo();
const unpaidBillNo = newBillNo();
const refundedNo = newRefundNo();
const preRefundNo = newRefundNo();
let paidBillId = '';

beforeAll(async () => {
  gateway = await startTestGateway();
  const made = await rest(gateway, {
    method: 'POST',
    path: 'rest/bill',
    payload: { channel: 'WX_NATIVE', total_fee: 100, bill_no: paidBillNo, title: '已付' },
  });
  paidBillId = String(made.json.id);
  await rest(gateway, { method: 'GET', path: `rest/sandbox/notify/${gateway.app.appId}/${paidBillId}` });
  await rest(gateway, {
    method: 'POST',
    path: 'rest/bill',
    payload: { channel: 'WX_NATIVE', total_fee: 100, bill_no: unpaidBillNo, title: '未付' },
  });
  const refunds = [
    { refund_no: refundedNo, bill_no: paidBillNo, refund_fee: 10 },
    { refund_no: preRefundNo, bill_no: paidBillNo, refund_fee: 10, need_approval: true },
  ];
  for (const payload of refunds) {
    const answer = await rest(gateway, {
      method: 'POST',
      path: 'rest/refund',
      secret: 'masterSecret',
      payload,
    });
    expect(answer.json.result_code).toBe(0);
  }
});

afterAll(async () => gateway.close());

interface BadRequest {
  name: string;
  call: () => RestCall;
  code: number;
  field: string;
  /** HTTP status when not 200 (transport-level problems). */
  status?: number;
}

const pay = { channel: 'WX_NATIVE', total_fee: 100, bill_no: 'badreq00000001', title: 'bad' };
const payCall = (payload: Record<string, unknown>, extra: Partial<RestCall> = {}): RestCall => ({
  method: 'POST',
  path: 'rest/bill',
  payload,
  ...extra,
});
const getCall = (
  path: string,
  payload: Record<string, unknown> = {},
  extra: Partial<RestCall> = {},
): RestCall => ({
  method: 'GET',
  path,
  payload,
  ...extra,
});
const refundBody = () => ({ refund_no: newRefundNo(), bill_no: paidBillNo, refund_fee: 1 });
const refundCall = (payload: Record<string, unknown>, extra: Partial<RestCall> = {}): RestCall => ({
  method: 'POST',
  path: 'rest/refund',
  secret: 'masterSecret',
  payload,
  ...extra,
});
const approvalCall = (payload: Record<string, unknown>, extra: Partial<RestCall> = {}): RestCall => ({
  method: 'PUT',
  path: 'rest/refund',
  secret: 'masterSecret',
  payload,
  ...extra,
});
const signature = () => ({ app_id: gateway.app.appId, timestamp: Date.now(), app_sign: '0'.repeat(32) });

const badRequests: BadRequest[] = [
  // Transport: JSON, size, content type, path.
  {
    name: 'pay: body is not JSON',
    call: () => payCall(pay, { rawBody: '{"channel":' }),
    code: 5,
    field: 'body',
    status: 400,
  },
  {
    name: 'pay: body is a JSON array',
    call: () => payCall(pay, { rawBody: '[1,2]' }),
    code: 5,
    field: 'body',
    status: 400,
  },
  {
    name: 'pay: empty JSON body',
    call: () => payCall(pay, { rawBody: '' }),
    code: 5,
    field: 'body',
    status: 400,
  },
  {
    name: 'pay: body over 64 KB',
    call: () => payCall({ ...pay, title: 'x'.repeat(70_000) }),
    code: 5,
    field: 'body',
    status: 413,
  },
  {
    name: 'pay: XML content type',
    call: () => payCall(pay, { contentType: 'application/xml', rawBody: '<bill/>' }),
    code: 5,
    field: 'content-type',
    status: 415,
  },
  {
    name: 'refund approval: body is not JSON',
    call: () => approvalCall({}, { rawBody: 'ids=1' }),
    code: 5,
    field: 'body',
    status: 400,
  },
  { name: 'unknown endpoint', call: () => getCall('rest/nothing'), code: 5, field: 'path', status: 404 },
  // Authentication.
  {
    name: 'pay: no app_id',
    call: () => payCall({ ...pay, timestamp: Date.now(), app_sign: '0'.repeat(32) }, { unsigned: true }),
    code: 4,
    field: 'app_id',
  },
  {
    name: 'pay: app_id is a number',
    call: () => payCall({ ...pay, ...signature(), app_id: 42 }, { unsigned: true }),
    code: 5,
    field: 'app_id',
  },
  {
    name: 'pay: unknown app',
    call: () => payCall({ ...pay, ...signature(), app_id: 'no-such-app' }, { unsigned: true }),
    code: 1,
    field: 'app_id',
  },
  {
    name: 'pay: no timestamp',
    call: () => payCall({ ...pay, app_id: gateway.app.appId, app_sign: '0'.repeat(32) }, { unsigned: true }),
    code: 4,
    field: 'timestamp',
  },
  {
    name: 'pay: timestamp as text',
    call: () => payCall({ ...pay, ...signature(), timestamp: String(Date.now()) }, { unsigned: true }),
    code: 5,
    field: 'timestamp',
  },
  {
    name: 'pay: timestamp in seconds',
    call: () => payCall(pay, { timestamp: Math.floor(Date.now() / 1000) }),
    code: 1,
    field: 'timestamp',
  },
  {
    name: 'pay: stale timestamp (10 min old)',
    call: () => payCall(pay, { timestamp: Date.now() - 600_000 }),
    code: 1,
    field: 'timestamp',
  },
  {
    name: 'pay: timestamp 10 min ahead',
    call: () => payCall(pay, { timestamp: Date.now() + 600_000 }),
    code: 1,
    field: 'timestamp',
  },
  {
    name: 'pay: no app_sign',
    call: () => payCall({ ...pay, app_id: gateway.app.appId, timestamp: Date.now() }, { unsigned: true }),
    code: 4,
    field: 'app_sign',
  },
  {
    name: 'pay: app_sign not hex',
    call: () => payCall({ ...pay, ...signature(), app_sign: 'z'.repeat(32) }, { unsigned: true }),
    code: 1,
    field: 'app_sign',
  },
  {
    name: 'pay: wrong app_sign',
    call: () => payCall({ ...pay, ...signature() }, { unsigned: true }),
    code: 1,
    field: 'app_sign',
  },
  {
    name: 'pay: signed with the master secret',
    call: () => payCall(pay, { secret: 'masterSecret' }),
    code: 1,
    field: 'app_sign',
  },
  {
    name: 'sandbox pay: signed with the app secret',
    call: () => payCall(pay, { path: 'rest/sandbox/bill', secret: 'appSecret' }),
    code: 1,
    field: 'app_sign',
  },
  {
    name: 'refund: signed with the app secret',
    call: () => refundCall(refundBody(), { secret: 'appSecret' }),
    code: 1,
    field: 'app_sign',
  },
  {
    name: 'refund: signed with the test secret',
    call: () => refundCall(refundBody(), { secret: 'testSecret' }),
    code: 1,
    field: 'app_sign',
  },
  {
    name: 'refund approval: signed with the app secret',
    call: () => approvalCall({ channel: 'WX', ids: ['x'], agree: true }, { secret: 'appSecret' }),
    code: 1,
    field: 'app_sign',
  },
  {
    name: 'bills: signed with the master secret',
    call: () => getCall('rest/bills', {}, { secret: 'masterSecret' }),
    code: 1,
    field: 'app_sign',
  },
  {
    name: 'bills: stale timestamp in plain query',
    call: () => getCall('rest/bills', {}, { plainQuery: true, timestamp: Date.now() - 3_600_000 }),
    code: 1,
    field: 'timestamp',
  },
  {
    name: 'bills: nothing at all',
    call: () => getCall('rest/bills', {}, { rawQuery: '' }),
    code: 4,
    field: 'app_id',
  },
  {
    name: 'sandbox notify: signed with the master secret',
    call: () =>
      getCall(`rest/sandbox/notify/${gateway.app.appId}/${paidBillId}`, {}, { secret: 'masterSecret' }),
    code: 1,
    field: 'app_sign',
  },
  {
    name: 'sandbox notify: another app in the path',
    call: () => getCall(`rest/sandbox/notify/other-app/${paidBillId}`),
    code: 1,
    field: 'app_id',
  },
  // para.
  {
    name: 'bills: para is not JSON',
    call: () => getCall('rest/bills', {}, { rawQuery: 'para=%7Bapp_id' }),
    code: 5,
    field: 'para',
  },
  {
    name: 'bills: para is an array',
    call: () => getCall('rest/bills', {}, { rawQuery: `para=${encodeURIComponent('[1]')}` }),
    code: 5,
    field: 'para',
  },
  {
    name: 'bills: para given twice',
    call: () => getCall('rest/bills', {}, { rawQuery: 'para=%7B%7D&para=%7B%7D' }),
    code: 5,
    field: 'para',
  },
  // Pay fields.
  { name: 'pay: no channel', call: () => payCall({ ...pay, channel: undefined }), code: 4, field: 'channel' },
  {
    name: 'pay: unknown channel',
    call: () => payCall({ ...pay, channel: 'BITCOIN' }),
    code: 3,
    field: 'channel',
  },
  {
    name: 'pay: lower-case channel',
    call: () => payCall({ ...pay, channel: 'wx_native' }),
    code: 3,
    field: 'channel',
  },
  {
    name: 'pay: channel spay does not offer',
    call: () => payCall({ ...pay, channel: 'ALI_APP' }),
    code: 3,
    field: 'channel',
  },
  {
    name: 'pay: channel not enabled for the app (PAY_FACTOR_NOT_SET, as BeeCloud)',
    call: () => payCall({ ...pay, channel: 'WX_WAP' }),
    code: 2,
    field: 'channel',
  },
  {
    name: 'pay: channel is a number',
    call: () => payCall({ ...pay, channel: 7 }),
    code: 5,
    field: 'channel',
  },
  {
    name: 'pay: no total_fee',
    call: () => payCall({ ...pay, total_fee: undefined }),
    code: 4,
    field: 'total_fee',
  },
  { name: 'pay: total_fee 0', call: () => payCall({ ...pay, total_fee: 0 }), code: 5, field: 'total_fee' },
  {
    name: 'pay: negative total_fee',
    call: () => payCall({ ...pay, total_fee: -100 }),
    code: 5,
    field: 'total_fee',
  },
  {
    name: 'pay: total_fee in yuan (1.5)',
    call: () => payCall({ ...pay, total_fee: 1.5 }),
    code: 5,
    field: 'total_fee',
  },
  {
    name: 'pay: total_fee as text',
    call: () => payCall({ ...pay, total_fee: '100' }),
    code: 5,
    field: 'total_fee',
  },
  {
    name: 'pay: total_fee over 2^31-1',
    call: () => payCall({ ...pay, total_fee: 2 ** 31 }),
    code: 5,
    field: 'total_fee',
  },
  { name: 'pay: no bill_no', call: () => payCall({ ...pay, bill_no: undefined }), code: 4, field: 'bill_no' },
  {
    name: 'pay: bill_no of 7 characters',
    call: () => payCall({ ...pay, bill_no: 'abc1234' }),
    code: 5,
    field: 'bill_no',
  },
  {
    name: 'pay: bill_no of 33 characters',
    call: () => payCall({ ...pay, bill_no: 'a'.repeat(33) }),
    code: 5,
    field: 'bill_no',
  },
  {
    name: 'pay: bill_no with symbols',
    call: () => payCall({ ...pay, bill_no: 'order#2026-01' }),
    code: 5,
    field: 'bill_no',
  },
  { name: 'pay: no title', call: () => payCall({ ...pay, title: undefined }), code: 4, field: 'title' },
  {
    name: 'pay: title over 32 bytes',
    call: () => payCall({ ...pay, title: '这是一个非常非常长的订单标题超过十六个汉字' }),
    code: 5,
    field: 'title',
  },
  { name: 'pay: title is a number', call: () => payCall({ ...pay, title: 12 }), code: 5, field: 'title' },
  {
    name: 'pay: ALI_WEB without return_url',
    call: () => payCall({ ...pay, channel: 'ALI_WEB' }),
    code: 4,
    field: 'return_url',
  },
  {
    name: 'pay: return_url with a query',
    call: () => payCall({ ...pay, return_url: 'https://s.example/r?a=1' }),
    code: 5,
    field: 'return_url',
  },
  {
    name: 'pay: return_url not http',
    call: () => payCall({ ...pay, return_url: 'javascript:alert(1)' }),
    code: 5,
    field: 'return_url',
  },
  {
    name: 'pay: notify_url not a URL',
    call: () => payCall({ ...pay, notify_url: 'not a url' }),
    code: 5,
    field: 'notify_url',
  },
  {
    name: 'pay: WX_JSAPI without openid',
    call: () => payCall({ ...pay, channel: 'WX_JSAPI' }),
    code: 4,
    field: 'openid',
  },
  {
    name: 'pay: nested optional',
    call: () => payCall({ ...pay, optional: { a: { b: 1 } } }),
    code: 5,
    field: 'optional',
  },
  {
    name: 'pay: optional is a list',
    call: () => payCall({ ...pay, optional: ['a'] }),
    code: 5,
    field: 'optional',
  },
  {
    name: 'pay: bill_timeout 0',
    call: () => payCall({ ...pay, bill_timeout: 0 }),
    code: 5,
    field: 'bill_timeout',
  },
  {
    name: 'pay: bill_timeout as text',
    call: () => payCall({ ...pay, bill_timeout: '360' }),
    code: 5,
    field: 'bill_timeout',
  },
  {
    name: 'pay: analysis is not a map',
    call: () => payCall({ ...pay, analysis: 'os=ios' }),
    code: 5,
    field: 'analysis',
  },
  {
    name: 'pay: buyer_id over 64 characters',
    call: () => payCall({ ...pay, buyer_id: 'b'.repeat(65) }),
    code: 5,
    field: 'buyer_id',
  },
  {
    name: 'pay: paid bill_no with another amount',
    call: () => payCall({ ...pay, bill_no: paidBillNo, total_fee: 99, title: '已付' }),
    code: 17,
    field: 'total_fee',
  },
  {
    name: 'pay: paid bill_no again',
    call: () => payCall({ ...pay, bill_no: paidBillNo, title: '已付' }),
    code: 17,
    field: 'bill_no',
  },
  {
    name: 'pay: open bill_no with another title',
    call: () => payCall({ ...pay, bill_no: unpaidBillNo, title: '别的' }),
    code: 17,
    field: 'title',
  },
  // Bill queries.
  { name: 'bills: limit 51', call: () => getCall('rest/bills', { limit: 51 }), code: 5, field: 'limit' },
  { name: 'bills: limit 0', call: () => getCall('rest/bills', { limit: 0 }), code: 5, field: 'limit' },
  { name: 'bills: negative skip', call: () => getCall('rest/bills', { skip: -1 }), code: 5, field: 'skip' },
  {
    name: 'bills: spay_result "yes"',
    call: () => getCall('rest/bills', { spay_result: 'yes' }),
    code: 5,
    field: 'spay_result',
  },
  {
    name: 'bills: unknown channel family',
    call: () => getCall('rest/bills', { channel: 'JD' }),
    code: 3,
    field: 'channel',
  },
  {
    name: 'bills: start_time as text in JSON',
    call: () => getCall('rest/bills', { start_time: 'yesterday' }),
    code: 5,
    field: 'start_time',
  },
  {
    name: 'bills: end_time before start_time',
    call: () => getCall('rest/bills/count', { start_time: 2000, end_time: 1000 }),
    code: 5,
    field: 'end_time',
  },
  {
    name: 'bills count: bill_no is a number',
    call: () => getCall('rest/bills/count', { bill_no: 12345678 }),
    code: 5,
    field: 'bill_no',
  },
  {
    name: 'sandbox bills: limit in plain query not a number',
    call: () => getCall('rest/sandbox/bills', { limit: 'ten' }, { plainQuery: true }),
    code: 5,
    field: 'limit',
  },
  {
    name: 'bill by id: unknown id',
    call: () => getCall('rest/bill/00000000-0000-0000-0000-000000000000'),
    code: 8,
    field: 'id',
  },
  {
    name: 'sandbox notify: unknown bill',
    call: () => getCall(`rest/sandbox/notify/${gateway.app.appId}/no-such-bill`),
    code: 8,
    field: 'billId',
  },
  // Refunds.
  {
    name: 'refund: no refund_no',
    call: () => refundCall({ ...refundBody(), refund_no: undefined }),
    code: 4,
    field: 'refund_no',
  },
  {
    name: 'refund: refund_no without a date',
    call: () => refundCall({ ...refundBody(), refund_no: 'refund0001' }),
    code: 5,
    field: 'refund_no',
  },
  {
    name: 'refund: refund_no serial 000',
    call: () => refundCall({ ...refundBody(), refund_no: '20261123000' }),
    code: 5,
    field: 'refund_no',
  },
  {
    name: 'refund: refund_no with month 13',
    call: () => refundCall({ ...refundBody(), refund_no: '20261323001' }),
    code: 5,
    field: 'refund_no',
  },
  {
    name: 'refund: refund_no serial of 25',
    call: () => refundCall({ ...refundBody(), refund_no: `20261123${'1'.repeat(25)}` }),
    code: 5,
    field: 'refund_no',
  },
  {
    name: 'refund: no bill_no',
    call: () => refundCall({ ...refundBody(), bill_no: undefined }),
    code: 4,
    field: 'bill_no',
  },
  {
    name: 'refund: no refund_fee',
    call: () => refundCall({ ...refundBody(), refund_fee: undefined }),
    code: 4,
    field: 'refund_fee',
  },
  {
    name: 'refund: refund_fee 0',
    call: () => refundCall({ ...refundBody(), refund_fee: 0 }),
    code: 5,
    field: 'refund_fee',
  },
  {
    name: 'refund: refund_fee as text',
    call: () => refundCall({ ...refundBody(), refund_fee: '1' }),
    code: 5,
    field: 'refund_fee',
  },
  {
    name: 'refund: more than what is left',
    call: () => refundCall({ ...refundBody(), refund_fee: 81 }),
    code: 12,
    field: 'refund_fee',
  },
  {
    name: 'refund: more than the bill',
    call: () => refundCall({ ...refundBody(), refund_fee: 101 }),
    code: 12,
    field: 'refund_fee',
  },
  {
    name: 'refund: unpaid bill',
    call: () => refundCall({ ...refundBody(), bill_no: unpaidBillNo }),
    code: 9,
    field: 'bill_no',
  },
  {
    name: 'refund: unknown bill',
    call: () => refundCall({ ...refundBody(), bill_no: newBillNo() }),
    code: 8,
    field: 'bill_no',
  },
  {
    name: 'refund: channel other than the payment',
    call: () => refundCall({ ...refundBody(), channel: 'ALI' }),
    code: 3,
    field: 'channel',
  },
  {
    name: 'refund: unknown channel',
    call: () => refundCall({ ...refundBody(), channel: 'JD' }),
    code: 3,
    field: 'channel',
  },
  {
    name: 'refund: refund_no already refunded',
    call: () => refundCall({ ...refundBody(), refund_no: refundedNo }),
    code: 11,
    field: 'refund_no',
  },
  {
    name: 'refund: pre-refund refund_no again',
    call: () => refundCall({ ...refundBody(), refund_no: preRefundNo, need_approval: true }),
    code: 16,
    field: 'refund_no',
  },
  {
    name: 'refund: need_approval "maybe"',
    call: () => refundCall({ ...refundBody(), need_approval: 'maybe' }),
    code: 5,
    field: 'need_approval',
  },
  {
    name: 'refund: nested optional',
    call: () => refundCall({ ...refundBody(), optional: { a: [1] } }),
    code: 5,
    field: 'optional',
  },
  // Pre-refund approval.
  {
    name: 'approval: no channel',
    call: () => approvalCall({ ids: ['x'], agree: true }),
    code: 4,
    field: 'channel',
  },
  {
    name: 'approval: ids is a string',
    call: () => approvalCall({ channel: 'WX', ids: 'x', agree: true }),
    code: 5,
    field: 'ids',
  },
  {
    name: 'approval: ids empty',
    call: () => approvalCall({ channel: 'WX', ids: [], agree: true }),
    code: 4,
    field: 'ids',
  },
  {
    name: 'approval: more than 100 ids',
    call: () =>
      approvalCall({ channel: 'WX', ids: Array.from({ length: 101 }, (_, i) => `id${i}`), agree: true }),
    code: 5,
    field: 'ids',
  },
  {
    name: 'approval: no agree',
    call: () => approvalCall({ channel: 'WX', ids: ['x'] }),
    code: 4,
    field: 'agree',
  },
  {
    name: 'approval: no such refunds',
    call: () => approvalCall({ channel: 'WX', ids: ['nope-1', 'nope-2'], agree: true }),
    code: 13,
    field: 'ids',
  },
  // Refund queries.
  {
    name: 'refund status: no channel',
    call: () => getCall('rest/refund/status', { refund_no: refundedNo }),
    code: 4,
    field: 'channel',
  },
  {
    name: 'refund status: no refund_no',
    call: () => getCall('rest/refund/status', { channel: 'WX' }),
    code: 4,
    field: 'refund_no',
  },
  {
    name: 'refund status: unknown refund',
    call: () => getCall('rest/refund/status', { channel: 'WX', refund_no: newRefundNo() }),
    code: 13,
    field: 'refund_no',
  },
  {
    name: 'refund by id: unknown id',
    call: () => getCall('rest/refund/no-such-refund'),
    code: 13,
    field: 'id',
  },
  {
    name: 'refunds: need_approval "x"',
    call: () => getCall('rest/refunds', { need_approval: 'x' }),
    code: 5,
    field: 'need_approval',
  },
  {
    name: 'refunds: limit 100',
    call: () => getCall('rest/refunds', { limit: 100 }),
    code: 5,
    field: 'limit',
  },
  {
    name: 'refunds count: unknown channel',
    call: () => getCall('rest/refunds/count', { channel: 'YEE' }),
    code: 3,
    field: 'channel',
  },
];

describe('bad REST requests', () => {
  it('sees the bill a good request creates (the "changes nothing" check can fail)', async () => {
    const before = moneySnapshot(gateway);
    const answer = await rest(gateway, payCall({ ...pay, bill_no: newBillNo() }));
    expect(answer.json).toMatchObject({ result_code: 0 });
    expect(moneySnapshot(gateway)).not.toBe(before);
    expect(moneySnapshot(gateway)).toContain(String(answer.json.id));
  });

  it.each(badRequests.map((bad) => [bad.name, bad] as const))('%s', async (_name, bad) => {
    const before = moneySnapshot(gateway);
    const answer = await rest(gateway, bad.call());
    expect(answer.status).not.toBe(500);
    expect(answer.status).toBe(bad.status ?? 200);
    expect(answer.json).toMatchObject({
      result_code: bad.code,
      resultCode: bad.code,
      result_msg: resultName(bad.code),
    });
    expect(String(answer.json.err_detail)).toMatch(new RegExp(`^${bad.field.replace('-', '\\-')}: `));
    expect(moneySnapshot(gateway)).toBe(before);
  });
});
