/**
 * The subscription and card-auth endpoints' schemas, over real HTTP: every call the SDK makes to them sends a
 * request and gets an answer that /openapi.json describes; each field missing, of the wrong type or out of range is
 * refused by the schema with BeeCloud's result code (4 MISS_PARAM, 5 PARAM_INVALID) and a detail naming it, in a
 * JSON body, a `?para=` query and plain query parameters alike, and nothing is created; BeeCloud's loose forms
 * (count_only "True", interval "MONTH", amount as digits, optional as JSON text, a form body) are still read.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SpayClient } from '../../sdk/client.ts';
import { sandboxClient } from '../../sdk/testing/sandbox-client.ts';
import { restAppSign } from '../../sdk/sign.ts';
import { SANDBOX_SMS_CODE } from '../core/subscriptions.ts';
import { useGatewayWithReceiver } from '../testing/gateway-with-receiver.ts';
import { documentCheckingFetch } from '../testing/openapi-checks.ts';
import { rest, type RestAnswer } from './testing/rest-caller.ts';

type Json = Record<string, any>;

const harness = useGatewayWithReceiver({ subscriptions: { reviewMs: 20, passMs: 20 } });
let document: Json;

beforeAll(async () => {
  document = (await (await fetch(`${harness.gateway.url}/openapi.json`)).json()) as Json;
});

const ZHANG = {
  bank_name: '中国工商银行',
  card_no: '6222021000000080001',
  id_name: '张三',
  id_no: '110105199003071239',
  mobile: '13800138000',
};

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

function call(method: Method, path: string, payload: Record<string, unknown> = {}, plainQuery = false) {
  return rest(harness.gateway, { method, path, payload, plainQuery });
}

function expectRefused(answer: RestAnswer, code: number, field: string, detail?: RegExp): void {
  expect(answer.status, answer.text).toBe(200);
  expect(answer.json.result_code, answer.text).toBe(code);
  expect(answer.json.result_msg, answer.text).toBe(code === 4 ? 'MISS_PARAM' : 'PARAM_INVALID');
  expect(String(answer.json.err_detail)).toMatch(new RegExp(`^${field.replace(/[.[\]]/g, '\\$&')}: `));
  if (detail !== undefined) expect(String(answer.json.err_detail)).toMatch(detail);
}

async function newPlan(): Promise<string> {
  const answer = await call('POST', 'plan', { name: '月度会员', fee: 1500, interval: 'month' });
  expect(answer.json.result_code, answer.text).toBe(0);
  return String((answer.json.plan as { id: string }).id);
}

async function planCount(): Promise<number> {
  const answer = await call('GET', 'plan', { count_only: true });
  return answer.json.total_count as number;
}

async function subscriptionCount(): Promise<number> {
  const answer = await call('GET', 'subscription', { count_only: true });
  return answer.json.total_count as number;
}

async function passcode(): Promise<string> {
  const answer = await call('POST', 'sms', { phone: ZHANG.mobile });
  return String(answer.json.sms_id);
}

// --- the document against the SDK's calls -------------------------------------------------------------------

describe('the subscription endpoints in /openapi.json', () => {
  it('document every call the SDK makes: its request and its answer', async () => {
    const checked = new Set<string>();
    const checkingFetch = documentCheckingFetch(document, (call) => {
      const label = `${call.method} ${call.template}`;
      expect(call.operation.summary, label).toBeTruthy();
      checked.add(label);
    });
    const { app } = sandboxClient(harness);
    const client = new SpayClient(app, { fetch: checkingFetch }).orThrow;

    const { plan } = await client.createPlan({
      name: '文档会员',
      fee: 990,
      interval: 'week',
      interval_count: 2,
      trial_days: 3,
      optional: { tier: 'silver', seats: 2 },
    });
    await client.updatePlan(plan.id, { name: '文档会员 Pro', optional: { tier: 'gold' } });
    await client.plan(plan.id);
    expect(
      (await client.plans({ name_with_substring: '文档', interval: 'week', limit: 5 })).plans,
    ).toHaveLength(1);
    expect((await client.plansCount({ interval_count: 2, trial_days: 3 })).total_count).toBe(1);
    await client.subscriptionBanks();
    const { subscription } = await client.subscribe({
      buyer_id: 'doc-buyer',
      plan_id: plan.id,
      ...ZHANG,
      sms_id: (await client.sendSmsPasscode(ZHANG.mobile)).sms_id,
      sms_code: SANDBOX_SMS_CODE,
      amount: 1.5,
      optional: { order: 'D1' },
    });
    await client.updateSubscription(subscription.id, { amount: 2, optional: { order: 'D2' } });
    await client.subscription(subscription.id);
    await client.subscriptions({ buyer_id: 'doc-buyer', created_after: 0, skip: 0 });
    expect((await client.subscriptionsCount({ plan_id: plan.id })).total_count).toBe(1);
    await client.subscriptionCharges(subscription.id);
    await client.cancelSubscription(subscription.id, { atPeriodEnd: true });
    await client.cancelSubscription(subscription.id);
    await client.verifyCardFactors({ name: '张三', id_no: ZHANG.id_no, card_no: ZHANG.card_no });
    await client.deletePlan(plan.id);

    expect([...checked].sort()).toEqual([
      'DELETE /2/plan/{id}',
      'DELETE /2/subscription/{id}',
      'GET /2/plan',
      'GET /2/plan/{id}',
      'GET /2/subscription',
      'GET /2/subscription/{id}',
      'GET /2/subscription/{id}/charges',
      'GET /2/subscription_banks',
      'POST /2/auth',
      'POST /2/plan',
      'POST /2/sms',
      'POST /2/subscription',
      'PUT /2/plan/{id}',
      'PUT /2/subscription/{id}',
    ]);
  });

  it('document the POST forms of the updates as the PUT ones, and count_only’s answer', () => {
    for (const path of ['/2/plan/{id}', '/2/subscription/{id}']) {
      const item = document.paths[path] as Json;
      expect(item.post.requestBody, path).toEqual(item.put.requestBody);
      expect(item.post.summary, path).toBe(item.put.summary);
    }
    const list = document.paths['/2/plan'].get as Json;
    const answer = list.responses['200'].content['application/json'].schema.anyOf[0] as Json;
    expect(Object.keys(answer.properties as Json)).toEqual(
      expect.arrayContaining(['count', 'plans', 'total_count']),
    );
    const names = (list.parameters as Json[]).map((parameter) => parameter.name);
    expect(names).toEqual(
      expect.arrayContaining(['interval', 'count_only', 'skip', 'limit', 'created_after']),
    );
  });
});

// --- refusals by the schemas ----------------------------------------------------------------------------------

const goodPlan = { name: '年度会员', fee: 12000, interval: 'year' };

describe('POST /2/plan refuses each bad field, naming it, and creates nothing', () => {
  const cases: [string, Record<string, unknown>, number, string, RegExp?][] = [
    ['name missing', { name: undefined }, 4, 'name'],
    ['name empty', { name: '' }, 4, 'name'],
    ['name blank', { name: '   ' }, 5, 'name', /must not be blank/],
    ['name a number', { name: 7 }, 5, 'name', /must be a string/],
    ['name too long', { name: 'n'.repeat(65) }, 5, 'name', /at most 64 characters/],
    ['fee missing', { fee: undefined }, 4, 'fee'],
    ['fee as text', { fee: 'ten' }, 5, 'fee', /must be an integer/],
    ['fee a fraction', { fee: 99.5 }, 5, 'fee', /must be an integer/],
    ['fee negative', { fee: -1 }, 5, 'fee', />= 0/],
    ['fee over the ceiling', { fee: 100_000_000_01 }, 5, 'fee', /<= 10000000000/],
    ['interval missing', { interval: undefined }, 4, 'interval'],
    ['interval unknown', { interval: 'hour' }, 5, 'interval', /day, week, month or year/],
    ['interval a number', { interval: 30 }, 5, 'interval'],
    ['interval_count zero', { interval_count: 0 }, 5, 'interval_count', /at most one year/],
    ['interval_count text', { interval_count: 'two' }, 5, 'interval_count', /must be an integer/],
    ['interval_count over a year', { interval: 'week', interval_count: 53 }, 5, 'interval_count'],
    ['currency other', { currency: 'USD' }, 5, 'currency', /must be CNY/],
    ['trial_days negative', { trial_days: -1 }, 5, 'trial_days', />= 0/],
    ['trial_days over ten years', { trial_days: 3651 }, 5, 'trial_days', /<= 3650/],
    ['optional a list', { optional: ['a'] }, 5, 'optional'],
    ['optional nested', { optional: { a: { b: 1 } } }, 5, 'optional', /value of "a"/],
    ['optional bad JSON text', { optional: '{not json' }, 5, 'optional'],
    ['app_id a number', { app_id: 5 }, 5, 'app_id', /must be a string/],
  ];
  it.each(cases)('%s', async (_label, change, code, field, detail) => {
    const before = await planCount();
    expectRefused(await call('POST', 'plan', { ...goodPlan, ...change }), code, field, detail);
    expect(await planCount()).toBe(before);
  });

  it('names the first bad field in BeeCloud’s order (name, fee, interval, …)', async () => {
    expectRefused(await call('POST', 'plan', { fee: -1, interval: 'hour' }), 4, 'name');
    expectRefused(await call('POST', 'plan', { name: 'x', fee: -1, interval: 'hour' }), 5, 'fee');
    expectRefused(await call('POST', 'plan', { name: 'x', fee: 1, trial_days: -1 }), 4, 'interval');
  });

  it('still reads BeeCloud’s loose forms: interval in capitals, optional as JSON text, a form body', async () => {
    const capitals = await call('POST', 'plan', {
      ...goodPlan,
      interval: 'MONTH',
      optional: JSON.stringify({ tier: 'gold' }),
    });
    expect(capitals.json.plan, capitals.text).toMatchObject({
      interval: 'month',
      optional: { tier: 'gold' },
    });
    // A JSON request is typed: digits for fee are refused there, as before; a form body is text, read as numbers.
    expectRefused(await call('POST', 'plan', { ...goodPlan, fee: '300' }), 5, 'fee', /must be an integer/);
    const app = harness.gateway.app;
    const timestamp = Date.now();
    const byForm = await rest(harness.gateway, {
      method: 'POST',
      path: 'plan',
      rawBody: new URLSearchParams({
        app_id: app.appId,
        timestamp: String(timestamp),
        app_sign: restAppSign(app.appId, timestamp, app.testSecret),
        name: '表单会员',
        fee: '300',
        interval: 'day',
        interval_count: '7',
      }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(byForm.json.plan, byForm.text).toMatchObject({ name: '表单会员', fee: 300, interval_count: 7 });
  });
});

describe('PUT|POST /2/plan/{id} and DELETE /2/plan/{id}', () => {
  it('refuses bad changes, naming the field; a change needs name or optional', async () => {
    const id = await newPlan();
    for (const method of ['PUT', 'POST'] as const) {
      expectRefused(await call(method, `plan/${id}`, {}), 4, 'name', /name or optional is required/);
      expectRefused(await call(method, `plan/${id}`, { name: ' ' }), 5, 'name', /must not be blank/);
      expectRefused(await call(method, `plan/${id}`, { name: 12 }), 5, 'name', /must be a string/);
      expectRefused(await call(method, `plan/${id}`, { name: 'x'.repeat(65) }), 5, 'name');
      expectRefused(await call(method, `plan/${id}`, { optional: 'x' }), 5, 'optional');
      expectRefused(await call(method, `plan/bad%20id`, { name: 'y' }), 5, 'plan_id');
    }
    expect((await call('GET', `plan/${id}`)).json.plan).toMatchObject({ name: '月度会员', valid: true });
    const renamed = await call('POST', `plan/${id}`, { name: ' 季度会员 ' });
    expect(renamed.json).toMatchObject({ result_code: 0, id });
    expect((await call('GET', `plan/${id}`)).json.plan).toMatchObject({ name: '季度会员' });
  });

  it('deletes with a signed query (para or plain), refusing an unsigned one', async () => {
    const id = await newPlan();
    const unsigned = await rest(harness.gateway, {
      method: 'DELETE',
      path: `plan/${id}`,
      unsigned: true,
      plainQuery: true,
    });
    expectRefused(unsigned, 4, 'app_id');
    expectRefused(await call('DELETE', `plan/${id}`, { timestamp: 'soon' }, true), 5, 'timestamp');
    expect((await call('GET', `plan/${id}`)).json.plan).toMatchObject({ valid: true });
    expect((await call('DELETE', `plan/${id}`, {}, true)).json).toMatchObject({ result_code: 0, id });
    expectRefused(await call('GET', `plan/${id}`), 5, 'plan_id');
  });
});

describe('GET /2/plan and GET /2/subscription (criteria, paging, count_only)', () => {
  const queryCases: [string, Record<string, unknown>, string, RegExp?][] = [
    ['created_after negative', { created_after: -1 }, 'created_after', />= 0/],
    ['created_after text', { created_after: 'yesterday' }, 'created_after', /must be an integer/],
    ['created_before before created_after', { created_after: 10, created_before: 5 }, 'created_before'],
    ['skip negative', { skip: -1 }, 'skip', />= 0/],
    ['skip too far', { skip: 1_000_001 }, 'skip', /<= 1000000/],
    ['limit zero', { limit: 0 }, 'limit', />= 1/],
    ['limit over 50', { limit: 51 }, 'limit', /<= 50/],
    ['count_only a word', { count_only: 'maybe' }, 'count_only', /true or false/],
  ];
  for (const path of ['plan', 'subscription']) {
    for (const plain of [false, true]) {
      it.each(queryCases)(
        `${path} (${plain ? 'plain' : 'para'}): %s`,
        async (_label, query, field, detail) => {
          expectRefused(await call('GET', path, query, plain), 5, field, detail);
        },
      );
    }
  }

  it.each([
    ['interval unknown', { interval: 'fortnight' }, 'interval'],
    ['interval_count zero', { interval_count: 0 }, 'interval_count'],
    ['trial_days negative', { trial_days: -3 }, 'trial_days'],
    ['name too long', { name: 'n'.repeat(65) }, 'name'],
    ['name_with_substring a number', { name_with_substring: 5 }, 'name_with_substring'],
  ])('plan: %s', async (_label, query, field) => {
    expectRefused(await call('GET', 'plan', query), 5, field);
  });

  it.each([
    ['buyer_id a number', { buyer_id: 5 }, 'buyer_id'],
    ['plan_id too long', { plan_id: 'p'.repeat(65) }, 'plan_id'],
    ['card_id a list', { card_id: ['c'] }, 'card_id'],
  ])('subscription: %s', async (_label, query, field) => {
    expectRefused(await call('GET', 'subscription', query), 5, field);
  });

  it('reads count_only as BeeCloud’s SDKs send it (true, "True", "false") and the paging', async () => {
    await newPlan();
    const total = await planCount();
    expect(total).toBeGreaterThan(0);
    for (const countOnly of [true, 'True', 'TRUE']) {
      expect((await call('GET', 'plan', { count_only: countOnly })).json.total_count).toBe(total);
    }
    expect((await call('GET', 'plan', { count_only: 'True' }, true)).json.total_count).toBe(total);
    const listed = await call('GET', 'plan', { count_only: 'false', limit: 1, interval: 'Month' }, true);
    expect(listed.json).toMatchObject({ result_code: 0, count: 1 });
    expect(listed.json).not.toHaveProperty('total_count');
  });
});

describe('POST /2/subscription refuses each bad field, naming it, and subscribes nobody', () => {
  let planId: string;
  beforeAll(async () => {
    planId = await newPlan();
  });
  const good = () => ({
    buyer_id: 'schema-buyer',
    plan_id: planId,
    ...ZHANG,
    sms_id: 'sms_0',
    sms_code: SANDBOX_SMS_CODE,
  });
  const cases: [string, Record<string, unknown>, number, string, RegExp?][] = [
    ['buyer_id missing', { buyer_id: undefined }, 4, 'buyer_id'],
    ['buyer_id a number', { buyer_id: 9 }, 5, 'buyer_id', /must be a string/],
    ['buyer_id too long', { buyer_id: 'b'.repeat(65) }, 5, 'buyer_id', /at most 64/],
    ['plan_id missing', { plan_id: undefined }, 4, 'plan_id'],
    ['bank_name missing (no card_id)', { bank_name: undefined }, 4, 'bank_name'],
    ['bank_name unknown', { bank_name: '月球银行' }, 5, 'bank_name', /not a supported bank/],
    ['card_no missing (no card_id)', { card_no: undefined }, 4, 'card_no'],
    ['card_no too long', { card_no: '6'.repeat(20) }, 5, 'card_no', /at most 19/],
    ['id_name missing (no card_id)', { id_name: undefined }, 4, 'id_name'],
    ['id_no missing (no card_id)', { id_no: undefined }, 4, 'id_no'],
    ['id_no too long', { id_no: '1'.repeat(19) }, 5, 'id_no'],
    ['mobile missing (no card_id)', { mobile: undefined }, 4, 'mobile'],
    ['mobile not mainland', { mobile: '23800138000' }, 5, 'mobile', /mainland mobile/],
    ['sms_id missing', { sms_id: undefined }, 4, 'sms_id'],
    ['sms_code missing', { sms_code: undefined }, 4, 'sms_code'],
    ['sms_code letters', { sms_code: '12ab56' }, 5, 'sms_code', /4 to 8 digits/],
    ['sms_code a number', { sms_code: 123456 }, 5, 'sms_code'],
    ['amount zero', { amount: 0 }, 5, 'amount', /positive number/],
    ['amount negative', { amount: -2 }, 5, 'amount', /positive number/],
    ['amount 5 decimals', { amount: 1.00001 }, 5, 'amount', /at most 4 decimals/],
    ['amount text 5 decimals', { amount: '1.00001' }, 5, 'amount', /at most 4 decimals/],
    ['amount text zero', { amount: '0.0' }, 5, 'amount', /positive number/],
    ['amount a word', { amount: 'two' }, 5, 'amount'],
    ['amount too big', { amount: 1_000_000_000 }, 5, 'amount'],
    ['trial_end negative', { trial_end: -1 }, 5, 'trial_end', />= 0/],
    ['trial_end a fraction', { trial_end: 1.5 }, 5, 'trial_end', /must be an integer/],
    ['optional nested', { optional: { a: [1] } }, 5, 'optional'],
    ['coupon_id a number', { coupon_id: 3 }, 5, 'coupon_id'],
  ];
  it.each(cases)('%s', async (_label, change, code, field, detail) => {
    const before = await subscriptionCount();
    expectRefused(await call('POST', 'subscription', { ...good(), ...change }), code, field, detail);
    expect(await subscriptionCount()).toBe(before);
  });

  it('needs no card factors with a card_id, and takes amount as digits', async () => {
    const first = await call('POST', 'subscription', {
      ...good(),
      sms_id: await passcode(),
      amount: '2.5',
    });
    expect(first.json.subscription, first.text).toMatchObject({ amount: 2.5 });
    const made = first.json.subscription as { id: string; card_id: string };
    // The sandbox bank's review confirms the card; then its card_id subscribes with no factors at all.
    await expect
      .poll(async () => ((await call('GET', `subscription/${made.id}`)).json.subscription as Json).valid)
      .toBe(true);
    const byCard = await call('POST', 'subscription', {
      buyer_id: 'schema-buyer',
      plan_id: planId,
      card_id: made.card_id,
      sms_id: await passcode(),
      sms_code: SANDBOX_SMS_CODE,
    });
    expect(byCard.json.subscription, byCard.text).toMatchObject({ card_id: made.card_id, valid: true });
  });
});

describe('PUT|POST|GET|DELETE /2/subscription/{id}', () => {
  it('refuses bad changes and a bad at_period_end, naming the field', async () => {
    const planId = await newPlan();
    const made = await call('POST', 'subscription', {
      buyer_id: 'change-buyer',
      plan_id: planId,
      ...ZHANG,
      sms_id: await passcode(),
      sms_code: SANDBOX_SMS_CODE,
    });
    const id = String((made.json.subscription as { id: string }).id);
    for (const method of ['PUT', 'POST'] as const) {
      expectRefused(
        await call(method, `subscription/${id}`, {}),
        4,
        'amount',
        /amount, trial_end or optional/,
      );
      expectRefused(await call(method, `subscription/${id}`, { amount: -1 }), 5, 'amount');
      expectRefused(await call(method, `subscription/${id}`, { amount: 1.23456 }), 5, 'amount');
      expectRefused(await call(method, `subscription/${id}`, { trial_end: 'later' }), 5, 'trial_end');
      expectRefused(await call(method, `subscription/${id}`, { optional: 5 }), 5, 'optional');
    }
    expect((await call('GET', `subscription/${id}`)).json.subscription).toMatchObject({ amount: 1 });
    expect((await call('POST', `subscription/${id}`, { amount: '3' })).json).toMatchObject({
      result_code: 0,
      id,
    });
    expect((await call('GET', `subscription/${id}`, {}, true)).json.subscription).toMatchObject({
      amount: 3,
    });
    expectRefused(await call('GET', `subscription/${id}`, { app_sign: 5 }), 5, 'app_sign');

    expectRefused(
      await call('DELETE', `subscription/${id}`, { at_period_end: 'soon' }, true),
      5,
      'at_period_end',
    );
    expectRefused(await call('DELETE', `subscription/${id}`, { at_period_end: 1 }), 5, 'at_period_end');
    expect((await call('GET', `subscription/${id}`)).json.subscription).toMatchObject({
      cancel_at_period_end: false,
    });
    expect(
      (await call('DELETE', `subscription/${id}`, { at_period_end: 'True' }, true)).json.result_code,
    ).toBe(0);
    expect((await call('GET', `subscription/${id}`)).json.subscription).toMatchObject({
      cancel_at_period_end: true,
    });
  });
});

describe('POST /2/auth', () => {
  it.each([
    ['name missing', { name: undefined }, 4, 'name'],
    ['name a number', { name: 1 }, 5, 'name'],
    ['name too long', { name: '张'.repeat(41) }, 5, 'name', /at most 40/],
    ['id_no missing', { id_no: undefined }, 4, 'id_no'],
    ['id_no too long', { id_no: '1'.repeat(19) }, 5, 'id_no', /at most 18/],
    ['id_no a number', { id_no: 110105199003071 }, 5, 'id_no', /must be a string/],
    ['card_no too long', { card_no: '6'.repeat(20) }, 5, 'card_no', /at most 19/],
    ['card_no a number', { card_no: 622202100000 }, 5, 'card_no', /must be a string/],
    ['mobile too long', { card_no: ZHANG.card_no, mobile: '138001380001' }, 5, 'mobile', /at most 11/],
  ] as [string, Record<string, unknown>, number, string, RegExp?][])(
    '%s',
    async (_label, change, code, field, detail) => {
      const answer = await call('POST', 'auth', { name: '张三', id_no: ZHANG.id_no, ...change });
      expectRefused(answer, code, field, detail);
    },
  );
});
