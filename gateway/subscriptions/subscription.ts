/**
 * The subscription domain's records (plans, subscriptions, their charges) and the calendar of periods: when each
 * period of a subscription starts, computed from one anchor (the end of the trial) so months never drift
 * (31 Jan → 28/29 Feb → 31 Mar), in China's time zone as BeeCloud's merchants counted days.
 */
import type { AppMode } from '../apps/app.ts';

export type PlanInterval = 'day' | 'week' | 'month' | 'year';
export const PLAN_INTERVALS: readonly PlanInterval[] = ['day', 'week', 'month', 'year'];

export interface Plan {
  id: string;
  appId: string;
  mode: AppMode;
  name: string;
  /** Fen charged each period (0: a free plan). */
  fee: number;
  interval: PlanInterval;
  intervalCount: number;
  currency: string;
  trialDays: number;
  optional: Record<string, unknown> | null;
  valid: boolean;
  createdAt: number;
  updatedAt: number;
}

/** pending: the bank reviews the card; failed: the review refused it. */
export type SubscriptionStatus = 'pending' | 'trialing' | 'active' | 'past_due' | 'canceled' | 'failed';

export interface Subscription {
  id: string;
  appId: string;
  mode: AppMode;
  buyerId: string;
  planId: string;
  cardId: string;
  bankName: string;
  last4: string;
  /** The plan fee's multiplier as a decimal string ("1", "2.5"). */
  amount: string;
  trialEnd: number | null;
  optional: Record<string, unknown> | null;
  couponId: string | null;
  status: SubscriptionStatus;
  valid: boolean;
  reviewAt: number | null;
  cancelAtPeriodEnd: boolean;
  nextChargeAt: number | null;
  nextPeriod: number;
  createdAt: number;
  updatedAt: number;
}

export type ChargeStatus = 'pending' | 'paid' | 'failed' | 'canceled';

export interface SubscriptionCharge {
  id: string;
  appId: string;
  mode: AppMode;
  subscriptionId: string;
  period: number;
  periodStart: number;
  fee: number;
  status: ChargeStatus;
  tries: number;
  nextTryAt: number | null;
  message: string | null;
  createdAt: number;
  finishedAt: number | null;
}

export interface SubscriptionCard {
  cardId: string;
  appId: string;
  mode: AppMode;
  bankName: string;
  cardNo: string;
  idName: string;
  idNo: string;
  mobile: string;
  last4: string;
  verified: boolean;
  createdAt: number;
}

/** Longest period a plan may have (BeeCloud: 1 year, 12 months or 52 weeks). */
export function intervalCountAllowed(interval: PlanInterval, count: number): boolean {
  const max = { day: 365, week: 52, month: 12, year: 1 }[interval];
  return Number.isInteger(count) && count >= 1 && count <= max;
}

const DAY_MS = 86_400_000;
/** China Standard Time (UTC+8, no daylight saving): the calendar periods are counted in. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** When period `index` (0 = the first charged one) starts for a schedule anchored at `anchor`. */
export function periodStart(anchor: number, interval: PlanInterval, count: number, index: number): number {
  if (interval === 'day') return anchor + index * count * DAY_MS;
  if (interval === 'week') return anchor + index * count * 7 * DAY_MS;
  const months = (interval === 'year' ? 12 : 1) * count * index;
  const local = new Date(anchor + CHINA_OFFSET_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + months;
  const targetYear = year + Math.floor(month / 12);
  const targetMonth = ((month % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  const timeOfDay = local.getTime() - Date.UTC(year, local.getUTCMonth(), local.getUTCDate());
  return Date.UTC(targetYear, targetMonth, day) + timeOfDay - CHINA_OFFSET_MS;
}

/** When a subscription's first charge falls: its trial_end if given, else creation + the plan's trial days. */
export function firstChargeAt(createdAt: number, trialDays: number, trialEnd: number | null): number {
  return trialEnd ?? createdAt + trialDays * DAY_MS;
}

/**
 * `fee × amount` in whole fen, exactly (no floating point): the amount is a decimal string of at most 4
 * decimals; half a fen rounds up.
 */
export function chargeFee(fee: number, amount: string): number {
  const match = /^(\d{1,9})(?:\.(\d{1,4}))?$/.exec(amount);
  if (match === null) throw new Error(`amount ${amount} is not a decimal of at most 4 places`);
  const decimals = match[2] ?? '';
  const scaled = BigInt(match[1] + decimals);
  const divisor = 10n ** BigInt(decimals.length);
  const product = BigInt(fee) * scaled;
  return Number((product * 2n + divisor) / (2n * divisor));
}
