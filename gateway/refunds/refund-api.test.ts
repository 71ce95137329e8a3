/**
 * Refunds over real HTTP against a real gateway: full, partial, too large, twice, pre-refunds approved and denied,
 * the REFUND webhook at a local receiver, the refund queries, and the automatic refund of a late payment.
 */
import { describe, expect, it } from 'vitest';
import { webhookSignature } from '../../sdk/sign.ts';
import { newBillNo, newRefundNo, paidRestBill, rest } from '../rest/testing/rest-caller.ts';
import { useGatewayWithReceiver } from '../testing/gateway-with-receiver.ts';

const harness = useGatewayWithReceiver();

/** A bill paid through the sandbox; returns its bill_no and id. */
function paidBill(totalFee: number, channel = 'WX_NATIVE'): Promise<{ billNo: string; id: string }> {
  return paidRestBill(harness.gateway, {
    channel,
    total_fee: totalFee,
    title: '退款测试',
    return_url: 'https://s.example/r',
  });
}

function refund(payload: Record<string, unknown>) {
  return rest(harness.gateway, { method: 'POST', path: 'rest/refund', secret: 'masterSecret', payload });
}

function decide(payload: Record<string, unknown>) {
  return rest(harness.gateway, { method: 'PUT', path: 'rest/refund', secret: 'masterSecret', payload });
}

function query(path: string, payload: Record<string, unknown> = {}) {
  return rest(harness.gateway, { method: 'GET', path, payload });
}

/** The REFUND webhooks received for a refund_no (waits until `count` have arrived). */
async function refundWebhooks(refundNo: string, count = 1): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const bodies = harness.receiver.received
      .map((webhook) => JSON.parse(webhook.body) as Record<string, unknown>)
      .filter((body) => body.transaction_type === 'REFUND' && body.transaction_id === refundNo);
    if (bodies.length >= count || Date.now() > deadline) return bodies;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('POST /2/rest/refund', () => {
  it('refunds a paid bill in full, announces it by webhook and marks the bill refunded', async () => {
    const { billNo, id } = await paidBill(500);
    const refundNo = newRefundNo();
    const answer = await refund({
      refund_no: refundNo,
      bill_no: billNo,
      refund_fee: 500,
      optional: { why: 'broken' },
    });
    expect(answer.json).toMatchObject({ result_code: 0, result_msg: 'OK', err_detail: '' });
    expect(typeof answer.json.id).toBe('string');

    const [webhook] = await refundWebhooks(refundNo);
    expect(webhook).toMatchObject({
      transaction_type: 'REFUND',
      transaction_id: refundNo,
      transaction_fee: 500,
      bill_no: billNo,
      channel_type: 'WX',
      sub_channel_type: 'WX_NATIVE',
      trade_success: true,
      optional: { why: 'broken' },
    });
    const app = harness.gateway.app;
    expect(webhook.signature).toBe(
      webhookSignature(app.appId, refundNo, 'REFUND', 'WX', 500, app.masterSecret),
    );

    const record = await query(`rest/refund/${String(answer.json.id)}`);
    expect(record.json).toMatchObject({
      result_code: 0,
      refund: {
        id: answer.json.id,
        bill_no: billNo,
        refund_no: refundNo,
        total_fee: 500,
        refund_fee: 500,
        channel: 'WX',
        sub_channel: 'WX_NATIVE',
        title: '退款测试',
        finish: true,
        result: true,
        optional: JSON.stringify({ why: 'broken' }),
        need_approval: false,
      },
    });
    const bill = await query(`rest/bill/${id}`);
    expect(bill.json).toMatchObject({ pay: { refund_result: true, spay_result: true } });
    const status = await query('rest/refund/status', { channel: 'WX', refund_no: refundNo });
    expect(status.json).toMatchObject({ result_code: 0, refund_status: 'SUCCESS' });
  });

  it('refunds in parts up to the paid amount and refuses what would exceed it', async () => {
    const { billNo } = await paidBill(1000);
    const first = await refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 300 });
    const second = await refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 600 });
    expect(first.json.result_code).toBe(0);
    expect(second.json.result_code).toBe(0);
    const tooLarge = await refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 101 });
    expect(tooLarge.json).toMatchObject({ result_code: 12, result_msg: 'REFUND_AMOUNT_TOO_LARGE' });
    expect(String(tooLarge.json.err_detail)).toMatch(/^refund_fee: 101 fen is more than the 100 fen/);
    const rest100 = await refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 100 });
    expect(rest100.json.result_code).toBe(0);
    const count = await query('rest/refunds/count', { bill_no: billNo });
    expect(count.json).toMatchObject({ result_code: 0, count: 3 });
  });

  it('refuses a refund larger than the bill, a refund_no used twice and unpaid or unknown bills', async () => {
    const { billNo } = await paidBill(200);
    expect(
      (await refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 201 })).json.result_code,
    ).toBe(12);

    const refundNo = newRefundNo();
    expect((await refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 50 })).json.result_code).toBe(0);
    const twice = await refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 50 });
    expect(twice.json).toMatchObject({ result_code: 11, result_msg: 'ALREADY_REFUNDING' });
    expect(String(twice.json.err_detail)).toMatch(/^refund_no: /);
    expect((await refundWebhooks(refundNo)).length).toBe(1);

    const unpaidNo = newBillNo();
    await rest(harness.gateway, {
      method: 'POST',
      path: 'rest/bill',
      payload: { channel: 'WX_NATIVE', total_fee: 10, bill_no: unpaidNo, title: 'unpaid' },
    });
    const unpaid = await refund({ refund_no: newRefundNo(), bill_no: unpaidNo, refund_fee: 10 });
    expect(unpaid.json).toMatchObject({ result_code: 9, result_msg: 'BILL_UNSUCCESS' });
    const unknown = await refund({ refund_no: newRefundNo(), bill_no: newBillNo(), refund_fee: 10 });
    expect(unknown.json).toMatchObject({ result_code: 8, result_msg: 'NO_SUCH_BILL' });
  });
});

describe('concurrent refunds', () => {
  it('never refunds more than was paid, nor one refund_no twice, when requests race', async () => {
    const { billNo } = await paidBill(100);
    const racing = await Promise.all(
      Array.from({ length: 8 }, () => refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 30 })),
    );
    const codes = racing.map((answer) => answer.json.result_code).sort();
    expect(codes).toEqual([0, 0, 0, 12, 12, 12, 12, 12]);

    const other = await paidBill(100);
    const refundNo = newRefundNo();
    const sameNo = await Promise.all(
      Array.from({ length: 5 }, () => refund({ refund_no: refundNo, bill_no: other.billNo, refund_fee: 10 })),
    );
    expect(sameNo.map((answer) => answer.json.result_code).sort()).toEqual([0, 11, 11, 11, 11]);
    const listed = await query('rest/refunds', { bill_no: billNo });
    const total = (listed.json.refunds as { refund_fee: number }[]).reduce(
      (sum, item) => sum + item.refund_fee,
      0,
    );
    expect(total).toBe(90);
    expect(await refundWebhooks(refundNo)).toHaveLength(1);
  });
});

describe('pre-refunds (need_approval) and PUT /2/rest/refund', () => {
  it('records a pre-refund without refunding, then refunds it when approved', async () => {
    const { billNo, id: billId } = await paidBill(800, 'UN_WEB');
    const refundNo = newRefundNo();
    const pre = await refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 800, need_approval: true });
    expect(pre.json.result_code).toBe(0);
    const preId = String(pre.json.id);

    const pending = await query(`rest/refund/${preId}`);
    expect(pending.json).toMatchObject({
      refund: { finish: false, result: false, need_approval: true, status: 'pending_approval' },
    });
    expect((await query(`rest/bill/${billId}`)).json).toMatchObject({ pay: { refund_result: false } });
    expect((await query('rest/refunds/count', { need_approval: true, bill_no: billNo })).json.count).toBe(1);
    // The pending pre-refund holds its amount: nothing else may be refunded meanwhile.
    expect(
      (await refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 1 })).json.result_code,
    ).toBe(12);
    const duplicate = await refund({
      refund_no: refundNo,
      bill_no: billNo,
      refund_fee: 1,
      need_approval: true,
    });
    expect(duplicate.json).toMatchObject({ result_code: 16, result_msg: 'PREREFUND_DUPLICATE' });
    expect(await refundWebhooks(refundNo, 0)).toEqual([]);

    const approved = await decide({ channel: 'UN', ids: [preId, 'no-such-id'], agree: true });
    expect(approved.json).toMatchObject({
      result_code: 0,
      result_map: { [preId]: 'OK', 'no-such-id': 'NO_SUCH_REFUND' },
    });
    const [webhook] = await refundWebhooks(refundNo);
    expect(webhook).toMatchObject({ transaction_fee: 800, bill_no: billNo, channel_type: 'UN' });
    expect((await query(`rest/refund/${preId}`)).json).toMatchObject({
      refund: { finish: true, result: true },
    });
    expect((await query(`rest/bill/${billId}`)).json).toMatchObject({ pay: { refund_result: true } });

    const again = await decide({ channel: 'UN', ids: [preId], agree: true });
    expect(String((again.json.result_map as Record<string, string>)[preId])).toMatch(/^NOT_PENDING_APPROVAL/);
    expect((await refundWebhooks(refundNo)).length).toBe(1);
  });

  it('denies a pre-refund: nothing is refunded, its amount is free again and its refund_no may be reused', async () => {
    const { billNo } = await paidBill(400);
    const refundNo = newRefundNo();
    const pre = await refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 400, need_approval: true });
    const preId = String(pre.json.id);
    const wrongChannel = await decide({ channel: 'ALI', ids: [preId], agree: false });
    expect(wrongChannel.json).toMatchObject({ result_code: 13, result_msg: 'NO_SUCH_REFUND' });
    expect(String(wrongChannel.json.err_detail)).toMatch(/^ids: /);

    const denied = await decide({ channel: 'WX', ids: [preId], agree: false, deny_reason: '审核不通过' });
    expect(denied.json).toMatchObject({ result_code: 0, result_map: { [preId]: 'OK' } });
    expect((await query(`rest/refund/${preId}`)).json).toMatchObject({
      refund: { finish: true, result: false, status: 'denied', deny_reason: '审核不通过' },
    });
    const status = await query('rest/refund/status', { channel: 'WX', refund_no: refundNo });
    expect(status.json.refund_status).toBe('DENIED');

    const reused = await refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 400 });
    expect(reused.json.result_code).toBe(0);
    expect((await refundWebhooks(refundNo)).map((body) => body.transaction_fee)).toEqual([400]);
  });
});

describe('refund queries', () => {
  it('lists refunds newest first with filters, paging and details', async () => {
    const { billNo } = await paidBill(90, 'ALI_WEB');
    const refundNos = [newRefundNo(), newRefundNo(), newRefundNo()];
    for (const refundNo of refundNos) await refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 30 });

    const listed = await query('rest/refunds', { bill_no: billNo, need_detail: true });
    const refunds = listed.json.refunds as {
      refund_no: string;
      message_detail?: string;
      create_time: number;
    }[];
    expect(refunds.map((item) => item.refund_no).sort()).toEqual([...refundNos].sort());
    expect(refunds[0].create_time).toBeGreaterThanOrEqual(refunds[2].create_time);
    expect(JSON.parse(String(refunds[0].message_detail))).toMatchObject({ channel: 'SANDBOX' });

    const paged = await query('rest/refunds', { bill_no: billNo, limit: 2, skip: 2 });
    expect((paged.json.refunds as unknown[]).length).toBe(1);
    expect((await query('rest/refunds/count', { channel: 'ALI', bill_no: billNo })).json.count).toBe(3);
    expect((await query('rest/refunds/count', { channel: 'WX', bill_no: billNo })).json.count).toBe(0);
    expect((await query('rest/refunds/count', { refund_no: refundNos[1] })).json.count).toBe(1);
    expect(
      (await query('rest/refunds/count', { bill_no: billNo, start_time: Date.now() + 60_000 })).json.count,
    ).toBe(0);

    const unknown = await query('rest/refund/status', { channel: 'WX', refund_no: newRefundNo() });
    expect(unknown.json).toMatchObject({ result_code: 13, result_msg: 'NO_SUCH_REFUND' });
    const otherChannel = await query('rest/refund/status', { channel: 'WX', refund_no: refundNos[0] });
    expect(otherChannel.json.result_code).toBe(13);
    const missing = await query('rest/refund/no-such-id');
    expect(missing.json).toMatchObject({ result_code: 13, result_msg: 'NO_SUCH_REFUND' });
  });
});

describe('late payments', () => {
  it('refunds in full, by itself, a sandbox payment that arrives for an attempt already closed', async () => {
    const billNo = newBillNo();
    const attempt = (channel: string) =>
      rest(harness.gateway, {
        method: 'POST',
        path: 'rest/bill',
        payload: {
          channel,
          total_fee: 66,
          bill_no: billNo,
          title: '晚到',
          return_url: 'https://s.example/r',
        },
      });
    const first = String((await attempt('WX_NATIVE')).json.id);
    const second = String((await attempt('UN_WEB')).json.id);
    const notify = (id: string) =>
      rest(harness.gateway, {
        method: 'GET',
        path: `rest/sandbox/notify/${harness.gateway.app.appId}/${id}`,
      });
    expect((await notify(first)).json.outcome).toBe('paid');
    expect((await query(`rest/bill/${second}`)).json).toMatchObject({ pay: { status: 'closed' } });
    expect((await notify(second)).json.outcome).toBe('late_payment');

    // The late refund is written, then sent to the channel and settled: wait until it is settled.
    let late: Record<string, unknown> | undefined;
    for (let tries = 0; tries < 200 && late?.finish !== true; tries += 1) {
      const listed = await query('rest/refunds', { bill_no: billNo });
      late = (listed.json.refunds as Record<string, unknown>[]).find((item) => item.late_payment === true);
      if (late?.finish !== true) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(late).toMatchObject({ refund_fee: 66, result: true, finish: true, sub_channel: 'UN_WEB' });
    expect((await query(`rest/bill/${second}`)).json).toMatchObject({ pay: { refund_result: true } });
    expect((await query(`rest/bill/${first}`)).json).toMatchObject({
      pay: { refund_result: false, status: 'paid' },
    });
    // The merchant's order stays paid and fully refundable: the late money was never theirs to refund.
    const merchantRefund = await refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 66 });
    expect(merchantRefund.json.result_code).toBe(0);
  });
});
