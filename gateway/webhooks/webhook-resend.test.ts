/** Resending webhooks: the same message (id and body) goes out again, for one webhook or a whole transaction. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBill,
  pressSandboxButton,
  startTestGateway,
  type TestGateway,
} from '../testing/gateway-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';
import { listDeliveries, resendDeliveries, type DeliveryFilter } from './webhook-deliveries.ts';

let gateway: TestGateway;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  gateway = await startTestGateway({ app: { webhookUrl: receiver.url } });
});

afterAll(async () => {
  await gateway?.close();
  await receiver?.close();
});

async function paidBillNo(): Promise<string> {
  const bill = await createBill(gateway, 'ALI_WEB', { amount: 66 });
  await pressSandboxButton(`${gateway.url}/sandbox/cashier/${bill.id}/pay`);
  const status = (await (await fetch(`${gateway.url}/2/rest/bill_public/${bill.id}`)).json()) as {
    pay: { bill_no: string };
  };
  return status.pay.bill_no;
}

function listWebhooks(filter: DeliveryFilter) {
  return listDeliveries(gateway.ctx.store.db, filter, { skip: 0, limit: 20 });
}

function deliveriesOf(billNo: string) {
  return receiver.received.filter(
    (w) => (JSON.parse(w.body) as { transaction_id: string }).transaction_id === billNo,
  );
}

describe('webhook resend', () => {
  it('sends a delivered webhook again with the same webhook-id and body', async () => {
    const billNo = await paidBillNo();
    await expect.poll(() => deliveriesOf(billNo).length).toBe(1);
    const [record] = await listWebhooks({
      appId: gateway.app.appId,
      transactionId: billNo,
    });
    await expect
      .poll(async () => (await listWebhooks({ transactionId: billNo }))[0]?.status)
      .toBe('delivered');
    expect(record).toMatchObject({ transaction_type: 'PAY', transaction_id: billNo });

    expect(
      await resendDeliveries(gateway.ctx.store.db, { webhookId: record!.id, appId: gateway.app.appId }),
    ).toEqual([record!.id]);
    gateway.ctx.webhooks.wake();
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
      await resendDeliveries(gateway.ctx.store.db, { webhookId: record!.id, appId: 'someone-else' }),
    ).toEqual([]);
    expect(await resendDeliveries(gateway.ctx.store.db, { webhookId: 'msg_nothing' })).toEqual([]);
    expect(
      await resendDeliveries(gateway.ctx.store.db, { appId: gateway.app.appId, transactionId: billNo }),
    ).toEqual([record!.id]);
    gateway.ctx.webhooks.wake();
    await expect.poll(() => deliveriesOf(billNo).length).toBe(2);
  });
});
