/** Webhook deliveries over the REST API: the list with attempts, and resending (spay additions). */
import { expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { useGatewayWithReceiver } from '../testing/gateway-with-receiver.ts';
import { newBillNo, paidRestBill, rest } from './testing/rest-caller.ts';

const harness = useGatewayWithReceiver();

async function paidBill(target: TestGateway): Promise<string> {
  return (await paidRestBill(target, { total_fee: 9, title: 'hook' })).billNo;
}

async function deliveries(transactionId: string, status?: string) {
  for (let tries = 0; tries < 400; tries += 1) {
    const answer = await rest(harness.gateway, {
      method: 'GET',
      path: 'rest/webhooks',
      payload: { transaction_id: transactionId },
    });
    const webhooks = answer.json.webhooks as Record<string, unknown>[];
    if (status === undefined || webhooks.every((webhook) => webhook.status === status)) return webhooks;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`deliveries of ${transactionId} never became ${status}`);
}

it('lists deliveries with their attempts and resends one with the same webhook-id', async () => {
  const billNo = await paidBill(harness.gateway);
  await harness.receiver.waitFor(1);
  const [delivered] = await deliveries(billNo, 'delivered');
  expect(delivered).toMatchObject({
    transaction_type: 'PAY',
    transaction_id: billNo,
    target_url: harness.receiver.url,
  });
  expect(delivered.attempts).toMatchObject([{ http_status: 200, response_excerpt: 'success', error: null }]);

  const resent = await rest(harness.gateway, {
    method: 'POST',
    path: 'rest/webhook/resend',
    secret: 'masterSecret',
    payload: { transaction_id: billNo, transaction_type: 'PAY' },
  });
  expect(resent.json).toMatchObject({ result_code: 0, count: 1 });
  const [first, second] = await harness.receiver.waitFor(2);
  expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
  expect(second.body).toBe(first.body);
  const [again] = await deliveries(billNo, 'delivered');
  expect((again.attempts as unknown[]).length).toBe(2);
});

it('refuses resends that are unsigned by the master secret, unknown, or have nowhere to go', async () => {
  const wrongSecret = await rest(harness.gateway, {
    method: 'POST',
    path: 'rest/webhook/resend',
    secret: 'appSecret',
    payload: { transaction_id: 'x' },
  });
  expect(wrongSecret.json).toMatchObject({ result_code: 1 });
  expect(String(wrongSecret.json.err_detail)).toMatch(/^app_sign: /);

  const nothing = await rest(harness.gateway, {
    method: 'POST',
    path: 'rest/webhook/resend',
    secret: 'masterSecret',
  });
  expect(nothing.json).toMatchObject({ result_code: 4 });
  expect(String(nothing.json.err_detail)).toMatch(/^transaction_id: /);

  const unknown = await rest(harness.gateway, {
    method: 'POST',
    path: 'rest/webhook/resend',
    secret: 'masterSecret',
    payload: { transaction_id: newBillNo() },
  });
  expect(unknown.json).toMatchObject({ result_code: 8, result_msg: 'NO_SUCH_BILL' });
  expect(String(unknown.json.err_detail)).toMatch(/^transaction_id: /);

  const badType = await rest(harness.gateway, {
    method: 'GET',
    path: 'rest/webhooks',
    payload: { transaction_type: 'PAYOUT' },
  });
  expect(badType.json).toMatchObject({ result_code: 5 });
  expect(String(badType.json.err_detail)).toMatch(/^transaction_type: /);

  const silent = await startTestGateway();
  try {
    const billNo = await paidBill(silent);
    const listed = await rest(silent, {
      method: 'GET',
      path: 'rest/webhooks',
      payload: { transaction_id: billNo },
    });
    expect(listed.json).toMatchObject({ count: 1, webhooks: [{ status: 'no_endpoint' }] });
    const resend = await rest(silent, {
      method: 'POST',
      path: 'rest/webhook/resend',
      secret: 'masterSecret',
      payload: { transaction_id: billNo },
    });
    expect(resend.json).toMatchObject({ result_code: 5 });
    expect(String(resend.json.err_detail)).toMatch(/^webhook_url: /);
    const unchanged = await rest(silent, {
      method: 'GET',
      path: 'rest/webhooks',
      payload: { transaction_id: billNo },
    });
    expect(unchanged.json).toMatchObject({ webhooks: [{ status: 'no_endpoint' }] });
  } finally {
    await silent.close();
  }
});
