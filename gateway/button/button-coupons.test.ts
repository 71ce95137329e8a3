/**
 * The button's coupons over real HTTP: an order signed (v2) with a buyer_id lists that buyer's coupons with the
 * discount on its amount (unusable ones with why), a bill created with the payer's coupon_id charges the
 * discounted amount and holds the coupon; the sign covers buyer_id, the legacy sign cannot carry one, and a
 * coupon of another buyer is refused naming coupon_id.
 */
import { describe, expect, it } from 'vitest';
import { signButtonOrderV2 } from '../../sdk/button-order.ts';
import {
  newOrderNo,
  postJson,
  startTestGateway,
  signedOrder,
  type TestGateway,
} from '../testing/gateway-harness.ts';
import { rest } from '../rest/testing/rest-caller.ts';
import { afterAll, beforeAll } from 'vitest';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(async () => gateway.close());

let serial = 0;
async function buyerWithCoupons(): Promise<{ buyer: string; fixed: string; big: string }> {
  serial += 1;
  const buyer = `btn-buyer-${Date.now()}-${serial}`;
  await rest(gateway, { method: 'POST', path: 'rest/user', payload: { buyer_id: buyer } });
  const issue = async (fields: Record<string, unknown>) => {
    const template = await rest(gateway, {
      method: 'POST',
      path: 'rest/coupon/template',
      payload: { type: 0, ...fields },
      secret: 'masterSecret',
    });
    const coupon = await rest(gateway, {
      method: 'POST',
      path: 'rest/coupon',
      payload: { template_id: template.json.id, user_id: buyer },
    });
    return String(coupon.json.id);
  };
  const fixed = await issue({ name: '满30减5', discount: 5, limit_fee: 3000 });
  const big = await issue({ name: '满100减20', discount: 20, limit_fee: 10000 });
  return { buyer, fixed, big };
}

function order(buyer: string, amount = 5000): Record<string, unknown> {
  return {
    appId: gateway.app.appId,
    ...signButtonOrderV2(gateway.app, {
      title: '优惠商品',
      amount,
      out_trade_no: newOrderNo(),
      buyer_id: buyer,
    }),
  };
}

describe('the button with a buyer (POST /2/rest/jsbutton/coupons, coupon_id on the bill)', () => {
  it('lists the buyer coupons usable first with their discount, the others greyed with why', async () => {
    const { buyer, fixed, big } = await buyerWithCoupons();
    const listed = await postJson(`${gateway.url}/2/rest/jsbutton/coupons`, JSON.stringify(order(buyer)), {
      'content-type': 'text/plain;charset=UTF-8',
    });
    expect(listed.json.result_code).toBe(0);
    expect(listed.json.coupons).toEqual([
      expect.objectContaining({
        id: fixed,
        name: '满30减5',
        discount: 500,
        pay_fee: 4500,
        usable: true,
        reason: '',
      }),
      expect.objectContaining({
        id: big,
        usable: false,
        reason: 'below_threshold',
        discount: 0,
        limit_fee: 10000,
      }),
    ]);
  });

  it('creates the bill with the picked coupon: the discounted amount is charged and the coupon held', async () => {
    const { buyer, fixed } = await buyerWithCoupons();
    const signed = order(buyer);
    const made = await postJson(`${gateway.url}/2/rest/jsbutton/WX_NATIVE`, { ...signed, coupon_id: fixed });
    expect(made.json).toMatchObject({ result_code: 0, action: 'qr', total_fee: 4500 });
    const coupon = await rest(gateway, { method: 'GET', path: `rest/coupon/${fixed}` });
    expect(coupon.json.coupon).toMatchObject({ status: 1, bill_no: signed.out_trade_no });
    // The same order on another channel may use the coupon it holds; it is listed for that order.
    const again = await postJson(`${gateway.url}/2/rest/jsbutton/coupons`, signed);
    expect(again.json.coupons).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: fixed, usable: true, discount: 500 })]),
    );
  });

  it('refuses what it must, naming the field', async () => {
    const { buyer, fixed } = await buyerWithCoupons();
    const other = await buyerWithCoupons();
    const signed = order(buyer);
    const tampered = await postJson(`${gateway.url}/2/rest/jsbutton/coupons`, {
      ...signed,
      buyer_id: other.buyer,
    });
    expect(tampered.json).toMatchObject({ result_code: 1 });
    expect(String(tampered.json.err_detail)).toMatch(/^sign:/);

    const legacy = await postJson(`${gateway.url}/2/rest/jsbutton/WX_NATIVE`, {
      ...signedOrder(gateway.app, { amount: 5000 }),
      buyer_id: buyer,
    });
    expect(legacy.json).toMatchObject({ result_code: 5 });
    expect(String(legacy.json.err_detail)).toMatch(/^buyer_id:/);

    const noBuyer = await postJson(`${gateway.url}/2/rest/jsbutton/coupons`, {
      appId: gateway.app.appId,
      ...signButtonOrderV2(gateway.app, { title: 't', amount: 100, out_trade_no: newOrderNo() }),
    });
    expect(noBuyer.json).toMatchObject({ result_code: 4 });
    expect(String(noBuyer.json.err_detail)).toMatch(/^buyer_id:/);

    const othersCoupon = await postJson(`${gateway.url}/2/rest/jsbutton/WX_NATIVE`, {
      ...order(other.buyer),
      coupon_id: fixed,
    });
    expect(othersCoupon.json).toMatchObject({ result_code: 5 });
    expect(String(othersCoupon.json.err_detail)).toMatch(/^coupon_id:/);
    const coupon = await rest(gateway, { method: 'GET', path: `rest/coupon/${fixed}` });
    expect(coupon.json.coupon).toMatchObject({ status: 0 });
  });

  it('refuses a bad order by its schema, naming the field, with HTTP 200 as the button answers', async () => {
    const { buyer } = await buyerWithCoupons();
    const url = `${gateway.url}/2/rest/jsbutton/coupons`;
    const cases: Array<[unknown, number, string]> = [
      [{ ...order(buyer), amount: 0 }, 5, 'amount'],
      [{ ...order(buyer), amount: 'ten' }, 5, 'amount'],
      [{ ...order(buyer), sign: undefined }, 4, 'sign'],
      [{ ...order(buyer), out_trade_no: 'short' }, 5, 'out_trade_no'],
      [{ ...order(buyer), buyer_id: 'a\u0001b' }, 5, 'buyer_id'],
      ['{not json', 5, 'body'],
      [[order(buyer)], 5, 'body'],
    ];
    for (const [body, code, field] of cases) {
      const answer = await postJson(url, body, { 'content-type': 'text/plain;charset=UTF-8' });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json.result_code, answer.text).toBe(code);
      expect(String(answer.json.err_detail)).toMatch(new RegExp(`^${field}:`));
    }
  });
});
