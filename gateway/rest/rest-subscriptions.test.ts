/**
 * The subscription API and card-factor auth over real HTTP, as BeeCloud's SDKs call them: plans CRUD and
 * queries (count_only), supported banks, SMS passcodes (the sandbox's documented code, one use, tries), subscribing
 * with a new card (pending → the sandbox bank's review → SUBSCRIPTION webhook) or a confirmed card_id (valid at
 * once), cancelling, queries; /2/auth with the sandbox bank's test identities; bad input names its field.
 */
import { describe, expect, it } from 'vitest';
import { verifyWebhook, type WebhookBody } from '../../sdk/webhook.ts';
import { SANDBOX_SMS_CODE } from '../core/subscriptions.ts';
import { startTestGateway, testApp } from '../testing/gateway-harness.ts';
import { useGatewayWithReceiver } from '../testing/gateway-with-receiver.ts';
import { webhooksFor } from '../testing/webhook-receiver.ts';
import { rest, type RestAnswer } from './testing/rest-caller.ts';

const harness = useGatewayWithReceiver({ subscriptions: { reviewMs: 30, passMs: 20 } });

const ZHANG = {
  bank_name: '中国工商银行',
  card_no: '6222021000000080001',
  id_name: '张三',
  id_no: '110105199003071239',
  mobile: '13800138000',
};

function call(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  payload: Record<string, unknown> = {},
) {
  return rest(harness.gateway, { method, path, payload, plainQuery: method !== 'POST' && method !== 'PUT' });
}

function expectRefused(answer: RestAnswer, code: number, field: string): void {
  expect(answer.status).toBe(200);
  expect(answer.json.result_code).toBe(code);
  expect(String(answer.json.err_detail)).toMatch(new RegExp(`^${field}: `));
}

async function newPlan(overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const answer = await call('POST', 'plan', { name: '月度会员', fee: 1500, interval: 'month', ...overrides });
  expect(answer.json.result_code).toBe(0);
  return answer.json.plan as Record<string, unknown>;
}

async function passcode(phone = ZHANG.mobile): Promise<string> {
  const answer = await call('POST', 'sms', { phone });
  expect(answer.json.result_code).toBe(0);
  return answer.json.sms_id as string;
}

describe('plans', () => {
  it('creates, reads, updates, lists, counts and deletes a plan', async () => {
    const plan = await newPlan({ interval_count: 3, trial_days: 7, optional: { tier: 'gold' } });
    expect(plan).toMatchObject({
      object_type: 'plan',
      name: '月度会员',
      fee: 1500,
      interval: 'month',
      interval_count: 3,
      currency: 'CNY',
      trial_days: 7,
      optional: { tier: 'gold' },
      valid: true,
    });
    const read = await call('GET', `plan/${String(plan.id)}`);
    expect(read.json.plan).toEqual(plan);

    const renamed = await call('PUT', `plan/${String(plan.id)}`, { name: '季度会员' });
    expect(renamed.json).toMatchObject({ result_code: 0, id: plan.id });
    const byName = await call('GET', 'plan', { name_with_substring: '季度' });
    expect((byName.json.plans as Array<{ id: string }>).map((p) => p.id)).toContain(plan.id);
    const count = await call('GET', 'plan', { name_with_substring: '季度', count_only: 'True' });
    expect(count.json).toMatchObject({ result_code: 0, total_count: 1 });
    // The SDKs' para form is read too.
    const viaPara = await rest(harness.gateway, {
      method: 'GET',
      path: 'plan',
      payload: { interval: 'month', interval_count: 3, count_only: true },
    });
    expect(viaPara.json.total_count).toBe(1);

    const deleted = await call('DELETE', `plan/${String(plan.id)}`);
    expect(deleted.json).toMatchObject({ result_code: 0, id: plan.id });
    expectRefused(await call('GET', `plan/${String(plan.id)}`), 5, 'plan_id');
    expectRefused(await call('DELETE', `plan/${String(plan.id)}`), 5, 'plan_id');
  });

  it('refuses bad plans, naming the field', async () => {
    expectRefused(await call('POST', 'plan', { fee: 1, interval: 'month' }), 4, 'name');
    expectRefused(await call('POST', 'plan', { name: 'x', interval: 'month' }), 4, 'fee');
    expectRefused(await call('POST', 'plan', { name: 'x', fee: -1, interval: 'month' }), 5, 'fee');
    expectRefused(await call('POST', 'plan', { name: 'x', fee: 1.5, interval: 'month' }), 5, 'fee');
    expectRefused(await call('POST', 'plan', { name: 'x', fee: 1, interval: 'hour' }), 5, 'interval');
    expectRefused(
      await call('POST', 'plan', { name: 'x', fee: 1, interval: 'month', interval_count: 13 }),
      5,
      'interval_count',
    );
    expectRefused(
      await call('POST', 'plan', { name: 'x', fee: 1, interval: 'day', currency: 'USD' }),
      5,
      'currency',
    );
    expectRefused(
      await call('POST', 'plan', { name: 'x', fee: 1, interval: 'day', trial_days: -2 }),
      5,
      'trial_days',
    );
    expectRefused(await call('PUT', 'plan/no-such-plan', { name: 'y' }), 5, 'plan_id');
    expectRefused(await call('GET', 'plan', { count_only: 'maybe' }), 5, 'count_only');
    // A well-formed plan signed with the wrong secret (the schema checks the fields before the signature).
    const unsigned = await rest(harness.gateway, {
      method: 'POST',
      path: 'plan',
      payload: { name: 'x', fee: 1, interval: 'day' },
      secret: 'masterSecret',
    });
    expectRefused(unsigned, 1, 'app_sign');
  });
});

describe('banks and SMS passcodes', () => {
  it('lists the supported banks, the common ones first', async () => {
    const answer = await call('GET', 'subscription_banks');
    expect(answer.json.result_code).toBe(0);
    expect(answer.json.common_banks).toContain('招商银行');
    expect(answer.json.banks).toEqual(expect.arrayContaining(answer.json.common_banks as string[]));
    const unsigned = await rest(harness.gateway, {
      method: 'GET',
      path: 'subscription_banks',
      unsigned: true,
      plainQuery: true,
    });
    expectRefused(unsigned, 4, 'app_id');
  });

  it('gives an sms_id for a mobile number and refuses anything else', async () => {
    expect(await passcode()).toMatch(/^sms_[0-9a-f]{32}$/);
    expectRefused(await call('POST', 'sms', {}), 4, 'phone');
    expectRefused(await call('POST', 'sms', { phone: '12345' }), 5, 'phone');
  });

  it('refuses SMS, subscriptions and auth for a live app (no bank behind spay)', async () => {
    const live = await startTestGateway({ app: { mode: 'live' } });
    try {
      const answer = await rest(live, {
        method: 'POST',
        path: 'sms',
        payload: { phone: ZHANG.mobile },
        secret: 'appSecret',
      });
      expectRefused(answer, 2, 'channel');
      const auth = await rest(live, {
        method: 'POST',
        path: 'auth',
        payload: { name: ZHANG.id_name, id_no: ZHANG.id_no },
        secret: 'appSecret',
      });
      expectRefused(auth, 2, 'channel');
    } finally {
      await live.close();
    }
  });
});

describe('subscriptions', () => {
  it('subscribes a new card: pending, then the review passes by a SUBSCRIPTION webhook; the card_id then subscribes at once', async () => {
    const plan = await newPlan({ trial_days: 3 });
    const smsId = await passcode();
    const answer = await call('POST', 'subscription', {
      buyer_id: 'buyer-1@example.com',
      plan_id: plan.id,
      ...ZHANG,
      sms_id: smsId,
      sms_code: SANDBOX_SMS_CODE,
      amount: 2,
      optional: { order: 'A1' },
    });
    expect(answer.json.result_code).toBe(0);
    const subscription = answer.json.subscription as Record<string, unknown>;
    expect(subscription).toMatchObject({
      object_type: 'subscription',
      buyer_id: 'buyer-1@example.com',
      plan_id: plan.id,
      bank_name: '中国工商银行',
      last4: '0001',
      amount: 2,
      status: 'pending',
      valid: false,
    });
    expect(JSON.stringify(subscription)).not.toContain(ZHANG.card_no);
    expect(JSON.stringify(subscription)).not.toContain(ZHANG.id_no);

    // The passcode was used.
    const again = await call('POST', 'subscription', {
      buyer_id: 'buyer-1@example.com',
      plan_id: plan.id,
      ...ZHANG,
      sms_id: smsId,
      sms_code: SANDBOX_SMS_CODE,
    });
    expectRefused(again, 5, 'sms_id');

    await expect.poll(() => webhooksFor(harness.receiver, String(subscription.id)).length).toBe(1);
    const [delivery] = webhooksFor(harness.receiver, String(subscription.id));
    const body = JSON.parse(delivery!.body) as WebhookBody;
    expect(
      verifyWebhook(delivery!.body, delivery!.headers, { ...harness.gateway.app, testMode: true }).ok,
    ).toBe(true);
    expect(body).toMatchObject({
      transaction_type: 'SUBSCRIPTION',
      sub_channel_type: 'BC_SUBSCRIPTION',
      transaction_fee: 3000,
      trade_success: true,
      optional: { order: 'A1' },
    });
    const detail = body.message_detail as Record<string, unknown>;
    expect(detail).toMatchObject({ buyer_id: 'buyer-1@example.com', status: 'trialing', valid: true });
    expect(detail.card_id).toBe(subscription.card_id);

    const read = await call('GET', `subscription/${String(subscription.id)}`);
    expect(read.json.subscription).toMatchObject({ status: 'trialing', valid: true });

    // The confirmed card subscribes at once (no review).
    const second = await call('POST', 'subscription', {
      buyer_id: 'buyer-1@example.com',
      plan_id: plan.id,
      card_id: subscription.card_id,
      sms_id: await passcode(),
      sms_code: SANDBOX_SMS_CODE,
    });
    expect(second.json.subscription).toMatchObject({
      status: 'trialing',
      valid: true,
      card_id: subscription.card_id,
    });

    const list = await call('GET', 'subscription', { buyer_id: 'buyer-1@example.com', plan_id: plan.id });
    expect((list.json.subscriptions as unknown[]).length).toBe(2);
    const count = await call('GET', 'subscription', { card_id: subscription.card_id, count_only: true });
    expect(count.json.total_count).toBe(2);

    // Cancel one at period end, the other now; cancelling twice answers the same.
    const secondId = String((second.json.subscription as { id: string }).id);
    expect(
      (await call('DELETE', `subscription/${String(subscription.id)}`, { at_period_end: 'true' })).json,
    ).toMatchObject({
      result_code: 0,
      id: subscription.id,
    });
    expect((await call('GET', `subscription/${String(subscription.id)}`)).json.subscription).toMatchObject({
      status: 'trialing',
      cancel_at_period_end: true,
    });
    expect((await call('DELETE', `subscription/${secondId}`)).json.result_code).toBe(0);
    expect((await call('DELETE', `subscription/${secondId}`)).json.result_code).toBe(0);
    expect((await call('GET', `subscription/${secondId}`)).json.subscription).toMatchObject({
      status: 'canceled',
    });
    expectRefused(await call('PUT', `subscription/${secondId}`, { amount: 3 }), 5, 'id');
    expect(
      (await call('PUT', `subscription/${String(subscription.id)}`, { amount: 1.5 })).json.result_code,
    ).toBe(0);
    expect((await call('GET', `subscription/${String(subscription.id)}`)).json.subscription).toMatchObject({
      amount: 1.5,
    });
  });

  it('refuses a card the sandbox bank does not know at the end of its review', async () => {
    const plan = await newPlan();
    const answer = await call('POST', 'subscription', {
      buyer_id: 'buyer-2',
      plan_id: plan.id,
      ...ZHANG,
      id_name: '王五',
      sms_id: await passcode(),
      sms_code: SANDBOX_SMS_CODE,
    });
    const id = String((answer.json.subscription as { id: string }).id);
    await expect.poll(() => webhooksFor(harness.receiver, id).length).toBe(1);
    const body = JSON.parse(webhooksFor(harness.receiver, id)[0]!.body) as WebhookBody;
    expect(body).toMatchObject({ transaction_type: 'SUBSCRIPTION', trade_success: false });
    expect((await call('GET', `subscription/${id}`)).json.subscription).toMatchObject({
      status: 'failed',
      valid: false,
    });
  });

  it('counts wrong passcodes, kills one after 5 tries, and changes nothing for bad requests', async () => {
    const plan = await newPlan();
    const smsId = await passcode();
    const request = { buyer_id: 'buyer-3', plan_id: plan.id, ...ZHANG, sms_id: smsId };
    for (let i = 0; i < 5; i += 1) {
      expectRefused(await call('POST', 'subscription', { ...request, sms_code: '000000' }), 5, 'sms_code');
    }
    expectRefused(
      await call('POST', 'subscription', { ...request, sms_code: SANDBOX_SMS_CODE }),
      5,
      'sms_id',
    );
    // A passcode sent to another mobile does not confirm this card.
    const other = await passcode('13900139000');
    expectRefused(
      await call('POST', 'subscription', { ...request, sms_id: other, sms_code: SANDBOX_SMS_CODE }),
      5,
      'sms_id',
    );

    const good = { ...request, sms_id: await passcode(), sms_code: SANDBOX_SMS_CODE };
    expectRefused(await call('POST', 'subscription', { ...good, buyer_id: undefined }), 4, 'buyer_id');
    expectRefused(await call('POST', 'subscription', { ...good, plan_id: 'nope' }), 5, 'plan_id');
    expectRefused(await call('POST', 'subscription', { ...good, bank_name: '月球银行' }), 5, 'bank_name');
    expectRefused(
      await call('POST', 'subscription', { ...good, card_no: '6222021000000080002' }),
      5,
      'card_no',
    );
    expectRefused(await call('POST', 'subscription', { ...good, id_no: '110105199003071238' }), 5, 'id_no');
    expectRefused(await call('POST', 'subscription', { ...good, mobile: '1380013800' }), 5, 'mobile');
    expectRefused(await call('POST', 'subscription', { ...good, card_no: undefined }), 4, 'card_no');
    expectRefused(await call('POST', 'subscription', { ...good, amount: -1 }), 5, 'amount');
    expectRefused(await call('POST', 'subscription', { ...good, amount: 1.23456 }), 5, 'amount');
    expectRefused(
      await call('POST', 'subscription', { ...good, card_id: 'card_unknown', card_no: undefined }),
      5,
      'card_id',
    );
    expectRefused(await call('POST', 'subscription', { ...good, sms_code: 'abc' }), 5, 'sms_code');
    expectRefused(
      await call('POST', 'subscription', { ...good, trial_end: Date.now() - 1000 }),
      5,
      'trial_end',
    );
    // None of these used the passcode: it still subscribes.
    expect((await call('POST', 'subscription', good)).json.result_code).toBe(0);
    expectRefused(await call('GET', 'subscription/no-such-subscription'), 5, 'id');
    expectRefused(await call('GET', 'subscription/no-such-subscription/charges'), 5, 'id');
    expectRefused(await call('GET', 'subscription/bad%20id'), 5, 'id');
    expectRefused(await call('GET', 'plan/bad%20id'), 5, 'plan_id');
    expectRefused(await call('DELETE', 'subscription/no-such-subscription'), 5, 'id');
    expectRefused(
      await call('GET', 'subscription', { created_after: 10, created_before: 5 }),
      5,
      'created_before',
    );
  });
});

describe('card-factor auth', () => {
  it('answers match for the sandbox bank test identities, with 2, 3 and 4 factors', async () => {
    const two = await call('POST', 'auth', { name: '张三', id_no: '110105199003071239' });
    expect(two.json).toMatchObject({ result_code: 0, auth_result: true });
    expect(String(two.json.card_id)).toMatch(/^card_[0-9a-f]{32}$/);
    const three = await call('POST', 'auth', {
      name: '李四',
      id_no: '310115198506110522',
      card_no: '6214830000000030004',
    });
    expect(three.json).toMatchObject({ result_code: 0, auth_result: true });
    const four = await call('POST', 'auth', {
      name: '张三',
      id_no: '110105199003071239',
      card_no: '6222021000000080001',
      mobile: '13800138000',
    });
    expect(four.json).toMatchObject({ result_code: 0, auth_result: true, auth_msg: '4要素认证一致' });
    // The same factors, the same card_id.
    const repeat = await call('POST', 'auth', { name: '张三', id_no: '110105199003071239' });
    expect(repeat.json.card_id).toBe(two.json.card_id);
  });

  it('answers mismatch for well-formed factors the sandbox bank does not hold', async () => {
    const wrongName = await call('POST', 'auth', { name: '王五', id_no: '110105199003071239' });
    expect(wrongName.json).toMatchObject({ result_code: 0, auth_result: false });
    const wrongMobile = await call('POST', 'auth', {
      name: '张三',
      id_no: '110105199003071239',
      card_no: '6222021000000080001',
      mobile: '13900139000',
    });
    expect(wrongMobile.json).toMatchObject({
      result_code: 0,
      auth_result: false,
      auth_msg: '4要素认证不一致',
    });
  });

  it('validates each factor, naming its field', async () => {
    expectRefused(await call('POST', 'auth', { id_no: '110105199003071239' }), 4, 'name');
    expectRefused(await call('POST', 'auth', { name: '张三' }), 4, 'id_no');
    expectRefused(await call('POST', 'auth', { name: '张三', id_no: '110105199003071230' }), 5, 'id_no');
    expectRefused(await call('POST', 'auth', { name: '张三', id_no: '110105199013071239' }), 5, 'id_no');
    expectRefused(
      await call('POST', 'auth', {
        name: '张三',
        id_no: '110105199003071239',
        card_no: '6222021000000080002',
      }),
      5,
      'card_no',
    );
    expectRefused(
      await call('POST', 'auth', {
        name: '张三',
        id_no: '110105199003071239',
        card_no: '6222021000000080001',
        mobile: '23800138000',
      }),
      5,
      'mobile',
    );
    expectRefused(
      await call('POST', 'auth', { name: '张三', id_no: '110105199003071239', mobile: '13800138000' }),
      5,
      'card_no',
    );
  });
});

it('keeps apps apart: another app cannot read a plan', async () => {
  const other = await startTestGateway({ app: testApp() });
  try {
    const plan = await newPlan();
    const answer = await rest(
      { url: harness.gateway.url, app: other.app },
      { method: 'GET', path: `plan/${String(plan.id)}`, plainQuery: true },
    );
    // The other app is not seeded in this gateway at all: refused as an unknown app.
    expectRefused(answer, 1, 'app_id');
  } finally {
    await other.close();
  }
});
