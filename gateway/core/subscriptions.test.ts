/**
 * The subscription scheduler across a simulated month (the core's clock is injected): a daily plan and four
 * subscribers — a card that always pays, one whose every charge is declined once and paid on the retry, one
 * always declined (retried, then failed, the subscription past_due), one cancelled at period end — with two
 * scheduler passes racing at every step. Every period is charged exactly once, each settled charge is announced
 * by one PAY webhook (BC_SUBSCRIPTION) in the outbox. Runs on SQLite and, under `npm run test:postgres`, on
 * PostgreSQL.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WebhookBody } from '../../sdk/webhook.ts';
import { rest } from '../rest/testing/rest-caller.ts';
import type { SubscriptionCharge } from '../subscriptions/subscription.ts';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { SANDBOX_SMS_CODE } from './subscriptions.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const start = Date.now();
let clock = start;
let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway({
    now: () => clock,
    // The timer never fires during the test: the test runs the scheduler's passes itself, step by step.
    subscriptions: { reviewMs: 1000, passMs: 3_600_000 },
    app: { webhookUrl: 'http://127.0.0.1:9/webhook' },
  });
});

afterAll(async () => {
  await gateway?.close();
});

async function subscribe(planId: string, cardNo: string): Promise<string> {
  const sms = await rest(gateway, { method: 'POST', path: 'sms', payload: { phone: '13800138000' } });
  const answer = await rest(gateway, {
    method: 'POST',
    path: 'subscription',
    payload: {
      buyer_id: `buyer-${cardNo.slice(-4)}`,
      plan_id: planId,
      bank_name: '中国工商银行',
      card_no: cardNo,
      id_name: '张三',
      id_no: '110105199003071239',
      mobile: '13800138000',
      sms_id: sms.json.sms_id,
      sms_code: SANDBOX_SMS_CODE,
      amount: cardNo.endsWith('0003') ? 2 : 1,
    },
  });
  expect(answer.json.result_code).toBe(0);
  return (answer.json.subscription as { id: string }).id;
}

async function chargesOf(id: string): Promise<SubscriptionCharge[]> {
  return gateway.ctx.store.subscriptions.chargesOf(id);
}

async function statusOf(id: string): Promise<string> {
  const found = await gateway.ctx.store.subscriptions.findSubscriptionById(id);
  return found?.status ?? 'missing';
}

it('charges every period of a month once, retries declined charges, then marks the subscription past due', async () => {
  const plan = await rest(gateway, {
    method: 'POST',
    path: 'plan',
    payload: { name: '每日订阅', fee: 100, interval: 'day' },
  });
  const planId = (plan.json.plan as { id: string }).id;
  const paying = await subscribe(planId, '6222021000000080001');
  const retried = await subscribe(planId, '6222021000000060003');
  const declined = await subscribe(planId, '6222021000000070002');
  const leaving = await subscribe(planId, '6222021000000080001');
  expect(await statusOf(paying)).toBe('pending');

  // 30 days in hourly steps (the review ends in the first step); two passes race at every step.
  for (let hour = 0; hour <= 30 * 24; hour += 1) {
    clock = start + 1000 + hour * HOUR;
    const passes = await Promise.all([
      gateway.ctx.core.subscriptions.runScheduler(),
      gateway.ctx.core.subscriptions.runScheduler(),
    ]);
    expect(passes).toHaveLength(2);
    if (hour === 10 * 24) {
      const cancel = await rest(gateway, {
        method: 'DELETE',
        path: `subscription/${leaving}`,
        payload: { at_period_end: true },
        plainQuery: true,
      });
      expect(cancel.json.result_code).toBe(0);
    }
  }

  const payingCharges = await chargesOf(paying);
  expect(payingCharges.map((charge) => charge.period)).toEqual([...Array(31).keys()]);
  expect(
    payingCharges.every((charge) => charge.status === 'paid' && charge.tries === 1 && charge.fee === 100),
  ).toBe(true);
  // Periods follow the calendar from the anchor (the subscription's creation: no trial).
  expect(payingCharges[5]!.periodStart - payingCharges[0]!.periodStart).toBe(5 * DAY);
  expect(await statusOf(paying)).toBe('active');

  const retriedCharges = await chargesOf(retried);
  expect(retriedCharges).toHaveLength(31);
  expect(retriedCharges.slice(0, 30).every((charge) => charge.status === 'paid' && charge.tries === 2)).toBe(
    true,
  );
  expect(retriedCharges[30]).toMatchObject({ status: 'pending', tries: 1, fee: 200 });
  expect(await statusOf(retried)).toBe('active');

  const declinedCharges = await chargesOf(declined);
  expect(declinedCharges).toHaveLength(31);
  // Three tries (at the period's start, 1 h and 25 h later), then failed for good.
  expect(
    declinedCharges.slice(0, 29).every((charge) => charge.status === 'failed' && charge.tries === 3),
  ).toBe(true);
  expect(declinedCharges[29]).toMatchObject({ status: 'pending', tries: 2 });
  expect(declinedCharges[30]).toMatchObject({ status: 'pending', tries: 1 });
  expect(await statusOf(declined)).toBe('past_due');

  // Cancelled at the end of period 10: periods 0-10 were charged, none after.
  expect((await chargesOf(leaving)).map((charge) => charge.period)).toEqual([...Array(11).keys()]);
  expect(await statusOf(leaving)).toBe('canceled');

  // One PAY webhook per settled charge, none for the pending ones.
  const rows = await gateway.ctx.store.outbox.all({ appId: gateway.app.appId, transactionType: 'PAY' });
  const bodies = rows.map((row) => JSON.parse(row.body) as WebhookBody);
  const announced = (id: string, success: boolean) =>
    bodies.filter(
      (body) =>
        body.sub_channel_type === 'BC_SUBSCRIPTION' &&
        (body.message_detail as { subscription_id: string }).subscription_id === id &&
        body.trade_success === success,
    );
  expect(announced(paying, true)).toHaveLength(31);
  expect(announced(retried, true)).toHaveLength(30);
  expect(announced(declined, false)).toHaveLength(29);
  expect(announced(declined, true)).toHaveLength(0);
  expect(new Set(bodies.map((body) => body.transaction_id)).size).toBe(bodies.length);
  expect(announced(paying, true)[0]).toMatchObject({ channel_type: 'BC', transaction_fee: 100 });

  // A cancelled subscription's pending charges stop.
  await rest(gateway, { method: 'DELETE', path: `subscription/${declined}`, plainQuery: true });
  const stopped = await chargesOf(declined);
  expect(stopped.filter((charge) => charge.status === 'pending')).toHaveLength(0);
  expect(stopped.filter((charge) => charge.status === 'canceled')).toHaveLength(2);
}, 120_000);

it('expires SMS passcodes on the core clock', async () => {
  const sms = await rest(gateway, { method: 'POST', path: 'sms', payload: { phone: '13800138000' } });
  const plan = await rest(gateway, {
    method: 'POST',
    path: 'plan',
    payload: { name: 'p', fee: 1, interval: 'week' },
  });
  clock += 5 * 60_000 + 1;
  const answer = await rest(gateway, {
    method: 'POST',
    path: 'subscription',
    payload: {
      buyer_id: 'late',
      plan_id: (plan.json.plan as { id: string }).id,
      bank_name: '中国工商银行',
      card_no: '6222021000000080001',
      id_name: '张三',
      id_no: '110105199003071239',
      mobile: '13800138000',
      sms_id: sms.json.sms_id,
      sms_code: SANDBOX_SMS_CODE,
    },
  });
  expect(answer.json.result_code).toBe(5);
  expect(answer.json.err_detail).toBe('sms_id: has expired: send a new one');
});
