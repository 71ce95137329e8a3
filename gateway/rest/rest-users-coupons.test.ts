/**
 * Merchant users and coupons over real HTTP, as BeeCloud's SDKs call them: register users (one, or a batch under
 * a merchant account), list them, attach history bills (`failed_bills`); coupon templates and coupons; a pay
 * request with coupon_id charges the discounted amount, its webhook and records carry bill_fee, discount and
 * coupon_id, refunds follow what was paid, a payment given up gives the coupon back, two payments racing for
 * one coupon end with exactly one holding it. Bad requests name their field and change nothing.
 */
import { describe, expect, it } from 'vitest';
import type { WebhookBody } from '../../sdk/webhook.ts';
import { useGatewayWithReceiver } from '../testing/gateway-with-receiver.ts';
import { webhooksFor } from '../testing/webhook-receiver.ts';
import {
  moneySnapshot,
  newBillNo,
  newRefundNo,
  rest,
  type RestAnswer,
  type SecretName,
} from './testing/rest-caller.ts';

const harness = useGatewayWithReceiver();

let serial = 0;
function unique(prefix: string): string {
  serial += 1;
  return `${prefix}${Date.now().toString(36)}${serial}`;
}

function call(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  payload: Record<string, unknown> = {},
  secret: SecretName = 'testSecret',
): Promise<RestAnswer> {
  return rest(harness.gateway, { method, path, payload, secret });
}

async function registeredUser(): Promise<string> {
  const buyerId = unique('buyer');
  const made = await call('POST', 'rest/user', { buyer_id: buyerId });
  expect(made.json).toMatchObject({ result_code: 0 });
  return buyerId;
}

async function template(fields: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const made = await call(
    'POST',
    'rest/coupon/template',
    { name: unique('满50减10-'), type: 0, discount: 10, limit_fee: 5000, ...fields },
    'masterSecret',
  );
  expect(made.json).toMatchObject({ result_code: 0 });
  return made.json.coupon_template as Record<string, unknown>;
}

async function couponFor(userId: string, templateFields: Record<string, unknown> = {}): Promise<string> {
  const { id } = await template(templateFields);
  const issued = await call('POST', 'rest/coupon', { template_id: id, user_id: userId });
  expect(issued.json).toMatchObject({ result_code: 0 });
  return String(issued.json.id);
}

function pay(fields: Record<string, unknown>): Promise<RestAnswer> {
  return call('POST', 'rest/bill', {
    channel: 'WX_NATIVE',
    bill_no: newBillNo(),
    title: '优惠测试',
    total_fee: 5000,
    ...fields,
  });
}

async function couponStatus(id: string): Promise<number> {
  const found = await call('GET', `rest/coupon/${id}`);
  return Number((found.json.coupon as Record<string, unknown>).status);
}

function expectRefusal(answer: RestAnswer, code: number, field: string): void {
  expect(answer.status).toBe(200);
  expect(answer.json.result_code).toBe(code);
  expect(String(answer.json.err_detail).startsWith(`${field}:`)).toBe(true);
}

describe('merchant users (POST user, POST users, GET users)', () => {
  it('registers one buyer, again without a second row, and a batch under a merchant account', async () => {
    const start = Date.now();
    const one = await registeredUser();
    expect((await call('POST', 'rest/user', { buyer_id: one })).json).toMatchObject({
      result_code: 0,
      created_count: 0,
    });

    const merchant = `${unique('shop')}@example.com`;
    const batch = [unique('b'), unique('b'), one];
    const made = await call('POST', 'rest/users', { email: merchant, buyer_ids: batch });
    expect(made.json).toMatchObject({ result_code: 0, created_count: 2 });

    const byMerchant = await call('GET', 'rest/users', { email: merchant });
    expect(byMerchant.json.result_code).toBe(0);
    const users = byMerchant.json.users as Array<Record<string, unknown>>;
    expect(users.map((user) => user.buyer_id).sort()).toEqual([...batch].sort());
    expect(users[0]).toMatchObject({ merchant, app_id: harness.gateway.app.appId });
    expect(typeof users[0]!.createdat).toBe('number');

    const inRange = await call('GET', 'rest/users', { start_time: start, end_time: Date.now() + 1000 });
    const ids = (inRange.json.users as Array<Record<string, unknown>>).map((user) => user.buyer_id);
    expect(ids).toEqual(expect.arrayContaining(batch));
    const before = await call('GET', 'rest/users', { end_time: start - 1 });
    expect((before.json.users as unknown[]).length).toBe(0);
  });

  it('refuses bad requests naming the field', async () => {
    expectRefusal(await call('POST', 'rest/user', {}), 4, 'buyer_id');
    expectRefusal(await call('POST', 'rest/user', { buyer_id: 'x'.repeat(65) }), 5, 'buyer_id');
    expectRefusal(await call('POST', 'rest/user', { buyer_id: 'ok' }, 'masterSecret'), 1, 'app_sign');
    expectRefusal(await call('POST', 'rest/users', { buyer_ids: ['a'] }), 4, 'email');
    expectRefusal(
      await call('POST', 'rest/users', { email: 'm@example.com', buyer_ids: 'a' }),
      5,
      'buyer_ids',
    );
    expectRefusal(
      await call('POST', 'rest/users', { email: 'm@example.com', buyer_ids: [] }),
      4,
      'buyer_ids',
    );
    expectRefusal(await call('GET', 'rest/users', { start_time: 10, end_time: 5 }), 5, 'end_time');
  });
});

describe('history bills (PUT history_bills) and buyer_id on bills', () => {
  it('attaches bills to registered buyers, answers the others in failed_bills, and bills are found by buyer', async () => {
    const buyer = await registeredUser();
    const first = await pay({ total_fee: 10 });
    const second = await pay({ total_fee: 11, buyer_id: buyer });
    expect(first.json.result_code).toBe(0);
    expect(second.json).toMatchObject({ result_code: 0 });
    const firstBill = await call('GET', `rest/bill/${String(first.json.id)}`);
    const firstNo = String((firstBill.json.pay as Record<string, unknown>).bill_no);
    const otherBuyer = await registeredUser();
    const secondNo = String(
      ((await call('GET', `rest/bill/${String(second.json.id)}`)).json.pay as Record<string, unknown>)
        .bill_no,
    );

    const attached = await call('PUT', 'rest/history_bills', {
      bill_info: {
        [buyer]: [firstNo, 'NOSUCHBILL0001'],
        [otherBuyer]: [secondNo],
        unregistered_buyer: [firstNo],
      },
    });
    expect(attached.json).toMatchObject({
      result_code: 0,
      failed_bills: { [buyer]: ['NOSUCHBILL0001'], [otherBuyer]: [secondNo], unregistered_buyer: [firstNo] },
    });

    const mine = await call('GET', 'rest/bills', { buyer_id: buyer });
    const ids = (mine.json.bills as Array<Record<string, unknown>>).map((bill) => bill.id).sort();
    expect(ids).toEqual([String(first.json.id), String(second.json.id)].sort());
    expect((mine.json.bills as Array<Record<string, unknown>>)[0]).toMatchObject({ buyer_id: buyer });
    expect((await call('GET', 'rest/bills/count', { buyer_id: buyer })).json.count).toBe(2);
  });

  it('refuses a bad bill_info naming it', async () => {
    expectRefusal(await call('PUT', 'rest/history_bills', {}), 4, 'bill_info');
    expectRefusal(await call('PUT', 'rest/history_bills', { bill_info: ['a'] }), 5, 'bill_info');
    expectRefusal(await call('PUT', 'rest/history_bills', { bill_info: { a: 'b' } }), 5, 'bill_info');
    expectRefusal(await call('PUT', 'rest/history_bills', { bill_info: { a: [] } }), 4, 'bill_info');
    // Refused by the schema (user-coupon-schemas.ts) before the handler.
    expectRefusal(await call('PUT', 'rest/history_bills', { bill_info: { '  ': ['B1'] } }), 5, 'bill_info');
    expectRefusal(
      await call('PUT', 'rest/history_bills', { bill_info: { ['b'.repeat(65)]: ['B1'] } }),
      5,
      'bill_info',
    );
    const empty = await call('PUT', 'rest/history_bills', { bill_info: { a: ['B1', ''] } });
    expectRefusal(empty, 5, 'bill_info');
    expect(empty.json.err_detail).toBe('bill_info: value of "a" must be a list of bill_no');
    expectRefusal(await call('PUT', 'rest/history_bills', { bill_info: { a: [7] } }), 5, 'bill_info');
    expectRefusal(await call('PUT', 'rest/history_bills', { bill_info: 'a' }), 5, 'bill_info');
    const tooMany = Array.from({ length: 1001 }, (_, index) => `B${index}`);
    expectRefusal(await call('PUT', 'rest/history_bills', { bill_info: { a: tooMany } }), 5, 'bill_info');
  });
});

describe('coupon templates (POST/PUT/GET coupon/template)', () => {
  it('creates fixed and percentage templates in fen and permille, finds them by id and criteria', async () => {
    const fixed = await template({
      discount: '12.5',
      limit_fee: 10000,
      total_count: 3,
      max_count_per_user: 1,
    });
    expect(fixed).toMatchObject({
      type: 0,
      discount: 12.5,
      discount_fee: 1250,
      limit_fee: 10000,
      status: 1,
      deliver_count: 0,
    });
    const rate = await template({
      type: 1,
      discount: 0.85,
      limit_fee: 0,
      expiry_type: 2,
      delivery_valid_days: 7,
    });
    expect(rate).toMatchObject({
      type: 1,
      discount: 0.85,
      rate_permille: 850,
      expiry_type: 2,
      delivery_valid_days: 7,
    });

    const byId = await call('GET', `rest/coupon/template/${String(fixed.id)}`);
    expect(byId.json).toMatchObject({ result_code: 0, coupon_template: { id: fixed.id, name: fixed.name } });
    const byName = await call('GET', 'rest/coupon/template', { name: fixed.name });
    expect((byName.json.coupon_templates as unknown[]).length).toBe(1);
    const count = await call('GET', 'rest/coupon/template', {
      count_only: true,
      created_after: Number(fixed.created_at),
    });
    expect(count.json.total_count).toBeGreaterThanOrEqual(2);
  });

  it('moves a template status forward only', async () => {
    const created = await template({ status: 0 });
    const id = String(created.id);
    const started = await call('PUT', `rest/coupon/template/${id}`, { status: 1 }, 'masterSecret');
    expect(started.json).toMatchObject({ result_code: 0, coupon_template: { status: 1 } });
    const stopped = await call('PUT', `rest/coupon/template/${id}`, { status: -1 }, 'masterSecret');
    expect(stopped.json).toMatchObject({ result_code: 0, coupon_template: { status: -1 } });
    expectRefusal(
      await call('PUT', `rest/coupon/template/${id}`, { status: 1 }, 'masterSecret'),
      5,
      'status',
    );
    expectRefusal(
      await call('PUT', 'rest/coupon/template/nope', { status: 1 }, 'masterSecret'),
      5,
      'template_id',
    );
  });

  it('refuses bad templates naming the field', async () => {
    const base = { name: 'x', type: 0, discount: 10 };
    const post = (fields: Record<string, unknown>, secret: SecretName = 'masterSecret') =>
      call('POST', 'rest/coupon/template', { ...base, ...fields }, secret);
    expectRefusal(await post({}, 'testSecret'), 1, 'app_sign');
    expectRefusal(await post({ name: undefined }), 4, 'name');
    expectRefusal(await post({ type: 2 }), 5, 'type');
    expectRefusal(await post({ discount: undefined }), 4, 'discount');
    expectRefusal(await post({ discount: '1.234' }), 5, 'discount');
    expectRefusal(await post({ type: 1, discount: 1.5 }), 5, 'discount');
    expectRefusal(await post({ limit_fee: 500 }), 5, 'discount');
    expectRefusal(await post({ start_time: 2000, end_time: 1000 }), 5, 'end_time');
    expectRefusal(await post({ expiry_type: 2 }), 4, 'delivery_valid_days');
    expectRefusal(await post({ status: -1 }), 5, 'status');
    expectRefusal(await call('GET', 'rest/coupon/template/nope'), 5, 'id');
    // Refused by the schema (user-coupon-schemas.ts) before the handler.
    expectRefusal(await post({ name: '   ' }), 4, 'name');
    expectRefusal(await post({ type: '0' }), 5, 'type');
    expectRefusal(await post({ type: undefined }), 4, 'type');
    expectRefusal(await post({ type: 1, discount: undefined }), 4, 'discount');
    expectRefusal(await post({ discount: true }), 5, 'discount');
    expectRefusal(await post({ discount: undefined, discount_fee: 0 }), 5, 'discount_fee');
    expectRefusal(await post({ limit_fee: -1 }), 5, 'limit_fee');
    expectRefusal(await post({ expiry_type: 3 }), 5, 'expiry_type');
    expectRefusal(await post({ expiry_type: 2, delivery_valid_days: 3651 }), 5, 'delivery_valid_days');
    expectRefusal(await post({ status: 2 }), 5, 'status');
    expectRefusal(await post({ total_count: -1 }), 5, 'total_count');
    expectRefusal(await post({ max_count_per_user: 100_001 }), 5, 'max_count_per_user');
    expectRefusal(await post({ mch_account: 'm'.repeat(129) }), 5, 'mch_account');
    const created = await template();
    const put = (fields: Record<string, unknown>) =>
      call('PUT', `rest/coupon/template/${String(created.id)}`, fields, 'masterSecret');
    expectRefusal(await put({}), 4, 'status');
    expectRefusal(await put({ status: 2 }), 5, 'status');
    expectRefusal(await put({ status: 'stopped' }), 5, 'status');
    const list = (fields: Record<string, unknown>) => call('GET', 'rest/coupon/template', fields);
    expectRefusal(await list({ limit: 51 }), 5, 'limit');
    expectRefusal(await list({ status: 2 }), 5, 'status');
    expectRefusal(await list({ count_only: 'yes' }), 5, 'count_only');
    expectRefusal(await list({ created_after: 2000, created_before: 1000 }), 5, 'created_before');
  });
});

describe('coupons (POST/GET coupon)', () => {
  it('issues coupons to registered users within total_count and max_count_per_user', async () => {
    const [alice, bob, carol] = [await registeredUser(), await registeredUser(), await registeredUser()];
    const limited = await template({ total_count: 2, max_count_per_user: 1 });
    const issue = (userId: string) =>
      call('POST', 'rest/coupon', { template_id: limited.id, user_id: userId });
    const first = await issue(alice);
    expect(first.json).toMatchObject({
      result_code: 0,
      coupon: { user_id: alice, status: 0, template: { id: limited.id } },
    });
    expectRefusal(await issue(alice), 5, 'user_id');
    expect((await issue(bob)).json.result_code).toBe(0);
    expectRefusal(await issue(carol), 5, 'template_id');
    expectRefusal(
      await call('POST', 'rest/coupon', { template_id: limited.id, user_id: 'nobody' }),
      5,
      'user_id',
    );
    expectRefusal(await call('POST', 'rest/coupon', { user_id: alice }), 4, 'template_id');
    expectRefusal(
      await call('POST', 'rest/coupon', { template_id: 'nope', user_id: alice }),
      5,
      'template_id',
    );

    const byId = await call('GET', `rest/coupon/${String(first.json.id)}`);
    expect(byId.json).toMatchObject({ result_code: 0, coupon: { id: first.json.id, user_id: alice } });
    const byTemplate = await call('GET', 'rest/coupon', { template_id: limited.id });
    expect((byTemplate.json.coupons as unknown[]).length).toBe(2);
    const count = await call('GET', 'rest/coupon', { user_id: alice, count_only: true });
    expect(count.json.total_count).toBe(1);
    const templateNow = await call('GET', `rest/coupon/template/${String(limited.id)}`);
    expect(templateNow.json.coupon_template).toMatchObject({ deliver_count: 2 });
    expectRefusal(await call('GET', 'rest/coupon/nope'), 5, 'id');
    expectRefusal(await call('GET', 'rest/coupon', { status: 7 }), 5, 'status');
    // Refused by the schema before the handler.
    expectRefusal(
      await call('POST', 'rest/coupon', { template_id: limited.id, user_id: '  ' }),
      4,
      'user_id',
    );
    expectRefusal(await call('POST', 'rest/coupon', { template_id: 7, user_id: alice }), 5, 'template_id');
    expectRefusal(await call('POST', 'rest/coupon', { template_id: limited.id }), 4, 'user_id');
    expectRefusal(await call('GET', 'rest/coupon', { user_id: 'u'.repeat(65) }), 5, 'user_id');
    expectRefusal(await call('GET', 'rest/coupon', { skip: -1 }), 5, 'skip');

    // Plain query parameters (text) are read as the schema's types, as `para` is.
    const plain = await rest(harness.gateway, {
      method: 'GET',
      path: 'rest/coupon',
      payload: { user_id: alice, status: 0, count_only: true },
      secret: 'testSecret',
      plainQuery: true,
    });
    expect(plain.json).toMatchObject({ result_code: 0, total_count: 1 });
  });
});

describe('paying with a coupon (POST bill with coupon_id)', () => {
  it('charges the discounted amount; the webhook and records carry bill_fee, discount and coupon_id; refunds follow what was paid', async () => {
    const buyer = await registeredUser();
    const couponId = await couponFor(buyer);
    const made = await pay({ buyer_id: buyer, coupon_id: couponId, total_fee: 5000 });
    expect(made.json.result_code).toBe(0);
    const billId = String(made.json.id);
    expect(await couponStatus(couponId)).toBe(1);

    const paid = await rest(harness.gateway, {
      method: 'GET',
      path: `rest/sandbox/notify/${harness.gateway.app.appId}/${billId}`,
    });
    expect(paid.json.outcome).toBe('paid');
    const record = (await call('GET', `rest/bill/${billId}`)).json.pay as Record<string, unknown>;
    expect(record).toMatchObject({
      total_fee: 4000,
      bill_fee: 5000,
      discount: 1000,
      coupon_id: couponId,
      buyer_id: buyer,
    });

    const billNo = String(record.bill_no);
    await harness.receiver.waitFor(1);
    let webhooks = webhooksFor(harness.receiver, billNo);
    for (let i = 0; webhooks.length === 0 && i < 50; i += 1) {
      await harness.receiver.waitFor(harness.receiver.received.length + 1, 5000);
      webhooks = webhooksFor(harness.receiver, billNo);
    }
    const body = JSON.parse(webhooks[0]!.body) as WebhookBody & Record<string, unknown>;
    expect(body).toMatchObject({
      transaction_fee: 4000,
      bill_fee: 5000,
      discount: 1000,
      coupon_id: couponId,
    });

    const coupon = (await call('GET', `rest/coupon/${couponId}`)).json.coupon as Record<string, unknown>;
    expect(coupon).toMatchObject({ status: 1, bill_no: billNo });
    expect(typeof coupon.use_time).toBe('number');

    const tooMuch = await call(
      'POST',
      'rest/refund',
      { refund_no: newRefundNo(), bill_no: billNo, refund_fee: 5000 },
      'masterSecret',
    );
    expectRefusal(tooMuch, 12, 'refund_fee');
    const refund = await call(
      'POST',
      'rest/refund',
      { refund_no: newRefundNo(), bill_no: billNo, refund_fee: 4000 },
      'masterSecret',
    );
    expect(refund.json.result_code).toBe(0);
  });

  it('takes a percentage off, rounded half up on what is paid', async () => {
    const buyer = await registeredUser();
    const couponId = await couponFor(buyer, { type: 1, discount: 0.85, limit_fee: 0 });
    const made = await pay({ buyer_id: buyer, coupon_id: couponId, total_fee: 999 });
    const record = (await call('GET', `rest/bill/${String(made.json.id)}`)).json.pay as Record<
      string,
      unknown
    >;
    expect(record).toMatchObject({ total_fee: 849, bill_fee: 999, discount: 150 });
  });

  it('refuses a coupon of another buyer, used, below its threshold, or without buyer_id — changing nothing', async () => {
    const buyer = await registeredUser();
    const other = await registeredUser();
    const couponId = await couponFor(buyer);
    const before = moneySnapshot(harness.gateway);
    expectRefusal(await pay({ buyer_id: other, coupon_id: couponId }), 5, 'coupon_id');
    expectRefusal(await pay({ buyer_id: buyer, coupon_id: couponId, total_fee: 4999 }), 5, 'coupon_id');
    expectRefusal(await pay({ coupon_id: couponId }), 5, 'buyer_id');
    expectRefusal(await pay({ buyer_id: buyer, coupon_id: 'no-such-coupon' }), 5, 'coupon_id');
    expect(moneySnapshot(harness.gateway)).toBe(before);
    expect(await couponStatus(couponId)).toBe(0);

    expect((await pay({ buyer_id: buyer, coupon_id: couponId })).json.result_code).toBe(0);
    expectRefusal(await pay({ buyer_id: buyer, coupon_id: couponId }), 5, 'coupon_id');
  });

  it('gives the coupon back when the payment is cancelled or expires, and it pays another order', async () => {
    const buyer = await registeredUser();
    const couponId = await couponFor(buyer);
    const cancelled = await pay({
      channel: 'ALI_WEB',
      buyer_id: buyer,
      coupon_id: couponId,
      return_url: 'http://127.0.0.1/r',
    });
    expect(cancelled.json.result_code).toBe(0);
    expect(await couponStatus(couponId)).toBe(1);
    const cancel = await fetch(`${harness.gateway.url}/sandbox/cashier/${String(cancelled.json.id)}/cancel`, {
      method: 'POST',
      redirect: 'manual',
    });
    expect(cancel.status).toBeLessThan(400);
    expect(await couponStatus(couponId)).toBe(0);

    const expiring = await pay({ buyer_id: buyer, coupon_id: couponId, bill_timeout: 1 });
    expect(expiring.json.result_code).toBe(0);
    expect(await couponStatus(couponId)).toBe(1);
    // The attempt expires after 1 s: the bill query closes it on the spot, which gives the coupon back.
    const deadline = Date.now() + 10_000;
    let status = 'open';
    while (status === 'open' && Date.now() < deadline) {
      await harness.receiver.waitFor(Number.MAX_SAFE_INTEGER, 200).catch(() => undefined);
      status = String(
        ((await call('GET', `rest/bill/${String(expiring.json.id)}`)).json.pay as Record<string, unknown>)
          .status,
      );
    }
    expect(status).toBe('expired');
    expect(await couponStatus(couponId)).toBe(0);

    expect((await pay({ buyer_id: buyer, coupon_id: couponId })).json.result_code).toBe(0);
    expect(await couponStatus(couponId)).toBe(1);
  });

  it('lets one order try another channel with the coupon it holds', async () => {
    const buyer = await registeredUser();
    const couponId = await couponFor(buyer);
    const billNo = newBillNo();
    const first = await pay({ bill_no: billNo, buyer_id: buyer, coupon_id: couponId });
    const second = await pay({
      bill_no: billNo,
      channel: 'ALI_WEB',
      return_url: 'http://127.0.0.1/r',
      buyer_id: buyer,
      coupon_id: couponId,
    });
    expect(first.json.result_code).toBe(0);
    expect(second.json).toMatchObject({ result_code: 0 });
    const paid = await rest(harness.gateway, {
      method: 'GET',
      path: `rest/sandbox/notify/${harness.gateway.app.appId}/${String(second.json.id)}`,
    });
    expect(paid.json.outcome).toBe('paid');
    const coupon = (await call('GET', `rest/coupon/${couponId}`)).json.coupon as Record<string, unknown>;
    expect(coupon).toMatchObject({ status: 1, bill_no: billNo });
  });

  it('lets exactly one of two concurrent payments use one coupon', async () => {
    const buyer = await registeredUser();
    const couponId = await couponFor(buyer);
    const answers = await Promise.all([
      pay({ buyer_id: buyer, coupon_id: couponId }),
      pay({ buyer_id: buyer, coupon_id: couponId }),
      pay({ buyer_id: buyer, coupon_id: couponId }),
    ]);
    const codes = answers.map((answer) => answer.json.result_code).sort();
    expect(codes).toEqual([0, 5, 5]);
    const template = ((await call('GET', `rest/coupon/${couponId}`)).json.coupon as Record<string, unknown>)
      .template as Record<string, unknown>;
    expect(template.use_count).toBe(1);
  });
});
