/**
 * The REST API's payments and bill queries over real HTTP against a real gateway (SQLite file in a temp dir):
 * what a BeeCloud server SDK sends and reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restAppSign } from '../../sdk/sign.ts';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';
import { newBillNo, newRefundNo, rest } from './testing/rest-caller.ts';

let gateway: TestGateway;
let liveGateway: TestGateway;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  gateway = await startTestGateway({ app: { webhookUrl: receiver.url } });
  liveGateway = await startTestGateway({ app: { mode: 'live' } });
});

afterAll(async () => {
  await gateway.close();
  await liveGateway.close();
  await receiver.close();
});

function pay(payload: Record<string, unknown>, path = 'rest/bill') {
  return rest(gateway, { method: 'POST', path, payload });
}

function sandboxNotify(billId: string) {
  return rest(gateway, { method: 'GET', path: `rest/sandbox/notify/${gateway.app.appId}/${billId}` });
}

describe('POST /2/rest/bill', () => {
  it('answers each channel with what its payer needs', async () => {
    const base = { total_fee: 1, title: '白开水', return_url: 'https://shop.example/paid' };
    const native = await pay({ ...base, channel: 'WX_NATIVE', bill_no: newBillNo() });
    expect(native.json).toMatchObject({ result_code: 0, result_msg: 'OK', err_detail: '' });
    expect(native.json.code_url).toBe(`${gateway.url}/sandbox/wx/scan/${String(native.json.id)}`);

    const jsapi = await pay({ ...base, channel: 'WX_JSAPI', bill_no: newBillNo(), openid: 'o_sandbox_1' });
    expect(jsapi.json.result_code).toBe(0);
    for (const field of ['app_id', 'package', 'nonce_str', 'timestamp', 'pay_sign', 'sign_type']) {
      expect(typeof jsapi.json[field], field).toBe('string');
    }
    expect(jsapi.json.sign_type).toBe('MD5');

    const aliWeb = await pay({ ...base, channel: 'ALI_WEB', bill_no: newBillNo() });
    expect(aliWeb.json.url).toBe(`${gateway.url}/sandbox/cashier/${String(aliWeb.json.id)}`);
    expect(aliWeb.json.html).toContain(`action="${gateway.url}/sandbox/cashier/${String(aliWeb.json.id)}"`);

    const aliWap = await pay({ ...base, channel: 'ALI_WAP', bill_no: newBillNo() });
    expect(typeof aliWap.json.html).toBe('string');
    expect(typeof aliWap.json.url).toBe('string');

    for (const channel of ['UN_WEB', 'UN_WAP']) {
      const union = await pay({ ...base, channel, bill_no: newBillNo() });
      expect(union.json.result_code, channel).toBe(0);
      expect(String(union.json.html)).toContain('/sandbox/cashier/');
      expect(union.json.url).toBeUndefined();
    }
  });

  it('creates WX_WAP bills for an app that enables wxwap, and refuses channels the app does not enable', async () => {
    const answer = await pay({ channel: 'WX_WAP', total_fee: 1, bill_no: newBillNo(), title: 't' });
    expect(answer.json).toMatchObject({ result_code: 2, result_msg: 'PAY_FACTOR_NOT_SET' });
    expect(String(answer.json.err_detail)).toMatch(/^channel: WX_WAP is not enabled/);

    const wxwap = await startTestGateway({ app: { channels: ['wxwap'] } });
    try {
      const made = await rest(wxwap, {
        method: 'POST',
        path: 'rest/bill',
        payload: { channel: 'WX_WAP', total_fee: 1, bill_no: newBillNo(), title: 't' },
      });
      expect(made.json.result_code).toBe(0);
      expect(made.json.url).toBe(`${wxwap.url}/sandbox/cashier/${String(made.json.id)}`);
    } finally {
      await wxwap.close();
    }
  });

  it('lets an order be attempted on several channels, with the same amount and title only', async () => {
    const billNo = newBillNo();
    const first = await pay({ channel: 'WX_NATIVE', total_fee: 300, bill_no: billNo, title: '书' });
    const second = await pay({
      channel: 'ALI_WEB',
      total_fee: 300,
      bill_no: billNo,
      title: '书',
      return_url: 'https://s.example/r',
    });
    expect(first.json.result_code).toBe(0);
    expect(second.json.result_code).toBe(0);
    expect(second.json.id).not.toBe(first.json.id);

    const otherAmount = await pay({ channel: 'WX_NATIVE', total_fee: 301, bill_no: billNo, title: '书' });
    expect(otherAmount.json).toMatchObject({ result_code: 17, result_msg: 'BILL_NO_DUPLICATE' });
    expect(String(otherAmount.json.err_detail)).toMatch(/^total_fee: /);

    await sandboxNotify(String(first.json.id));
    const afterPaid = await pay({ channel: 'WX_NATIVE', total_fee: 300, bill_no: billNo, title: '书' });
    expect(afterPaid.json).toMatchObject({ result_code: 17 });
    expect(String(afterPaid.json.err_detail)).toMatch(/^bill_no: /);
  });

  it('answers PAY_FACTOR_NOT_SET for a live app (no live channel credentials on this gateway)', async () => {
    const answer = await rest(liveGateway, {
      method: 'POST',
      path: 'rest/bill',
      secret: 'appSecret',
      payload: { channel: 'WX_NATIVE', total_fee: 1, bill_no: newBillNo(), title: 't' },
    });
    expect(answer.json).toMatchObject({ result_code: 2, result_msg: 'PAY_FACTOR_NOT_SET' });
    expect(String(answer.json.err_detail)).toMatch(/^channel: /);
  });

  it('makes sandbox bills for a live app on /2/rest/sandbox/bill, kept apart from its live bills', async () => {
    const made = await rest(liveGateway, {
      method: 'POST',
      path: 'rest/sandbox/bill',
      secret: 'testSecret',
      payload: { channel: 'WX_NATIVE', total_fee: 5, bill_no: newBillNo(), title: 'sandbox' },
    });
    expect(made.json.result_code).toBe(0);
    const sandboxBills = await rest(liveGateway, {
      method: 'GET',
      path: 'rest/sandbox/bills',
      secret: 'testSecret',
    });
    expect((sandboxBills.json.bills as { id: string }[]).map((bill) => bill.id)).toContain(made.json.id);
    const liveBills = await rest(liveGateway, { method: 'GET', path: 'rest/bills', secret: 'appSecret' });
    expect(liveBills.json).toMatchObject({ result_code: 0, bills: [] });
    const byIdLive = await rest(liveGateway, {
      method: 'GET',
      path: `rest/bill/${String(made.json.id)}`,
      secret: 'appSecret',
    });
    expect(byIdLive.json).toMatchObject({ result_code: 8, result_msg: 'NO_SUCH_BILL' });
    const byIdSandbox = await rest(liveGateway, {
      method: 'GET',
      path: `rest/sandbox/bill/${String(made.json.id)}`,
      secret: 'testSecret',
    });
    expect(byIdSandbox.json).toMatchObject({ result_code: 0, pay: { id: made.json.id, total_fee: 5 } });
  });
});

describe('request encodings SDKs use', () => {
  it('reads JSON sent as text/plain and form-encoded bodies like JSON bodies', async () => {
    const asText = await rest(gateway, {
      method: 'POST',
      path: 'rest/bill',
      contentType: 'text/plain',
      payload: { channel: 'WX_NATIVE', total_fee: 3, bill_no: newBillNo(), title: 'text' },
    });
    expect(asText.json).toMatchObject({ result_code: 0 });

    const timestamp = Date.now();
    const signedJson = await rest(gateway, { method: 'GET', path: 'rest/bills/count', timestamp });
    expect(signedJson.json.result_code).toBe(0);
    const form = new URLSearchParams({
      app_id: gateway.app.appId,
      timestamp: String(timestamp),
      app_sign: restAppSign(gateway.app.appId, timestamp, gateway.app.testSecret),
      channel: 'WX_NATIVE',
      total_fee: '4',
      bill_no: newBillNo(),
      title: 'form',
    });
    const asForm = await rest(gateway, {
      method: 'POST',
      path: 'rest/bill',
      unsigned: true,
      contentType: 'application/x-www-form-urlencoded',
      rawBody: form.toString(),
    });
    expect(asForm.json).toMatchObject({ result_code: 0 });
    const record = await rest(gateway, { method: 'GET', path: `rest/bill/${String(asForm.json.id)}` });
    expect(record.json).toMatchObject({ pay: { total_fee: 4, title: 'form' } });
  });
});

describe('sandbox payment and bill queries', () => {
  it('pays a bill through the sandbox notify, sends the PAY webhook and shows the record', async () => {
    const billNo = newBillNo();
    const made = await pay({
      channel: 'WX_NATIVE',
      total_fee: 250,
      bill_no: billNo,
      title: '咖啡',
      optional: { table: 7 },
      buyer_id: 'buyer-42',
    });
    const before = receiver.received.length;
    const notified = await sandboxNotify(String(made.json.id));
    expect(notified.json).toMatchObject({ result_code: 0, outcome: 'paid', pay: { spay_result: true } });

    const [webhook] = (await receiver.waitFor(before + 1)).slice(before);
    const body = JSON.parse(webhook.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      transaction_type: 'PAY',
      transaction_id: billNo,
      transaction_fee: 250,
      channel_type: 'WX',
      sub_channel_type: 'WX_NATIVE',
      optional: { table: 7 },
    });

    const again = await sandboxNotify(String(made.json.id));
    expect(again.json).toMatchObject({ result_code: 0, outcome: 'already_paid' });

    const record = await rest(gateway, { method: 'GET', path: `rest/bill/${String(made.json.id)}` });
    expect(record.json).toMatchObject({
      result_code: 0,
      pay: {
        id: made.json.id,
        bill_no: billNo,
        total_fee: 250,
        channel: 'WX',
        sub_channel: 'WX_NATIVE',
        title: '咖啡',
        spay_result: true,
        optional: JSON.stringify({ table: 7 }),
        revert_result: false,
        refund_result: false,
        buyer_id: 'buyer-42',
      },
    });
    const paid = record.json.pay as Record<string, unknown>;
    expect(String(paid.trade_no)).toMatch(/^SANDBOX/);
    expect(typeof paid.create_time).toBe('number');
    expect(JSON.parse(String(paid.message_detail))).toMatchObject({ channel: 'SANDBOX' });
  });

  it('filters, pages and counts bills as BeeCloud did', async () => {
    const app = await startTestGateway();
    const call = (path: string, payload: Record<string, unknown> = {}) =>
      rest(app, { method: 'GET', path, payload });
    try {
      const ids: string[] = [];
      for (let index = 0; index < 12; index += 1) {
        const made = await rest(app, {
          method: 'POST',
          path: 'rest/bill',
          payload: {
            channel: index % 3 === 0 ? 'UN_WAP' : 'WX_NATIVE',
            total_fee: 10 + index,
            bill_no: newBillNo(),
            title: `b${index}`,
          },
        });
        ids.push(String(made.json.id));
      }
      await rest(app, { method: 'GET', path: `rest/sandbox/notify/${app.app.appId}/${ids[1]}` });
      await rest(app, { method: 'GET', path: `rest/sandbox/notify/${app.app.appId}/${ids[3]}` });

      const firstPage = await call('rest/bills');
      expect((firstPage.json.bills as unknown[]).length).toBe(10);
      const secondPage = await call('rest/bills', { skip: 10, limit: 50 });
      expect((secondPage.json.bills as unknown[]).length).toBe(2);
      const newestFirst = firstPage.json.bills as {
        id: string;
        create_time: number;
        message_detail?: string;
      }[];
      expect(newestFirst[0].create_time).toBeGreaterThanOrEqual(newestFirst[9].create_time);
      expect(newestFirst[0].message_detail).toBeUndefined();

      expect((await call('rest/bills/count')).json).toMatchObject({ result_code: 0, count: 12 });
      expect((await call('rest/bills/count', { channel: 'UN' })).json.count).toBe(4);
      expect((await call('rest/bills/count', { channel: 'WX_NATIVE' })).json.count).toBe(8);
      expect((await call('rest/bills/count', { spay_result: true })).json.count).toBe(2);
      expect((await call('rest/bills/count', { spay_result: false })).json.count).toBe(10);
      const paidUnion = await call('rest/bills', { channel: 'UN_WAP', spay_result: true, need_detail: true });
      expect((paidUnion.json.bills as { id: string }[]).map((bill) => bill.id)).toEqual([ids[3]]);
      expect(typeof (paidUnion.json.bills as { message_detail?: string }[])[0].message_detail).toBe('string');
      const one = await call('rest/bills', {
        bill_no: (firstPage.json.bills as { bill_no: string }[])[4].bill_no,
      });
      expect((one.json.bills as unknown[]).length).toBe(1);
      expect((await call('rest/bills/count', { start_time: Date.now() + 60_000 })).json.count).toBe(0);
      expect(
        (await call('rest/bills/count', { end_time: Date.now() + 60_000, start_time: 0 })).json.count,
      ).toBe(12);
      expect((await call('rest/sandbox/bills/count')).json.count).toBe(12);

      // refund_result: the bills with a successful refund, or those without.
      const billNoOf = async (id: string) =>
        String(
          ((await rest(app, { method: 'GET', path: `rest/bill/${id}` })).json.pay as { bill_no: string })
            .bill_no,
        );
      const refund = await rest(app, {
        method: 'POST',
        path: 'rest/refund',
        secret: 'masterSecret',
        payload: { refund_no: newRefundNo(), bill_no: await billNoOf(ids[1]!), refund_fee: 1 },
      });
      expect(refund.json.result_code).toBe(0);
      expect((await call('rest/bills/count', { refund_result: true })).json.count).toBe(1);
      expect((await call('rest/bills/count', { refund_result: false })).json.count).toBe(11);
      const refunded = await call('rest/bills', { refund_result: true });
      expect((refunded.json.bills as { id: string }[]).map((bill) => bill.id)).toEqual([ids[1]]);

      const plain = await rest(app, {
        method: 'GET',
        path: 'rest/bills/count',
        payload: { channel: 'UN' },
        plainQuery: true,
      });
      expect(plain.json).toMatchObject({ result_code: 0, count: 4 });
    } finally {
      await app.close();
    }
  });

  it('pages with a keyset cursor beside skip and limit: the same bills in the same order', async () => {
    const app = await startTestGateway();
    const call = (payload: Record<string, unknown> = {}, plainQuery = false) =>
      rest(app, { method: 'GET', path: 'rest/bills', payload, plainQuery });
    try {
      for (let index = 0; index < 7; index += 1) {
        const made = await rest(app, {
          method: 'POST',
          path: 'rest/bill',
          payload: {
            channel: index % 2 === 0 ? 'WX_NATIVE' : 'UN_WAP',
            total_fee: 1,
            bill_no: newBillNo(),
            title: 'keyset',
          },
        });
        expect(made.json.result_code).toBe(0);
      }
      const idsOf = (answer: { json: Record<string, unknown> }) =>
        (answer.json.bills as { id: string }[]).map((bill) => bill.id);
      const everything = idsOf(await call({ limit: 50 }));
      expect(everything).toHaveLength(7);

      // Walk with cursors, 3 at a time: 3 + 3 + 1, no cursor after the last (short) page.
      const walked: string[] = [];
      let cursor: string | undefined;
      const pages: number[] = [];
      do {
        const page = await call({ limit: 3, ...(cursor ? { cursor } : {}) }, cursor !== undefined);
        expect(page.json.result_code).toBe(0);
        walked.push(...idsOf(page));
        pages.push(idsOf(page).length);
        cursor = page.json.next_cursor as string | undefined;
      } while (cursor !== undefined);
      expect(pages).toEqual([3, 3, 1]);
      expect(walked).toEqual(everything);
      // skip pages the same bills the same way, and counts from a cursor when both are given.
      expect(idsOf(await call({ skip: 3, limit: 3 }))).toEqual(everything.slice(3, 6));
      const first = await call({ limit: 2 });
      expect(idsOf(await call({ cursor: first.json.next_cursor, skip: 1, limit: 2 }))).toEqual(
        everything.slice(3, 5),
      );
      // The cursor keeps the filters of the request it is sent with.
      const wx = await call({ channel: 'WX', limit: 2 });
      expect(idsOf(await call({ channel: 'WX', cursor: wx.json.next_cursor, limit: 50 }))).toHaveLength(2);

      for (const bad of ['not a cursor!', Buffer.from('[1]').toString('base64url'), 'e30']) {
        const refused = await call({ cursor: bad });
        expect(refused.json.result_code, bad).not.toBe(0);
        expect(String(refused.json.err_detail), bad).toMatch(/^cursor/);
      }
    } finally {
      await app.close();
    }
  });
});
