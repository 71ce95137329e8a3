/** The pure coupon rules: what a template takes off an amount (integer fen) and why a coupon cannot pay. */
import { describe, expect, it } from 'vitest';
import {
  couponRefusal,
  discountFor,
  validityOf,
  wireCouponStatus,
  type Coupon,
  type CouponTemplate,
} from './coupon.ts';

function template(overrides: Partial<CouponTemplate> = {}): CouponTemplate {
  return {
    id: 't1',
    appId: 'a',
    mode: 'test',
    name: '满50减10',
    kind: 'fixed',
    limitFee: 5000,
    discountFee: 1000,
    ratePermille: 0,
    totalCount: 0,
    maxCountPerUser: 0,
    deliverCount: 0,
    useCount: 0,
    expiryType: 1,
    startTime: 1000,
    endTime: 2000,
    deliveryValidDays: 0,
    status: 1,
    mchAccount: '',
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

function coupon(overrides: Partial<Coupon> = {}): Coupon {
  return {
    id: 'c1',
    appId: 'a',
    mode: 'test',
    templateId: 't1',
    userId: 'u1',
    status: 'unused',
    startTime: 1000,
    endTime: 2000,
    orderBillNo: null,
    paidBillId: null,
    useTime: null,
    createdAt: 0,
    updatedAt: 0,
    template: template(),
    ...overrides,
  };
}

describe('discountFor', () => {
  it('takes fixed fen off and always leaves at least 1 fen to pay', () => {
    expect(discountFor(template(), 5000)).toBe(1000);
    expect(discountFor(template({ discountFee: 1000 }), 1000)).toBe(999);
    expect(discountFor(template({ discountFee: 5000 }), 300)).toBe(299);
  });

  it('charges a percentage rounded half up on what is paid', () => {
    const rate = template({ kind: 'percentage', ratePermille: 850 });
    expect(discountFor(rate, 999)).toBe(150); // 849.15 → 849 paid
    expect(discountFor(rate, 1)).toBe(0); // 0.85 → 1 paid
    expect(discountFor(template({ kind: 'percentage', ratePermille: 905 }), 100)).toBe(9); // 90.5 → 91
    expect(discountFor(template({ kind: 'percentage', ratePermille: 1 }), 100)).toBe(99);
  });
});

describe('couponRefusal', () => {
  const use = { buyerId: 'u1', totalFee: 5000, now: 1500 };
  it('accepts an unused valid coupon of the buyer above the threshold', () => {
    expect(couponRefusal(coupon(), use)).toBeUndefined();
  });
  it('names each reason', () => {
    expect(couponRefusal(coupon(), { ...use, buyerId: 'u2' })).toBe('not_owner');
    expect(couponRefusal(coupon({ status: 'used', orderBillNo: 'o1' }), use)).toBe('used');
    expect(couponRefusal(coupon(), { ...use, now: 999 })).toBe('not_started');
    expect(couponRefusal(coupon(), { ...use, now: 2001 })).toBe('expired');
    expect(couponRefusal(coupon({ template: template({ status: -1 }) }), use)).toBe('template_inactive');
    expect(couponRefusal(coupon(), { ...use, totalFee: 4999 })).toBe('below_threshold');
  });
  it('lets the order holding a coupon use it again, not once paid', () => {
    expect(
      couponRefusal(coupon({ status: 'used', orderBillNo: 'o1' }), { ...use, billNo: 'o1' }),
    ).toBeUndefined();
    expect(
      couponRefusal(coupon({ status: 'used', orderBillNo: 'o1', paidBillId: 'b1' }), {
        ...use,
        billNo: 'o1',
      }),
    ).toBe('used');
  });
});

describe('validity and wire status', () => {
  it('follows the template window, or days from issue', () => {
    expect(validityOf(template(), 5)).toEqual({ startTime: 1000, endTime: 2000 });
    expect(validityOf(template({ expiryType: 2, deliveryValidDays: 2 }), 5)).toEqual({
      startTime: 5,
      endTime: 5 + 2 * 86_400_000,
    });
  });
  it('reports 0 unused, 1 used, 2 unused past its end', () => {
    expect(wireCouponStatus(coupon(), 1500)).toBe(0);
    expect(wireCouponStatus(coupon({ status: 'used' }), 3000)).toBe(1);
    expect(wireCouponStatus(coupon(), 3000)).toBe(2);
  });
});
