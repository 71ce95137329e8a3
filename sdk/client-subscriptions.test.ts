/**
 * The SDK's subscription and card-factor calls against the real gateway over HTTP (sandbox, v2 request
 * signature on every call): a plan's life, the banks, a passcode, a subscription reviewed by the sandbox bank
 * (its SUBSCRIPTION webhook passes `verifyWebhook`), charges, queries and cancelling, and /2/auth.
 */
import { expect, it } from 'vitest';
import { useGatewayWithReceiver } from '../gateway/testing/gateway-with-receiver.ts';
import type { SpayApp } from './app.ts';
import type { SpayClient } from './client.ts';
import { sandboxClient } from './testing/sandbox-client.ts';
import { SpayError } from './result.ts';
import { verifyWebhook } from './webhook.ts';

const harness = useGatewayWithReceiver({ subscriptions: { reviewMs: 20, passMs: 20 } });

function sdkClient(): { client: SpayClient; app: SpayApp } {
  return sandboxClient(harness);
}

it('runs a subscription from plan to cancel through the SDK', async () => {
  const { client, app } = sdkClient();
  const strict = client.orThrow;
  const { plan } = await strict.createPlan({
    name: '日付会员',
    fee: 120,
    interval: 'day',
    optional: { k: 'v' },
  });
  expect(plan).toMatchObject({ fee: 120, interval: 'day', interval_count: 1, currency: 'CNY' });
  expect((await strict.updatePlan(plan.id, { name: '日付会员 Pro' })).id).toBe(plan.id);
  expect((await strict.plan(plan.id)).plan.name).toBe('日付会员 Pro');
  expect((await strict.plans({ name_with_substring: 'Pro' })).plans.map((p) => p.id)).toEqual([plan.id]);
  expect((await strict.plansCount({ interval: 'day' })).total_count).toBe(1);
  expect((await strict.subscriptionBanks()).common_banks).toContain('中国工商银行');

  const { sms_id } = await strict.sendSmsPasscode('13800138000');
  const { subscription } = await strict.subscribe({
    buyer_id: 'sdk-buyer',
    plan_id: plan.id,
    bank_name: '中国工商银行',
    card_no: '6222021000000080001',
    id_name: '张三',
    id_no: '110105199003071239',
    mobile: '13800138000',
    sms_id,
    sms_code: '123456',
  });
  expect(subscription).toMatchObject({ status: 'pending', valid: false, last4: '0001' });

  const delivery = await harness.receiver.waitFor(1, 10_000);
  const verified = verifyWebhook(delivery[0]!.body, delivery[0]!.headers, app);
  expect(verified.ok).toBe(true);
  if (verified.ok) {
    expect(verified.webhook).toMatchObject({
      transaction_type: 'SUBSCRIPTION',
      transaction_id: subscription.id,
    });
  }
  // The first period is charged at once (no trial): its PAY webhook follows.
  await expect
    .poll(async () => (await strict.subscriptionCharges(subscription.id)).charges.map((c) => c.status), {
      timeout: 10_000,
    })
    .toEqual(['paid']);
  expect((await strict.subscription(subscription.id)).subscription).toMatchObject({
    status: 'active',
    valid: true,
  });
  expect((await strict.subscriptionsCount({ buyer_id: 'sdk-buyer' })).total_count).toBe(1);
  expect((await strict.updateSubscription(subscription.id, { amount: 2 })).id).toBe(subscription.id);
  expect((await strict.cancelSubscription(subscription.id, { atPeriodEnd: true })).id).toBe(subscription.id);
  expect((await strict.subscriptions({ plan_id: plan.id })).subscriptions[0]).toMatchObject({
    cancel_at_period_end: true,
    amount: 2,
  });
  expect((await strict.deletePlan(plan.id)).id).toBe(plan.id);

  const auth = await strict.verifyCardFactors({ name: '张三', id_no: '110105199003071239' });
  expect(auth).toMatchObject({ auth_result: true, auth_msg: '2要素认证一致' });
  const refused = await client.verifyCardFactors({ name: '张三', id_no: '110105199003071238' });
  expect(refused).toMatchObject({ ok: false, result_code: 5 });
  await expect(strict.plan(plan.id)).rejects.toBeInstanceOf(SpayError);
});
