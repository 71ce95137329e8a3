/** Resending webhooks: the same message (id and body) goes out again, for one webhook or a whole transaction. */
import { describe, expect, it } from 'vitest';
import { billStatus, createBill, pressSandboxButton } from '../testing/gateway-harness.ts';
import { useGatewayWithReceiver } from '../testing/gateway-with-receiver.ts';
import { webhooksFor } from '../testing/webhook-receiver.ts';
import { listDeliveries, resendDeliveries, type DeliveryFilter } from './webhook-deliveries.ts';

const harness = useGatewayWithReceiver();

async function paidBillNo(): Promise<string> {
  const bill = await createBill(harness.gateway, 'ALI_WEB', { amount: 66 });
  await pressSandboxButton(`${harness.gateway.url}/sandbox/cashier/${bill.id}/pay`);
  return String((await billStatus(harness.gateway, bill.id)).bill_no);
}

function listWebhooks(filter: DeliveryFilter) {
  return listDeliveries(harness.gateway.ctx.store, filter, { skip: 0, limit: 20 });
}

function deliveriesOf(billNo: string) {
  return webhooksFor(harness.receiver, billNo);
}

describe('webhook resend', () => {
  it('sends a delivered webhook again with the same webhook-id and body', async () => {
    const billNo = await paidBillNo();
    await expect.poll(() => deliveriesOf(billNo).length).toBe(1);
    const [record] = await listWebhooks({
      appId: harness.gateway.app.appId,
      transactionId: billNo,
    });
    await expect
      .poll(async () => (await listWebhooks({ transactionId: billNo }))[0]?.status)
      .toBe('delivered');
    expect(record).toMatchObject({ transaction_type: 'PAY', transaction_id: billNo });

    expect(
      await resendDeliveries(harness.gateway.ctx.store, {
        webhookId: record!.id,
        appId: harness.gateway.app.appId,
      }),
    ).toEqual([record!.id]);
    harness.gateway.ctx.webhooks.wake();
    await expect.poll(() => deliveriesOf(billNo).length).toBe(2);
    const [first, second] = deliveriesOf(billNo);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(second!.body).toBe(first!.body);
    const [after] = await listWebhooks({ transactionId: billNo });
    await expect
      .poll(async () => (await listWebhooks({ transactionId: billNo }))[0]?.attempts.length)
      .toBe(2);
    expect(after!.id).toBe(record!.id);
  });

  it('resends every webhook of a transaction, and refuses another app’s webhook', async () => {
    const billNo = await paidBillNo();
    await expect.poll(() => deliveriesOf(billNo).length).toBe(1);
    const [record] = await listWebhooks({ transactionId: billNo });
    expect(
      await resendDeliveries(harness.gateway.ctx.store, { webhookId: record!.id, appId: 'someone-else' }),
    ).toEqual([]);
    expect(await resendDeliveries(harness.gateway.ctx.store, { webhookId: 'msg_nothing' })).toEqual([]);
    expect(
      await resendDeliveries(harness.gateway.ctx.store, {
        appId: harness.gateway.app.appId,
        transactionId: billNo,
      }),
    ).toEqual([record!.id]);
    harness.gateway.ctx.webhooks.wake();
    await expect.poll(() => deliveriesOf(billNo).length).toBe(2);
  });
});
