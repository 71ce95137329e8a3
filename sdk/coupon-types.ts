/**
 * The merchant users and coupons of the REST API (BeeCloud's `beecloud.user` and `beecloud.sales`): requests and
 * records as the gateway speaks them. Money is integer fen; BeeCloud's `discount` (yuan or a ratio) is kept for
 * its SDKs, with the exact integers beside it.
 */
import type { TimeFilter } from './rest-types.ts';

export type TemplateStatusCode = 0 | 1 | -1;

/** `GET /2/rest/users` → `users` (BeeCloud's BCMerchantUser). */
export interface MerchantUserRecord {
  /** The merchant account it was registered under ('' for POST user). */
  merchant: string;
  app_id: string;
  buyer_id: string;
  createdat: number;
  updatedat: number;
}

export interface UserQuery extends TimeFilter {
  /** The merchant account (BeeCloud's `email`). */
  email?: string;
  skip?: number;
  limit?: number;
}

/** `POST /2/rest/coupon/template` (master secret). */
export interface CouponTemplateRequest {
  name: string;
  /** 0 fixed (满减), 1 percentage (折扣). */
  type: 0 | 1;
  /** type 0: yuan off ("10", 9.5); type 1: the ratio paid (0.9 = 9折). */
  discount?: number | string;
  /** type 0 in fen instead of `discount`. */
  discount_fee?: number;
  /** The least amount in fen (0: any). */
  limit_fee?: number;
  /** 0: unlimited. */
  total_count?: number;
  max_count_per_user?: number;
  /** 1: start_time..end_time (default); 2: delivery_valid_days from issue. */
  expiry_type?: 1 | 2;
  start_time?: number;
  end_time?: number;
  delivery_valid_days?: number;
  /** 1 active (default) or 0 not started. */
  status?: 0 | 1;
  mch_account?: string;
}

export interface TemplateRecord {
  id: string;
  name: string;
  type: 0 | 1;
  limit_fee: number;
  /** BeeCloud: yuan off for type 0, the ratio paid for type 1 (0.9 = 9折). */
  discount: number;
  /** spay: the same as integers — fen off (type 0), permille paid (type 1). */
  discount_fee: number;
  rate_permille: number;
  total_count: number;
  max_count_per_user: number;
  deliver_count: number;
  use_count: number;
  expiry_type: 1 | 2;
  start_time: number | null;
  end_time: number | null;
  delivery_valid_days: number;
  status: TemplateStatusCode;
  mch_account: string;
  app_id: string;
  created_at: number;
  updated_at: number;
}

export interface CouponTemplateQuery {
  name?: string;
  status?: TemplateStatusCode;
  created_after?: number;
  created_before?: number;
  skip?: number;
  limit?: number;
}

export interface CouponRecord {
  id: string;
  template: TemplateRecord;
  user_id: string;
  app_id: string;
  /** 0 unused, 1 used; spay adds 2: unused and past its end_time. */
  status: 0 | 1 | 2;
  created_at: number;
  updated_at: number;
  start_time: number | null;
  end_time: number | null;
  use_time: number | null;
  /** spay: the order (bill_no) that used it; '' when unused. */
  bill_no: string;
}

export interface CouponQuery {
  user_id?: string;
  template_id?: string;
  /** 0 unused and valid, 1 used, 2 unused and expired. */
  status?: 0 | 1 | 2;
  created_after?: number;
  created_before?: number;
  skip?: number;
  limit?: number;
}
