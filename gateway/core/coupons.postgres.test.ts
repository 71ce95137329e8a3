/**
 * Coupons on PostgreSQL with several gateway instances on one database (runs under `npm run test:postgres`):
 * payments racing for one coupon through different instances end with exactly one holding it, issues racing for
 * a template's last coupons never pass its total_count, and a cancelled attempt gives the coupon back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBillNo, rest, type RestAnswer, type SecretName } from '../rest/testing/rest-caller.ts';
import { startGatewayInstances } from '../testing/gateway-instances.ts';
import type { TestGateway } from '../testing/gateway-harness.ts';

let instances: TestGateway[] = [];
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
  const started = await startGatewayInstances(3);
  instances = started.instances;
  close = started.close;
});
afterAll(async () => close());

function call(
  at: number,
  method: 'GET' | 'POST',
  path: string,
  payload: Record<string, unknown>,
  secret: SecretName = 'testSecret',
): Promise<RestAnswer> {
  const gateway = instances[at % instances.length]!;
  return rest(gateway, { method, path, payload, secret });
}

async function setUp(totalCount = 0): Promise<{ buyer: string; templateId: string }> {
  const buyer = `pg-buyer-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  expect((await call(0, 'POST', 'rest/user', { buyer_id: buyer })).json.result_code).toBe(0);
  const made = await call(
    1,
    'POST',
    'rest/coupon/template',
    { name: 'pg满减', type: 0, discount_fee: 300, limit_fee: 1000, total_count: totalCount },
    'masterSecret',
  );
  expect(made.json.result_code).toBe(0);
  return { buyer, templateId: String(made.json.id) };
}

describe('coupons on PostgreSQL, several instances', () => {
  it('lets exactly one of six concurrent payments on three instances use one coupon', async () => {
    const { buyer, templateId } = await setUp();
    const issued = await call(2, 'POST', 'rest/coupon', { template_id: templateId, user_id: buyer });
    const couponId = String(issued.json.id);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        call(index, 'POST', 'rest/bill', {
          channel: 'WX_NATIVE',
          bill_no: newBillNo(),
          title: 'race',
          total_fee: 2000,
          buyer_id: buyer,
          coupon_id: couponId,
        }),
      ),
    );
    const winners = answers.filter((answer) => answer.json.result_code === 0);
    expect(winners).toHaveLength(1);
    for (const loser of answers.filter((answer) => answer.json.result_code !== 0)) {
      expect(loser.json).toMatchObject({ result_code: 5 });
      expect(String(loser.json.err_detail)).toMatch(/^coupon_id:/);
    }
    const bill = await call(0, 'GET', `rest/bill/${String(winners[0]!.json.id)}`, {});
    expect(bill.json.pay).toMatchObject({
      total_fee: 1700,
      bill_fee: 2000,
      discount: 300,
      coupon_id: couponId,
    });
    const coupon = await call(1, 'GET', `rest/coupon/${couponId}`, {});
    expect(coupon.json.coupon).toMatchObject({ status: 1, template: { use_count: 1 } });
  });

  it('never issues past total_count when issues race on several instances', async () => {
    const { templateId } = await setUp(3);
    const users: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const buyer = `pg-u-${Date.now()}-${i}`;
      await call(i, 'POST', 'rest/user', { buyer_id: buyer });
      users.push(buyer);
    }
    const answers = await Promise.all(
      users.map((userId, index) =>
        call(index, 'POST', 'rest/coupon', { template_id: templateId, user_id: userId }),
      ),
    );
    expect(answers.filter((answer) => answer.json.result_code === 0)).toHaveLength(3);
    const template = await call(0, 'GET', `rest/coupon/template/${templateId}`, {});
    expect(template.json.coupon_template).toMatchObject({ deliver_count: 3 });
    const count = await call(1, 'GET', 'rest/coupon', { template_id: templateId, count_only: true });
    expect(count.json.total_count).toBe(3);
  });

  it('gives the coupon back when its attempt is cancelled on another instance', async () => {
    const { buyer, templateId } = await setUp();
    const issued = await call(0, 'POST', 'rest/coupon', { template_id: templateId, user_id: buyer });
    const couponId = String(issued.json.id);
    const made = await call(1, 'POST', 'rest/bill', {
      channel: 'ALI_WEB',
      bill_no: newBillNo(),
      title: 'cancel',
      total_fee: 2000,
      return_url: 'http://127.0.0.1/r',
      buyer_id: buyer,
      coupon_id: couponId,
    });
    expect(made.json.result_code).toBe(0);
    const cancel = await fetch(`${instances[2]!.url}/sandbox/cashier/${String(made.json.id)}/cancel`, {
      method: 'POST',
      redirect: 'manual',
    });
    expect(cancel.status).toBeLessThan(400);
    const coupon = await call(0, 'GET', `rest/coupon/${couponId}`, {});
    expect(coupon.json.coupon).toMatchObject({ status: 0, template: { use_count: 0 } });
  });
});
