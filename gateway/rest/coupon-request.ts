/**
 * The fields of the users and coupons endpoints, read and checked (each refusal names its field with BeeCloud's
 * result code), and the records they answer (the shapes BeeCloud's SDKs read: BCMerchantUser, BCCouponTemplate,
 * BCCoupon). Money is integer fen: a fixed template's `discount` in yuan is converted exactly, a percentage's
 * ratio exactly to permille.
 */
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
import type { UserListFilter } from '../storage/user-store.ts';
import type { MerchantUser } from '../users/merchant-user.ts';
import { MAX_LIMIT, readPaging, readTimeRange, type Paging } from './list-query.ts';
import type { RequestFields } from './request-fields.ts';

/** A buyer_id / user_id: what merchants use as user ids (letters, digits, @ . _ - and CJK are all seen). */
export const buyerIdRule = { maxLength: 64 };
const maxBatchUsers = 1000;
const maxHistoryBills = 1000;

export function readBuyerId(fields: RequestFields, name = 'buyer_id'): string {
  const value = fields.requiredString(name, buyerIdRule).trim();
  if (value === '') throw new BeeCloudError('MISS_PARAM', name, 'is required');
  return value;
}

/** `POST users`: the merchant account (`email`, an email or a phone number) and its buyer_ids. */
export function readUserBatch(fields: RequestFields): { merchant: string; buyerIds: string[] } {
  const merchant = fields.requiredString('email', { maxLength: 128 }).trim();
  const buyerIds = fields.requiredStringList('buyer_ids', maxBatchUsers);
  buyerIds.forEach((buyerId, index) => {
    if (buyerId.length > buyerIdRule.maxLength) {
      throw new BeeCloudError('PARAM_INVALID', 'buyer_ids', `item ${index} must be at most 64 characters`);
    }
  });
  return { merchant, buyerIds };
}

export function readUserQuery(fields: RequestFields): { filter: UserListFilter; paging: Paging } {
  const range = readTimeRange(fields);
  return {
    filter: { merchant: fields.optionalString('email', { maxLength: 128 }), ...range },
    paging: {
      skip: fields.optionalInteger('skip', { min: 0, max: 1_000_000 }) ?? 0,
      limit: fields.optionalInteger('limit', { min: 1, max: 1000 }) ?? 1000,
    },
  };
}

/** `PUT history_bills`: `bill_info` = {buyer_id: [bill_no…]}. */
export function readBillInfo(fields: RequestFields): Record<string, string[]> {
  if (!fields.has('bill_info')) throw new BeeCloudError('MISS_PARAM', 'bill_info', 'is required');
  const value = fields.values.bill_info;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BeeCloudError('PARAM_INVALID', 'bill_info', 'must be an object {buyer_id: [bill_no, …]}');
  }
  const info: Record<string, string[]> = {};
  let total = 0;
  for (const [buyerId, billNos] of Object.entries(value as Record<string, unknown>)) {
    if (buyerId.trim() === '' || buyerId.length > buyerIdRule.maxLength) {
      throw new BeeCloudError('PARAM_INVALID', 'bill_info', 'keys must be buyer_ids of 1 to 64 characters');
    }
    if (!Array.isArray(billNos) || billNos.some((billNo) => typeof billNo !== 'string' || billNo === '')) {
      throw new BeeCloudError(
        'PARAM_INVALID',
        'bill_info',
        `value of "${buyerId.slice(0, 64)}" must be a list of bill_no`,
      );
    }
    total += billNos.length;
    info[buyerId] = billNos as string[];
  }
  if (total === 0) throw new BeeCloudError('MISS_PARAM', 'bill_info', 'names no bill');
  if (total > maxHistoryBills) {
    throw new BeeCloudError('PARAM_INVALID', 'bill_info', `must name at most ${maxHistoryBills} bills`);
  }
  return info;
}

function readYuanAsFen(fields: RequestFields, name: string): number {
  const value = fields.values[name];
  const text = typeof value === 'number' || typeof value === 'string' ? String(value) : '';
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
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

function readRatioAsPermille(fields: RequestFields, name: string): number {
  const value = fields.values[name];
  const text = typeof value === 'number' || typeof value === 'string' ? String(value) : '';
  const match = /^0?\.(\d{1,3})$/.exec(text);
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

/** `POST coupon/template`. */
export function readTemplateInput(fields: RequestFields): TemplateInput {
  const name = fields.requiredString('name', { maxLength: 64 }).trim();
  if (name === '') throw new BeeCloudError('MISS_PARAM', 'name', 'is required');
  const type = fields.requiredInteger('type', { min: 0, max: 1 });
  let discountFee = 0;
  let ratePermille = 0;
  if (type === 0) {
    if (fields.has('discount_fee')) discountFee = fields.requiredInteger('discount_fee', { min: 1 });
    else if (fields.has('discount')) discountFee = readYuanAsFen(fields, 'discount');
    else throw new BeeCloudError('MISS_PARAM', 'discount', 'is required (yuan off; or discount_fee in fen)');
  } else {
    if (!fields.has('discount'))
      throw new BeeCloudError('MISS_PARAM', 'discount', 'is required (a ratio, 0.9 = 9折)');
    ratePermille = readRatioAsPermille(fields, 'discount');
  }
  const limitFee = fields.optionalInteger('limit_fee', { min: 0 }) ?? 0;
  if (type === 0 && limitFee > 0 && discountFee >= limitFee) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'discount',
      'must be less than limit_fee (something is always paid)',
    );
  }
  const expiryType = fields.optionalInteger('expiry_type', { min: 1, max: 2 }) ?? 1;
  const startTime = fields.optionalInteger('start_time', { min: 0 }) ?? null;
  const endTime = fields.optionalInteger('end_time', { min: 0 }) ?? null;
  if (startTime !== null && endTime !== null && endTime <= startTime) {
    throw new BeeCloudError('PARAM_INVALID', 'end_time', 'must be after start_time');
  }
  let deliveryValidDays = 0;
  if (expiryType === 2)
    deliveryValidDays = fields.requiredInteger('delivery_valid_days', { min: 1, max: 3650 });
  const status = fields.optionalInteger('status', { min: -1, max: 1 }) ?? 1;
  if (status === -1)
    throw new BeeCloudError('PARAM_INVALID', 'status', 'a new template is 0 (not started) or 1 (active)');
  return {
    name,
    kind: type === 1 ? 'percentage' : 'fixed',
    limitFee,
    discountFee,
    ratePermille,
    totalCount: fields.optionalInteger('total_count', { min: 0, max: 100_000_000 }) ?? 0,
    maxCountPerUser: fields.optionalInteger('max_count_per_user', { min: 0, max: 100_000 }) ?? 0,
    expiryType: expiryType === 2 ? 2 : 1,
    startTime: expiryType === 1 ? startTime : null,
    endTime: expiryType === 1 ? endTime : null,
    deliveryValidDays,
    status: status as TemplateStatus,
    mchAccount: fields.optionalString('mch_account', { maxLength: 128 }) ?? '',
  };
}

export function readTemplateStatus(fields: RequestFields): TemplateStatus {
  return fields.requiredInteger('status', { min: -1, max: 1 }) as TemplateStatus;
}

export interface CriteriaQuery<F> {
  filter: F;
  paging: Paging;
  countOnly: boolean;
}

function readCreated(fields: RequestFields): { createdAfter?: number; createdBefore?: number } {
  const createdAfter = fields.optionalInteger('created_after', { min: 0 });
  const createdBefore = fields.optionalInteger('created_before', { min: 0 });
  if (createdAfter !== undefined && createdBefore !== undefined && createdBefore < createdAfter) {
    throw new BeeCloudError('PARAM_INVALID', 'created_before', 'must not be before created_after');
  }
  return { createdAfter, createdBefore };
}

export function readTemplateQuery(fields: RequestFields): CriteriaQuery<TemplateListFilter> {
  const status = fields.optionalInteger('status', { min: -1, max: 1 });
  return {
    filter: {
      name: fields.optionalString('name', { maxLength: 64 }),
      status: status as TemplateStatus | undefined,
      ...readCreated(fields),
    },
    paging: readPaging(fields),
    countOnly: fields.optionalBoolean('count_only') ?? false,
  };
}

export function readCouponQuery(fields: RequestFields, now: number): CriteriaQuery<CouponListFilter> {
  const status = fields.optionalInteger('status', { min: 0, max: 2 });
  return {
    filter: {
      userId: fields.optionalString('user_id', buyerIdRule),
      templateId: fields.optionalString('template_id', { maxLength: 64 }),
      // 2 (spay): unused and past its end; 0: unused and still valid.
      status: status === undefined ? undefined : status === 1 ? 'used' : 'unused',
      ...(status === 0 ? { validAt: now } : {}),
      ...(status === 2 ? { expiredAt: now } : {}),
      ...readCreated(fields),
    },
    paging: readPaging(fields),
    countOnly: fields.optionalBoolean('count_only') ?? false,
  };
}

export { MAX_LIMIT };

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
