/**
 * The order rules over real HTTP: one order attempted on several channels, the first payment wins and closes the
 * other attempts, a late payment is recorded for refund and sends no second PAY webhook, the same bill_no with a
 * different amount or title is refused, a paid order takes no new attempt, and paying twice is idempotent.
 */
import { describe, expect, it } from 'vitest';
import {
  billStatus,
  createBill,
  newOrderNo,
  postJson,
  pressSandboxButton,
  signedOrder,
} from '../testing/gateway-harness.ts';
import { useGatewayWithReceiver } from '../testing/gateway-with-receiver.ts';
import { outboxDrained } from '../testing/outbox-drain.ts';
import { webhooksFor } from '../testing/webhook-receiver.ts';

// Only the core: the REST module would refund late payments by itself, which its own tests cover.
const harness = useGatewayWithReceiver({ modules: [] });

function status(id: string) {
  return billStatus(harness.gateway, id);
}

function webhooksOf(billNo: string) {
  return webhooksFor(harness.receiver, billNo);
}

describe('an order attempted on several channels', () => {
  it('is paid by the first attempt that is paid; the other attempts are closed', async () => {
    const billNo = newOrderNo();
    const qr = await createBill(harness.gateway, 'WX_NATIVE', { out_trade_no: billNo, amount: 300 });
    const ali = await createBill(harness.gateway, 'ALI_WEB', { out_trade_no: billNo, amount: 300 });
    const un = await createBill(harness.gateway, 'UN_WEB', { out_trade_no: billNo, amount: 300 });
    expect(new Set([qr.id, ali.id, un.id]).size).toBe(3);

    const paid = await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${ali.id}/pay`);
    expect(paid.status).toBe(303);
    expect(await status(ali.id)).toMatchObject({ status: 'paid', spay_result: true });
    expect(await status(qr.id)).toMatchObject({ status: 'closed', spay_result: false });
    expect(await status(un.id)).toMatchObject({ status: 'closed', spay_result: false });
    await expect.poll(() => webhooksOf(billNo).length).toBe(1);
  });

  it('a payment that arrives for a closed attempt is recorded for refund and sends no second PAY webhook', async () => {
    const billNo = newOrderNo();
    const first = await createBill(harness.gateway, 'ALI_WEB', { out_trade_no: billNo, amount: 250 });
    const second = await createBill(harness.gateway, 'WX_NATIVE', { out_trade_no: billNo, amount: 250 });
    await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${first.id}/pay`);
    await expect.poll(() => webhooksOf(billNo).length).toBe(1);

    // The payer had the QR code open on the phone and pays anyway.
    const late = await pressSandboxButton(`${harness.gateway.url}/sandbox/wx/scan/${second.id}/pay`);
    expect(late.text).toContain('款项将原路退回');
    expect(await status(second.id)).toMatchObject({ status: 'closed', spay_result: false });
    const row = await harness.gateway.ctx.store.bills.findBill(second.id);
    expect(row).toMatchObject({ status: 'closed', spayResult: true, refundRequired: true });
    expect(row?.tradeNo).toMatch(/^SANDBOX/);
    await outboxDrained(harness.gateway.ctx.store);
    expect(webhooksOf(billNo)).toHaveLength(1);
  });

  it('refuses the same bill_no with another amount or title, and a new attempt for a paid order', async () => {
    const billNo = newOrderNo();
    const bill = await createBill(harness.gateway, 'ALI_WEB', {
      out_trade_no: billNo,
      amount: 100,
      title: '原标题',
    });

    const otherAmount = await postJson(
      `${harness.gateway.url}/2/rest/jsbutton/UN_WEB`,
      signedOrder(harness.gateway.app, { out_trade_no: billNo, amount: 101, title: '原标题' }),
    );
    expect(otherAmount.json).toMatchObject({ result_code: 17, result_msg: 'BILL_NO_DUPLICATE' });
    expect(String(otherAmount.json.err_detail)).toMatch(/^amount: /);

    const otherTitle = await postJson(
      `${harness.gateway.url}/2/rest/jsbutton/UN_WEB`,
      signedOrder(harness.gateway.app, { out_trade_no: billNo, amount: 100, title: '新标题' }),
    );
    expect(otherTitle.json).toMatchObject({ result_code: 17, result_msg: 'BILL_NO_DUPLICATE' });
    expect(String(otherTitle.json.err_detail)).toMatch(/^title: /);

    await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${bill.id}/pay`);
    const afterPaid = await postJson(
      `${harness.gateway.url}/2/rest/jsbutton/UN_WEB`,
      signedOrder(harness.gateway.app, { out_trade_no: billNo, amount: 100, title: '原标题' }),
    );
    expect(afterPaid.json).toMatchObject({ result_code: 17 });
    expect(String(afterPaid.json.err_detail)).toMatch(/^out_trade_no: .*already paid/);
  });

  it('paying the same attempt twice changes nothing the second time', async () => {
    const billNo = newOrderNo();
    const bill = await createBill(harness.gateway, 'ALI_WEB', { out_trade_no: billNo, amount: 700 });
    const once = await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${bill.id}/pay`);
    const first = await status(bill.id);
    const twice = await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${bill.id}/pay`);
    expect(twice.status).toBe(303);
    expect(new URL(String(twice.location)).searchParams.get('trade_no')).toBe(
      new URL(String(once.location)).searchParams.get('trade_no'),
    );
    expect(await status(bill.id)).toEqual(first);
    await outboxDrained(harness.gateway.ctx.store);
    expect(webhooksOf(billNo)).toHaveLength(1);
  });

  it('a cancelled attempt is closed for good: it cannot be reopened, and other attempts still work', async () => {
    const billNo = newOrderNo();
    const ali = await createBill(harness.gateway, 'ALI_WEB', { out_trade_no: billNo });
    const cancel = await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${ali.id}/cancel`);
    expect(cancel.location).toBe(`/1/pay/jsbutton/result/${ali.id}?outcome=cancelled`);
    expect(await status(ali.id)).toMatchObject({ status: 'closed' });
    const cashier = await (await fetch(`${harness.gateway.url}/sandbox/cashier/${ali.id}`)).text();
    expect(cashier).toContain('订单已关闭');
    expect(cashier).not.toContain('/pay"');
    const un = await createBill(harness.gateway, 'UN_WEB', { out_trade_no: billNo });
    await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${un.id}/pay`);
    expect(await status(un.id)).toMatchObject({ status: 'paid' });
    expect(await status(ali.id)).toMatchObject({ status: 'closed' });
  });

  it('支付失败 leaves the attempt open so the payer can try again', async () => {
    const bill = await createBill(harness.gateway, 'ALI_WAP');
    const failed = await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${bill.id}/fail`);
    expect(failed.location).toBe(`/1/pay/jsbutton/result/${bill.id}?outcome=failed`);
    const page = await (await fetch(`${harness.gateway.url}${failed.location}`)).text();
    expect(page).toContain('支付失败');
    expect(page).toContain(`/sandbox/cashier/${bill.id}`);
    expect(await status(bill.id)).toMatchObject({ status: 'open', spay_result: false });
  });

  it('two attempts paid at the same moment: exactly one pays the order, the other is recorded for refund', async () => {
    const billNo = newOrderNo();
    const attempts = await Promise.all(
      ['ALI_WEB', 'UN_WEB', 'ALI_WAP', 'UN_WAP'].map((channel) =>
        createBill(harness.gateway, channel, { out_trade_no: billNo }),
      ),
    );
    await Promise.all(
      attempts.map((bill) => pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${bill.id}/pay`)),
    );
    const statuses = await Promise.all(attempts.map((bill) => status(bill.id)));
    expect(statuses.filter((pay) => pay.status === 'paid')).toHaveLength(1);
    expect(statuses.filter((pay) => pay.status === 'closed')).toHaveLength(3);
    const { appId, mode } = harness.gateway.app;
    const all = await harness.gateway.ctx.store.bills.attemptsOf(appId, mode, billNo);
    expect(all.filter((bill) => bill.refundRequired)).toHaveLength(3);
    await outboxDrained(harness.gateway.ctx.store);
    expect(webhooksOf(billNo)).toHaveLength(1);
  });
});
