/**
 * The rules that read and then write, raced: many requests at once, spread over several gateway instances on one
 * database (PostgreSQL under `npm run test:postgres`, where the rows are locked; one gateway on SQLite, which
 * writes one transaction at a time). Refunds never sum past what was paid, and one order is paid once however
 * many of its attempts are paid at the same moment. A payer's status stream is pushed whatever instance serves
 * it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBillNo, newRefundNo, rest } from '../rest/testing/rest-caller.ts';
import { openEventStream } from '../testing/event-stream.ts';
import { createBill, pressSandboxButton, type TestGateway } from '../testing/gateway-harness.ts';
import { startGatewayInstances } from '../testing/gateway-instances.ts';
import { startWebhookReceiver, webhooksFor, type WebhookReceiver } from '../testing/webhook-receiver.ts';

let instances: TestGateway[];
let close: () => Promise<void>;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  ({ instances, close } = await startGatewayInstances(3, {
    app: { webhookUrl: receiver.url },
    rateLimit: false,
  }));
});

afterAll(async () => {
  await close?.();
  await receiver?.close();
});

/** The instance a load balancer would pick for request number `index`. */
function instance(index: number): TestGateway {
  return instances[index % instances.length]!;
}

async function createRestBill(gateway: TestGateway, billNo: string, channel: string, totalFee: number) {
  const made = await rest(gateway, {
    method: 'POST',
    path: 'rest/bill',
    payload: {
      channel,
      bill_no: billNo,
      total_fee: totalFee,
      title: '并发',
      return_url: 'https://s.example/r',
    },
  });
  expect(made.json.result_code).toBe(0);
  return String(made.json.id);
}

function sandboxPay(gateway: TestGateway, billId: string) {
  return rest(gateway, { method: 'GET', path: `rest/sandbox/notify/${gateway.app.appId}/${billId}` });
}

describe('racing requests on one order', () => {
  it('refunds exactly what was paid when 50 refunds of one bill, together past its amount, arrive at once', async () => {
    const billNo = newBillNo();
    const billId = await createRestBill(instance(0), billNo, 'WX_NATIVE', 1000);
    expect((await sandboxPay(instance(0), billId)).json.outcome).toBe('paid');

    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        rest(instance(index), {
          method: 'POST',
          path: 'rest/refund',
          secret: 'masterSecret',
          payload: { refund_no: newRefundNo(), bill_no: billNo, refund_fee: 40 },
        }),
      ),
    );
    const codes = answers.map((answer) => answer.json.result_code);
    // 25 × 40 fen = the 1000 paid; every other request is refused as too large (REFUND_FEE_INVALID, 12).
    expect(codes.filter((code) => code === 0)).toHaveLength(25);
    expect(codes.filter((code) => code === 12)).toHaveLength(25);

    const listed = await rest(instance(1), {
      method: 'GET',
      path: 'rest/refunds',
      payload: { bill_no: billNo, limit: 50 },
    });
    const refunds = listed.json.refunds as Array<{ refund_fee: number; result: boolean }>;
    expect(refunds).toHaveLength(25);
    expect(refunds.reduce((sum, refund) => sum + refund.refund_fee, 0)).toBe(1000);
    expect(refunds.every((refund) => refund.result)).toBe(true);
    await expect
      .poll(
        () =>
          receiver.received.filter((webhook) => {
            const body = JSON.parse(webhook.body) as { transaction_type: string; bill_no?: string };
            return body.transaction_type === 'REFUND' && body.bill_no === billNo;
          }).length,
        { timeout: 15_000 },
      )
      .toBe(25);
  });

  it('books one payment when the same bill_no is paid on several channels at once', async () => {
    const channels = ['WX_NATIVE', 'ALI_WEB', 'UN_WEB', 'WX_NATIVE', 'ALI_WEB', 'UN_WEB'];
    for (let round = 0; round < 3; round += 1) {
      const billNo = newBillNo();
      const ids: string[] = [];
      for (const [index, channel] of channels.entries()) {
        ids.push(await createRestBill(instance(index), billNo, channel, 300));
      }
      const outcomes = await Promise.all(
        ids.map(async (id, index) => (await sandboxPay(instance(index + round), id)).json.outcome),
      );
      expect(outcomes.filter((outcome) => outcome === 'paid')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === 'late_payment')).toHaveLength(channels.length - 1);

      const { appId, mode } = instance(0).app;
      const attempts = await instance(2).ctx.store.bills.attemptsOf(appId, mode, billNo);
      expect(attempts.filter((bill) => bill.status === 'paid')).toHaveLength(1);
      expect(attempts.filter((bill) => bill.status === 'closed' && bill.refundRequired)).toHaveLength(
        channels.length - 1,
      );
      const order = await instance(1).ctx.store.bills.findOrder(appId, mode, billNo);
      expect(order).toMatchObject({
        status: 'paid',
        paidBillId: attempts.find((b) => b.status === 'paid')?.id,
      });
      await expect.poll(() => webhooksFor(receiver, billNo).length).toBe(1);
    }
  });

  it('opens no new attempt on an order another instance is paying at that moment', async () => {
    for (let round = 0; round < 3; round += 1) {
      const billNo = newBillNo();
      const first = await createRestBill(instance(0), billNo, 'WX_NATIVE', 200);
      const [paid, ...created] = await Promise.all([
        sandboxPay(instance(1), first),
        ...Array.from({ length: 6 }, (_, index) =>
          rest(instance(index), {
            method: 'POST',
            path: 'rest/bill',
            payload: {
              channel: 'UN_WEB',
              bill_no: billNo,
              total_fee: 200,
              title: '并发',
              return_url: 'https://s.example/r',
            },
          }),
        ),
      ]);
      expect(paid!.json.outcome).toBe('paid');
      const { appId, mode } = instance(0).app;
      const attempts = await instance(0).ctx.store.bills.attemptsOf(appId, mode, billNo);
      // Attempts made before the payment are closed by it; none made after it exists (they were refused).
      expect(attempts.filter((bill) => bill.status === 'open')).toHaveLength(0);
      expect(attempts).toHaveLength(1 + created.filter((answer) => answer.json.result_code === 0).length);
    }
  });
});

describe("the payer's status stream", () => {
  it('is pushed the payment whatever instance the payment arrived at', async () => {
    const bill = await createBill(instance(0), 'ALI_WEB', { amount: 150 });
    const stream = await openEventStream(`${instance(1).url}/2/rest/bill_public/${bill.id}/events`);
    try {
      const [opened] = await stream.waitFor(1);
      expect(JSON.parse(opened!.data)).toMatchObject({ id: bill.id, status: 'open' });
      const paid = await pressSandboxButton(`${instance(2).url}/sandbox/cashier/${bill.id}/pay`);
      expect(paid.status).toBe(303);
      const [, pushed] = await stream.waitFor(2, 5000);
      expect(JSON.parse(pushed!.data)).toMatchObject({ id: bill.id, status: 'paid', spay_result: true });
    } finally {
      stream.close();
    }
  });
});
