/**
 * Reconciliation: a sandbox payment whose notify is lost (the sandbox's dropNotifies fault) still ends in a paid
 * bill — found by asking the channel (`queryPayment`) — and exactly one webhook, even when the lost notify turns
 * up later and reconciliation runs again.
 */
import { describe, expect, it } from 'vitest';
import { billStatus, createBill, pressSandboxButton } from '../testing/gateway-harness.ts';
import { useGatewayWithReceiver } from '../testing/gateway-with-receiver.ts';

const harness = useGatewayWithReceiver({ timings: { reconcileAfterMs: 1500, reconcilePassMs: 50 } });

describe('reconciliation', () => {
  it('books a payment whose notify was dropped, by query, with exactly one webhook', async () => {
    const { gateway, receiver } = harness;
    const sandbox = gateway.ctx.core.registry.sandbox;
    const bill = await createBill(gateway, 'ALI_WEB', { amount: 321 });
    sandbox.faults.dropNotifies = true;
    try {
      const pressed = await pressSandboxButton(`${gateway.url}/sandbox/cashier/${bill.id}/pay`);
      expect(pressed.status).toBe(303);
      // The payer paid at the channel, but the gateway heard nothing.
      expect(await billStatus(gateway, bill.id)).toMatchObject({ status: 'open', spay_result: false });
    } finally {
      sandbox.faults.dropNotifies = false;
    }

    await expect
      .poll(async () => (await billStatus(gateway, bill.id)).status, { timeout: 10_000 })
      .toBe('paid');
    const billNo = String((await billStatus(gateway, bill.id)).bill_no);
    await expect
      .poll(() => receiver.received.filter((w) => JSON.parse(w.body).transaction_id === billNo).length, {
        timeout: 10_000,
      })
      .toBe(1);

    // The lost notify arrives after all, and reconciliation runs again: nothing is booked twice.
    const again = await pressSandboxButton(`${gateway.url}/sandbox/cashier/${bill.id}/pay`);
    expect(again.status).toBe(303);
    await gateway.ctx.core.reconciliation.runOnce();
    const payWebhooks = await gateway.ctx.store.outbox.all({ transactionType: 'PAY', transactionId: billNo });
    expect(payWebhooks).toHaveLength(1);
    const [webhook] = receiver.received.filter((w) => JSON.parse(w.body).transaction_id === billNo);
    expect(JSON.parse(webhook!.body)).toMatchObject({ transaction_fee: 321, sub_channel_type: 'ALI_WEB' });
  });

  it('asks again later, backing off, about an attempt nobody paid', async () => {
    const { gateway } = harness;
    const bill = await createBill(gateway, 'UN_WEB', { amount: 50 });
    const reconciliation = gateway.ctx.core.reconciliation;
    await expect
      .poll(async () => (await gateway.ctx.store.bills.findBill(bill.id))?.reconcileCount ?? 0, {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(1);
    expect(await billStatus(gateway, bill.id)).toMatchObject({ status: 'open' });
    expect(reconciliation.nextDelayMs(1)).toBe(3000);
    expect(reconciliation.nextDelayMs(2)).toBe(6000);
    expect(reconciliation.nextDelayMs(40)).toBe(30 * 60_000);
  });
});
