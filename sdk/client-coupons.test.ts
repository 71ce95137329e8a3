/**
 * The SDK's user and coupon calls against the real gateway over HTTP (sandbox): register users, list them,
 * attach history bills, create a template (master secret), issue and query coupons, pay with one and read the
 * bill's bill_fee / discount / coupon_id back.
 */
import { describe, expect, it } from 'vitest';
import { useGatewayWithReceiver } from '../gateway/testing/gateway-with-receiver.ts';
import type { SpayClient } from './client.ts';
import { sandboxClient } from './testing/sandbox-client.ts';
import { SpayError } from './result.ts';

const harness = useGatewayWithReceiver();

function sdkClient(): SpayClient {
  return sandboxClient(harness).client;
}

describe('SpayClient users and coupons', () => {
  it('registers users, lists them and attaches history bills', async () => {
    const client = sdkClient();
    const buyer = `sdk-buyer-${Date.now()}`;
    expect((await client.orThrow.addUser(buyer)).created_count).toBe(1);
    expect((await client.orThrow.addUsers('shop@example.com', [`${buyer}-2`, buyer])).created_count).toBe(1);
    const { users } = await client.orThrow.users({ email: 'shop@example.com' });
    expect(users.map((user) => user.buyer_id).sort()).toEqual([buyer, `${buyer}-2`].sort());

    const billNo = `sdk${Date.now()}`;
    await client.orThrow.pay({ channel: 'WX_NATIVE', bill_no: billNo, title: 'history', total_fee: 1 });
    const attached = await client.orThrow.attachHistoryBills({ [buyer]: [billNo, 'NOPE00000001'] });
    expect(attached.failed_bills).toEqual({ [buyer]: ['NOPE00000001'] });
    const { bills } = await client.orThrow.bills({ buyer_id: buyer });
    expect(bills.map((bill) => bill.bill_no)).toEqual([billNo]);
  });

  it('creates a template, issues a coupon, pays with it and reads the discount back', async () => {
    const client = sdkClient();
    const buyer = `sdk-c-${Date.now()}`;
    await client.orThrow.addUser(buyer);
    const { coupon_template: template } = await client.orThrow.createCouponTemplate({
      name: 'SDK 9折',
      type: 1,
      discount: '0.9',
    });
    expect(template).toMatchObject({ type: 1, rate_permille: 900, discount: 0.9 });
    expect((await client.orThrow.couponTemplate(template.id)).coupon_template.name).toBe('SDK 9折');
    expect(
      (await client.orThrow.couponTemplates({ name: 'SDK 9折' })).coupon_templates.length,
    ).toBeGreaterThan(0);

    const { coupon } = await client.orThrow.issueCoupon(template.id, buyer);
    expect((await client.orThrow.coupons({ user_id: buyer })).coupons.map((found) => found.id)).toEqual([
      coupon.id,
    ]);
    expect((await client.orThrow.couponsCount({ user_id: buyer, status: 0 })).total_count).toBe(1);

    const paid = await client.orThrow.pay({
      channel: 'WX_NATIVE',
      bill_no: `sdkc${Date.now()}`,
      title: 'coupon',
      total_fee: 1000,
      buyer_id: buyer,
      coupon_id: coupon.id,
    });
    const { pay } = await client.orThrow.billById(paid.id);
    expect(pay).toMatchObject({ total_fee: 900, bill_fee: 1000, discount: 100, coupon_id: coupon.id });
    expect((await client.orThrow.coupon(coupon.id)).coupon.status).toBe(1);

    const stopped = await client.orThrow.setCouponTemplateStatus(template.id, -1);
    expect(stopped.coupon_template.status).toBe(-1);
    await expect(client.orThrow.setCouponTemplateStatus(template.id, 1)).rejects.toThrow(SpayError);
  });
});
