/**
 * Bill status for the widget: the compat poll endpoint, and the SSE stream that announces paid, closed and
 * expired as the state changes (expiry by bill_timeout and the sweeper; 2 h default for QR bills).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBill,
  newOrderNo,
  pressSandboxButton,
  startTestGateway,
  type TestGateway,
} from '../testing/gateway-harness.ts';
import { openEventStream } from '../testing/event-stream.ts';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway({ expirySweepMs: 100 });
});

afterAll(async () => {
  await gateway?.close();
});

describe('GET /2/rest/bill_public/{id}', () => {
  it('answers the public view of the bill and nothing secret', async () => {
    const bill = await createBill(gateway, 'WX_NATIVE', { amount: 199, title: 'QR 商品' });
    const response = await fetch(`${gateway.url}/2/rest/bill_public/${bill.id}`, {
      headers: { origin: 'https://shop.example' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const answer = (await response.json()) as { pay: Record<string, unknown> };
    expect(answer).toMatchObject({ resultCode: 0, result_code: 0, result_msg: 'OK', err_detail: '' });
    expect(Object.keys(answer.pay).sort()).toEqual(
      [
        'channel',
        'create_time',
        'expires_at',
        'id',
        'status',
        'spay_result',
        'sub_channel',
        'title',
        'total_fee',
        'trade_no',
        'bill_no',
      ].sort(),
    );
    expect(answer.pay).toMatchObject({
      status: 'open',
      total_fee: 199,
      channel: 'WX',
      sub_channel: 'WX_NATIVE',
      trade_no: '',
    });
    const created = Number(answer.pay.create_time);
    expect(Number(answer.pay.expires_at) - created).toBe(2 * 60 * 60 * 1000);
    expect(bill.expires_at).toBe(answer.pay.expires_at);
  });

  it('answers NO_SUCH_BILL for unknown and malformed ids', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-bill', "1'%20OR%201=1"]) {
      const response = await fetch(`${gateway.url}/2/rest/bill_public/${id}`);
      expect(response.status, id).toBe(404);
      expect(await response.json()).toMatchObject({ result_code: 8, result_msg: 'NO_SUCH_BILL' });
    }
  });
});

describe('the status stream', () => {
  it('sends the status at connect and when the bill is paid', async () => {
    const bill = await createBill(gateway, 'WX_NATIVE', { amount: 88 });
    const stream = await openEventStream(`${gateway.url}/2/rest/bill_public/${bill.id}/events`, {
      origin: 'https://shop.example',
    });
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(stream.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      const [first] = await stream.waitFor(1);
      expect(first!.event).toBe('status');
      expect(JSON.parse(first!.data)).toMatchObject({ id: bill.id, status: 'open' });
      await pressSandboxButton(`${gateway.url}/sandbox/wx/scan/${bill.id}/pay`);
      const [, paid] = await stream.waitFor(2);
      expect(JSON.parse(paid!.data)).toMatchObject({
        id: bill.id,
        status: 'paid',
        spay_result: true,
        total_fee: 88,
      });
    } finally {
      stream.close();
    }
  });

  it('announces expiry when bill_timeout runs out, and the expired attempt cannot be paid', async () => {
    const billNo = newOrderNo();
    const bill = await createBill(gateway, 'WX_NATIVE', { out_trade_no: billNo, bill_timeout: 1 });
    expect(Number(bill.expires_at)).toBeGreaterThan(Date.now());
    const stream = await openEventStream(`${gateway.url}/2/rest/bill_public/${bill.id}/events`);
    try {
      await stream.waitFor(1);
      const [, expired] = await stream.waitFor(2, 5000);
      expect(JSON.parse(expired!.data)).toMatchObject({ id: bill.id, status: 'expired', spay_result: false });
    } finally {
      stream.close();
    }
    const scan = await (await fetch(`${gateway.url}/sandbox/wx/scan/${bill.id}`)).text();
    expect(scan).toContain('订单已过期');
    // The order itself is not paid: the payer may start a new attempt.
    const again = await createBill(gateway, 'ALI_WEB', { out_trade_no: billNo });
    expect(again.id).not.toBe(bill.id);
  });

  it('answers NO_SUCH_BILL (not a stream) for an unknown bill', async () => {
    const response = await fetch(
      `${gateway.url}/2/rest/bill_public/00000000-0000-4000-8000-000000000000/events`,
    );
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ result_code: 8 });
  });

  it('lets the gateway close while streams are open', async () => {
    const other = await startTestGateway();
    const bill = await createBill(other, 'WX_NATIVE');
    const stream = await openEventStream(`${other.url}/2/rest/bill_public/${bill.id}/events`);
    await stream.waitFor(1);
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(3000);
    stream.close();
  });
});
