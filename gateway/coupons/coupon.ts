/**
 * Coupons (卡券) as values: a template says what a coupon is worth (type 0 `fixed`: `discountFee` fen off;
 * type 1 `percentage`: the payer pays `ratePermille`/1000 of the amount), from which amount (`limitFee`) and how
 * long; a coupon is one issued to a user. Money is integer fen; rates are integer permille. The rules here are
 * pure: what a coupon takes off an amount and why a coupon cannot be used.
 */
import type { AppMode } from '../apps/app.ts';

export type CouponKind = 'fixed' | 'percentage';

/** 0 not started, 1 active, -1 stopped; a template's status only moves forward (0 → 1 → -1, 0 → -1). */
export type TemplateStatus = 0 | 1 | -1;

export interface CouponTemplate {
  id: string;
  appId: string;
  mode: AppMode;
  name: string;
  kind: CouponKind;
  /** The least amount (fen) a coupon applies to; 0 = any amount. */
  limitFee: number;
  /** fixed: fen taken off. */
  discountFee: number;
  /** percentage: what the payer pays, in permille of the amount (900 = 9折). */
  ratePermille: number;
  /** 0 = unlimited. */
  totalCount: number;
  /** 0 = unlimited. */
  maxCountPerUser: number;
  deliverCount: number;
  useCount: number;
  /** 1: valid from startTime to endTime; 2: valid deliveryValidDays from issue. */
  expiryType: 1 | 2;
  startTime: number | null;
  endTime: number | null;
  deliveryValidDays: number;
  status: TemplateStatus;
  mchAccount: string;
  createdAt: number;
  updatedAt: number;
}

export interface Coupon {
  id: string;
  appId: string;
  mode: AppMode;
  templateId: string;
  userId: string;
  /** `used` from the moment an order takes it (it is given back if that order is never paid). */
  status: 'unused' | 'used';
  startTime: number | null;
  endTime: number | null;
  /** The order (bill_no) that holds the coupon while status is used. */
  orderBillNo: string | null;
  /** The paid attempt that used it, once paid. */
  paidBillId: string | null;
  useTime: number | null;
  createdAt: number;
  updatedAt: number;
  template: CouponTemplate;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The validity of a coupon issued at `issuedAt` from this template. */
export function validityOf(
  template: CouponTemplate,
  issuedAt: number,
): { startTime: number | null; endTime: number | null } {
  if (template.expiryType === 2) {
    return { startTime: issuedAt, endTime: issuedAt + template.deliveryValidDays * DAY_MS };
  }
  return { startTime: template.startTime, endTime: template.endTime };
}

/**
 * What the template takes off `totalFee` fen: never the whole amount (at least 1 fen is paid). A percentage is
 * rounded half up on what the payer pays.
 */
export function discountFor(template: CouponTemplate, totalFee: number): number {
  const paid =
    template.kind === 'fixed'
      ? totalFee - template.discountFee
      : Math.floor((totalFee * template.ratePermille + 500) / 1000);
  return totalFee - Math.max(1, Math.min(totalFee, paid));
}

/** Why a coupon cannot pay an order; undefined when it can. */
export type CouponRefusal =
  'not_owner' | 'used' | 'not_started' | 'expired' | 'template_inactive' | 'below_threshold';

export interface CouponUse {
  buyerId: string;
  totalFee: number;
  now: number;
  /** The order asking: a coupon it already holds (another attempt of the same order) may be used again. */
  billNo?: string;
}

export function couponRefusal(coupon: Coupon, use: CouponUse): CouponRefusal | undefined {
  if (coupon.userId !== use.buyerId) return 'not_owner';
  if (coupon.status === 'used') {
    const heldBySameOrder =
      use.billNo !== undefined && coupon.orderBillNo === use.billNo && coupon.paidBillId === null;
    if (!heldBySameOrder) return 'used';
  }
  if (coupon.endTime !== null && use.now > coupon.endTime) return 'expired';
  if (coupon.startTime !== null && use.now < coupon.startTime) return 'not_started';
  if (coupon.template.status !== 1) return 'template_inactive';
  if (use.totalFee < coupon.template.limitFee) return 'below_threshold';
  return undefined;
}

export const refusalText: Record<CouponRefusal, string> = {
  not_owner: 'was not issued to this buyer_id',
  used: 'is already used',
  not_started: 'is not valid yet',
  expired: 'has expired',
  template_inactive: 'belongs to a template that is not active',
  below_threshold: 'needs a larger amount (limit_fee)',
};

/** BeeCloud's coupon status on the wire: 0 unused, 1 used; spay adds 2 for an unused coupon past its end. */
export function wireCouponStatus(coupon: Coupon, now: number): 0 | 1 | 2 {
  if (coupon.status === 'used') return 1;
  return coupon.endTime !== null && now > coupon.endTime ? 2 : 0;
}
