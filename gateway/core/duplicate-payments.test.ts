/**
 * Issue 21 item 10: a second payment (another channel trade number) for an attempt already paid was dropped
 * silently — the payer paid twice and nobody knew. Now it is recorded, flagged for refund, and listed.
 */
import { describe, expect, it } from 'vitest';
import { createBill, pressSandboxButton } from '../testing/gateway-harness.ts';
import { useGatewayWithReceiver } from '../testing/gateway-with-receiver.ts';

const harness = useGatewayWithReceiver();

describe('a second payment on a paid attempt', () => {
  it('is recorded once per trade number and flagged for refund; the same payment again is not', async () => {
    const { payments } = harness.gateway.ctx.core;
    const { duplicatePayments } = harness.gateway.ctx.store;
    const created = await createBill(harness.gateway, 'ALI_WEB', { amount: 300 });
    const first = await payments.bookChannelPayment(created.id, {
      tradeNo: 'TRADE-FIRST-1',
      totalFee: 300,
      paidAt: Date.now(),
      detail: { n: 1 },
    });
    expect(first?.outcome).toBe('paid');
    const again = await payments.bookChannelPayment(created.id, {
      tradeNo: 'TRADE-FIRST-1',
      totalFee: 300,
      paidAt: Date.now(),
      detail: { n: 1 },
    });
    expect(again?.outcome).toBe('already_paid');
    expect(await duplicatePayments.awaitingRefund()).not.toContainEqual(
      expect.objectContaining({ billId: created.id }),
    );

    for (let i = 0; i < 2; i += 1) {
      const second = await payments.bookChannelPayment(created.id, {
        tradeNo: 'TRADE-SECOND-2',
        totalFee: 300,
        paidAt: Date.now(),
        detail: { n: 2 },
      });
      expect(second?.outcome).toBe('already_paid');
    }
    const flagged = (await duplicatePayments.awaitingRefund()).filter((row) => row.billId === created.id);
    expect(flagged).toEqual([
      expect.objectContaining({
        billId: created.id,
        appId: harness.gateway.app.appId,
        tradeNo: 'TRADE-SECOND-2',
        totalFee: 300,
        refundRequired: true,
      }),
    ]);
    const bill = await payments.findBill(created.id);
    expect(bill).toMatchObject({ status: 'paid', tradeNo: 'TRADE-FIRST-1' });
  });

  it('does not happen when a payer presses pay twice on the sandbox cashier (one payment per trade, as at a channel)', async () => {
    const created = await createBill(harness.gateway, 'UN_WEB', { amount: 7 });
    expect(
      (await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${created.id}/pay`)).status,
    ).toBe(303);
    await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${created.id}/pay`);
    const flagged = (await harness.gateway.ctx.store.duplicatePayments.awaitingRefund()).filter(
      (row) => row.billId === created.id,
    );
    expect(flagged).toEqual([]);
    expect(await harness.gateway.ctx.core.payments.findBill(created.id)).toMatchObject({ status: 'paid' });
  });
});
