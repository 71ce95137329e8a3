/**
 * The users and coupons requests after their schemas (user-coupon-schemas.ts), in the core's names, with the rules a
 * schema cannot say — a template's `discount` in yuan converted exactly to fen and its ratio to permille, discount
 * below limit_fee, end_time after start_time, the number of history bills in all — and the records they answer (the
 * shapes BeeCloud's SDKs read: BCMerchantUser, BCCouponTemplate, BCCoupon).
 */
import type { Static } from 'typebox';
import {
  wireCouponStatus,
  type Coupon,
  type CouponTemplate,
  type TemplateStatus,
} from '../coupons/coupon.ts';
import type { TemplateInput } from '../core/coupons.ts';
import type { CouponRecord, MerchantUserRecord, TemplateRecord } from '../../sdk/coupon-types.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { CouponListFilter, TemplateListFilter } from '../storage/coupon-store.ts';
import type { MerchantUser } from '../users/merchant-user.ts';
import { pagingFrom, type Paging } from './list-query.ts';
import {
  MAX_HISTORY_BILLS,
  type couponListQuery,
  type historyBillsBody,
  type templateBody,
  type templateListQuery,
} from './user-coupon-schemas.ts';

/** `PUT history_bills`: `bill_info` = {buyer_id: [bill_no…]} naming 1 to 1000 bills in all. */
export function billInfoFrom(fields: Static<typeof historyBillsBody>): Record<string, string[]> {
  const total = Object.values(fields.bill_info).reduce((sum, billNos) => sum + billNos.length, 0);
  if (total === 0) throw new BeeCloudError('MISS_PARAM', 'bill_info', 'names no bill');
  if (total > MAX_HISTORY_BILLS) {
    throw new BeeCloudError('PARAM_INVALID', 'bill_info', `must name at most ${MAX_HISTORY_BILLS} bills`);
  }
  return fields.bill_info;
}

function yuanAsFen(value: number | string, name: string): number {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(String(value));
  if (match === null) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      name,
      'must be an amount in yuan with at most 2 decimals, e.g. 10 or 9.5',
    );
  }
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (fen < 1) throw new BeeCloudError('PARAM_INVALID', name, 'must be more than 0');
  return fen;
}

function ratioAsPermille(value: number | string, name: string): number {
  const match = /^0?\.(\d{1,3})$/.exec(String(value));
  const permille = match === null ? 0 : Number((match[1] ?? '').padEnd(3, '0'));
  if (permille < 1) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      name,
      'must be a ratio between 0 and 1 with at most 3 decimals (0.9 = 9折)',
    );
  }
  return permille;
}

/** `POST coupon/template` (the schema requires discount or discount_fee by type, delivery_valid_days by expiry). */
export function templateInputFrom(fields: Static<typeof templateBody>): TemplateInput {
  const type = fields.type;
  let discountFee = 0;
  let ratePermille = 0;
  if (type === 0) {
    discountFee = fields.discount_fee ?? yuanAsFen(fields.discount ?? '', 'discount');
  } else {
    ratePermille = ratioAsPermille(fields.discount ?? '', 'discount');
  }
  const limitFee = fields.limit_fee ?? 0;
  if (type === 0 && limitFee > 0 && discountFee >= limitFee) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'discount',
      'must be less than limit_fee (something is always paid)',
    );
  }
  const expiryType = fields.expiry_type ?? 1;
  const startTime = fields.start_time ?? null;
  const endTime = fields.end_time ?? null;
  if (startTime !== null && endTime !== null && endTime <= startTime) {
    throw new BeeCloudError('PARAM_INVALID', 'end_time', 'must be after start_time');
  }
  return {
    name: fields.name.trim(),
    kind: type === 1 ? 'percentage' : 'fixed',
    limitFee,
    discountFee,
    ratePermille,
    totalCount: fields.total_count ?? 0,
    maxCountPerUser: fields.max_count_per_user ?? 0,
    expiryType: expiryType === 2 ? 2 : 1,
    startTime: expiryType === 1 ? startTime : null,
    endTime: expiryType === 1 ? endTime : null,
    deliveryValidDays: expiryType === 2 ? (fields.delivery_valid_days ?? 0) : 0,
    status: (fields.status ?? 1) as TemplateStatus,
    mchAccount: fields.mch_account ?? '',
  };
}

export interface CriteriaQuery<F> {
  filter: F;
  paging: Paging;
  countOnly: boolean;
}

function createdFrom(fields: { created_after?: number; created_before?: number }): {
  createdAfter?: number;
  createdBefore?: number;
} {
  const { created_after: createdAfter, created_before: createdBefore } = fields;
  if (createdAfter !== undefined && createdBefore !== undefined && createdBefore < createdAfter) {
    throw new BeeCloudError('PARAM_INVALID', 'created_before', 'must not be before created_after');
  }
  return { createdAfter, createdBefore };
}

export function templateQueryFrom(
  fields: Static<typeof templateListQuery>,
): CriteriaQuery<TemplateListFilter> {
  return {
    filter: {
      name: fields.name,
      status: fields.status as TemplateStatus | undefined,
      ...createdFrom(fields),
    },
    paging: pagingFrom(fields),
    countOnly: fields.count_only ?? false,
  };
}

export function couponQueryFrom(
  fields: Static<typeof couponListQuery>,
  now: number,
): CriteriaQuery<CouponListFilter> {
  const status = fields.status;
  return {
    filter: {
      userId: fields.user_id,
      templateId: fields.template_id,
      // 2 (spay): unused and past its end; 0: unused and still valid.
      status: status === undefined ? undefined : status === 1 ? 'used' : 'unused',
      ...(status === 0 ? { validAt: now } : {}),
      ...(status === 2 ? { expiredAt: now } : {}),
      ...createdFrom(fields),
    },
    paging: pagingFrom(fields),
    countOnly: fields.count_only ?? false,
  };
}

export function templateRecord(template: CouponTemplate): TemplateRecord {
  return {
    id: template.id,
    name: template.name,
    type: template.kind === 'percentage' ? 1 : 0,
    limit_fee: template.limitFee,
    discount: template.kind === 'percentage' ? template.ratePermille / 1000 : template.discountFee / 100,
    discount_fee: template.discountFee,
    rate_permille: template.ratePermille,
    total_count: template.totalCount,
    max_count_per_user: template.maxCountPerUser,
    deliver_count: template.deliverCount,
    use_count: template.useCount,
    expiry_type: template.expiryType,
    start_time: template.startTime,
    end_time: template.endTime,
    delivery_valid_days: template.deliveryValidDays,
    status: template.status,
    mch_account: template.mchAccount,
    app_id: template.appId,
    created_at: template.createdAt,
    updated_at: template.updatedAt,
  };
}

export function couponRecord(coupon: Coupon, now: number): CouponRecord {
  return {
    id: coupon.id,
    template: templateRecord(coupon.template),
    user_id: coupon.userId,
    app_id: coupon.appId,
    status: wireCouponStatus(coupon, now),
    created_at: coupon.createdAt,
    updated_at: coupon.updatedAt,
    start_time: coupon.startTime,
    end_time: coupon.endTime,
    use_time: coupon.useTime,
    bill_no: coupon.orderBillNo ?? '',
  };
}

export function userRecord(user: MerchantUser): MerchantUserRecord {
  return {
    merchant: user.merchant,
    app_id: user.appId,
    buyer_id: user.buyerId,
    createdat: user.createdAt,
    updatedat: user.updatedAt,
  };
}
