/**
 * The wire types of BeeCloud's subscription system and card-factor auth (`/2/plan`, `/2/subscription`,
 * `/2/subscription_banks`, `/2/sms`, `/2/auth`), as its SDKs send and read them. Money is integer fen; times are
 * milliseconds since the epoch. The gateway builds its answers from these types.
 */
import type { FlatMap } from './rest-types.ts';

export type PlanInterval = 'day' | 'week' | 'month' | 'year';

export interface PlanRequest {
  name: string;
  /** Fen charged each period (0: a free plan). */
  fee: number;
  interval: PlanInterval;
  /** Periods between charges (default 1; at most one year in all). */
  interval_count?: number;
  /** ISO currency (default and only value: CNY). */
  currency?: 'CNY';
  trial_days?: number;
  optional?: FlatMap;
}

export interface PlanRecord {
  id: string;
  object_type: 'plan';
  name: string;
  fee: number;
  interval: PlanInterval;
  interval_count: number;
  currency: string;
  trial_days: number;
  optional: Record<string, unknown>;
  valid: boolean;
  created_at: number;
  updated_at: number;
}

/** The criteria of plan and subscription queries (creation time, paging, count_only → total_count). */
export interface ObjectQuery {
  created_after?: number;
  created_before?: number;
  skip?: number;
  limit?: number;
}

export interface PlanQuery extends ObjectQuery {
  name?: string;
  name_with_substring?: string;
  interval?: PlanInterval;
  interval_count?: number;
  trial_days?: number;
}

export type SubscriptionStatus = 'pending' | 'trialing' | 'active' | 'past_due' | 'canceled' | 'failed';

/** A new card's factors (all five), or a `card_id` a SUBSCRIPTION webhook gave before. */
export type SubscriptionCard =
  | { card_id: string }
  | { bank_name: string; card_no: string; id_name: string; id_no: string; mobile: string };

export type SubscribeRequest = {
  buyer_id: string;
  plan_id: string;
  sms_id: string;
  sms_code: string;
  /** Multiplies the plan's fee (default 1; at most 4 decimals). */
  amount?: number;
  /** When the trial ends (ms), overriding the plan's trial_days. */
  trial_end?: number;
  optional?: FlatMap;
  coupon_id?: string;
} & SubscriptionCard;

export interface SubscriptionRecord {
  id: string;
  object_type: 'subscription';
  buyer_id: string;
  plan_id: string;
  card_id: string;
  bank_name: string;
  last4: string;
  amount: number;
  trial_end?: number;
  optional: Record<string, unknown>;
  coupon_id?: string;
  status: SubscriptionStatus;
  /** true once the bank confirmed the card (at once for a confirmed card_id, else by the SUBSCRIPTION webhook). */
  valid: boolean;
  cancel_at_period_end: boolean;
  /** When the next period starts and is charged (spay). */
  next_charge_at?: number;
  created_at: number;
  updated_at: number;
}

export interface SubscriptionQuery extends ObjectQuery {
  buyer_id?: string;
  plan_id?: string;
  card_id?: string;
}

export interface SubscriptionUpdate {
  amount?: number;
  trial_end?: number;
  optional?: FlatMap;
}

/** One period's charge of a subscription (`GET /2/subscription/{id}/charges`, spay). */
export interface SubscriptionChargeRecord {
  id: string;
  period: number;
  period_start: number;
  fee: number;
  status: 'pending' | 'paid' | 'failed' | 'canceled';
  tries: number;
  next_try_at?: number;
  message?: string;
  created_at: number;
  finished_at?: number;
}

export interface CardAuthRequest {
  name: string;
  id_no: string;
  card_no?: string;
  mobile?: string;
}

export interface CardAuthAnswer {
  card_id: string;
  auth_result: boolean;
  auth_msg: string;
}
