/**
 * Reads the subscription API's requests (BeeCloud's `/2/plan`, `/2/subscription`, `/2/sms`, `/2/auth`) into the
 * core's inputs, and its records back into BeeCloud's fields. Every refusal names its field (MISS_PARAM when
 * absent, PARAM_INVALID when malformed). Queries come as plain parameters (how the SDKs send them) or `para`.
 */
import type { PlanRecord, SubscriptionRecord } from '../../sdk/subscription-types.ts';
import type { CardFactors } from '../core/card-auth.ts';
import type { CardInput, PlanInput, SubscribeInput, SubscriptionUpdate } from '../core/subscriptions.ts';
import { SUBSCRIPTION_BANKS } from '../core/subscriptions.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { PlanFilter, SubscriptionFilter } from '../storage/subscription-store.ts';
import {
  intervalCountAllowed,
  PLAN_INTERVALS,
  type Plan,
  type PlanInterval,
  type Subscription,
} from '../subscriptions/subscription.ts';
import { readPaging, type Paging } from './list-query.ts';
import type { RequestFields } from './request-fields.ts';

const MAX_FEE = 100_000_000_00;

function readInterval(fields: RequestFields, required: true): PlanInterval;
function readInterval(fields: RequestFields, required: false): PlanInterval | undefined;
function readInterval(fields: RequestFields, required: boolean): PlanInterval | undefined {
  const value = required ? fields.requiredString('interval') : fields.optionalString('interval');
  if (value === undefined) return undefined;
  const interval = PLAN_INTERVALS.find((name) => name === value.toLowerCase());
  if (interval === undefined)
    throw new BeeCloudError('PARAM_INVALID', 'interval', 'must be day, week, month or year');
  return interval;
}

export function readPlanInput(fields: RequestFields): PlanInput {
  const name = fields.requiredString('name', { maxLength: 64 }).trim();
  if (name === '') throw new BeeCloudError('PARAM_INVALID', 'name', 'must not be blank');
  const fee = fields.requiredInteger('fee', { min: 0, max: MAX_FEE });
  const interval = readInterval(fields, true);
  const intervalCount = fields.optionalInteger('interval_count') ?? 1;
  if (!intervalCountAllowed(interval, intervalCount)) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'interval_count',
      'must be at least 1, and a period at most one year (365 days, 52 weeks, 12 months, 1 year)',
    );
  }
  const currency = fields.optionalString('currency') ?? 'CNY';
  if (currency !== 'CNY')
    throw new BeeCloudError('PARAM_INVALID', 'currency', 'must be CNY (spay charges in yuan)');
  return {
    name,
    fee,
    interval,
    intervalCount,
    currency,
    trialDays: fields.optionalInteger('trial_days', { min: 0, max: 3650 }) ?? 0,
    optional: fields.optionalFlatMap('optional') ?? null,
  };
}

export function readPlanUpdate(fields: RequestFields): { name?: string; optional?: Record<string, unknown> } {
  const name = fields.optionalString('name', { maxLength: 64 })?.trim();
  if (name === '') throw new BeeCloudError('PARAM_INVALID', 'name', 'must not be blank');
  const optional = fields.optionalFlatMap('optional');
  if (name === undefined && optional === undefined) {
    throw new BeeCloudError(
      'MISS_PARAM',
      'name',
      'name or optional is required (a plan changes nothing else)',
    );
  }
  return { ...(name !== undefined ? { name } : {}), ...(optional !== undefined ? { optional } : {}) };
}

/** A flag such as `count_only`: true / false in any case (Python's requests sends "True"); absent is false. */
export function readFlag(fields: RequestFields, name: string): boolean {
  if (!fields.has(name)) return false;
  const value = fields.values[name];
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw new BeeCloudError('PARAM_INVALID', name, 'must be true or false');
}

function readCreatedRange(fields: RequestFields): { createdAfter?: number; createdBefore?: number } {
  const createdAfter = fields.optionalInteger('created_after', { min: 0 });
  const createdBefore = fields.optionalInteger('created_before', { min: 0 });
  if (createdAfter !== undefined && createdBefore !== undefined && createdBefore < createdAfter) {
    throw new BeeCloudError('PARAM_INVALID', 'created_before', 'must not be before created_after');
  }
  return { createdAfter, createdBefore };
}

export function readPlanQuery(fields: RequestFields): {
  filter: PlanFilter;
  paging: Paging;
  countOnly: boolean;
} {
  return {
    filter: {
      ...readCreatedRange(fields),
      name: fields.optionalString('name', { maxLength: 64 }),
      nameWithSubstring: fields.optionalString('name_with_substring', { maxLength: 64 }),
      interval: readInterval(fields, false),
      intervalCount: fields.optionalInteger('interval_count', { min: 1 }),
      trialDays: fields.optionalInteger('trial_days', { min: 0 }),
    },
    paging: readPaging(fields),
    countOnly: readFlag(fields, 'count_only'),
  };
}

export function readSubscriptionQuery(fields: RequestFields): {
  filter: SubscriptionFilter;
  paging: Paging;
  countOnly: boolean;
} {
  return {
    filter: {
      ...readCreatedRange(fields),
      buyerId: fields.optionalString('buyer_id', { maxLength: 64 }),
      planId: fields.optionalString('plan_id', { maxLength: 64 }),
      cardId: fields.optionalString('card_id', { maxLength: 64 }),
    },
    paging: readPaging(fields),
    countOnly: readFlag(fields, 'count_only'),
  };
}

/**
 * BeeCloud's `amount` (a Double multiplying the plan's fee) as an exact decimal string: positive, at most 4
 * decimals, never through floating-point arithmetic.
 */
function readAmount(fields: RequestFields): string | undefined {
  if (!fields.has('amount')) return undefined;
  const value = fields.values.amount;
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,9}(\.\d{1,4})?$/.test(text) || !/[1-9]/.test(text)) {
    throw new BeeCloudError('PARAM_INVALID', 'amount', 'must be a positive number with at most 4 decimals');
  }
  return text.replace(/^0+(?=\d)/, '');
}

const MOBILE_RULE = {
  pattern: /^1[3-9]\d{9}$/,
  patternText: 'must be a mainland mobile number (11 digits, 13-19…)',
};

export function readPhone(fields: RequestFields): string {
  return fields.requiredString('phone', MOBILE_RULE);
}

function readCard(fields: RequestFields): CardInput {
  const cardId = fields.optionalString('card_id', { maxLength: 64 });
  if (cardId !== undefined) return { cardId };
  const bankName = fields.requiredString('bank_name', { maxLength: 32 });
  if (!SUBSCRIPTION_BANKS.includes(bankName)) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'bank_name',
      'is not a supported bank (GET /2/subscription_banks)',
    );
  }
  return {
    bankName,
    cardNo: fields.requiredString('card_no', { maxLength: 19 }),
    idName: fields.requiredString('id_name', { maxLength: 40 }),
    idNo: fields.requiredString('id_no', { maxLength: 18 }),
    mobile: fields.requiredString('mobile', MOBILE_RULE),
  };
}

export function readSubscribeRequest(fields: RequestFields): SubscribeInput {
  return {
    buyerId: fields.requiredString('buyer_id', { maxLength: 64 }),
    planId: fields.requiredString('plan_id', { maxLength: 64 }),
    card: readCard(fields),
    smsId: fields.requiredString('sms_id', { maxLength: 64 }),
    smsCode: fields.requiredString('sms_code', {
      pattern: /^\d{4,8}$/,
      patternText: 'must be 4 to 8 digits',
    }),
    amount: readAmount(fields) ?? '1',
    trialEnd: fields.optionalInteger('trial_end', { min: 0 }) ?? null,
    optional: fields.optionalFlatMap('optional') ?? null,
    couponId: fields.optionalString('coupon_id', { maxLength: 64 }) ?? null,
  };
}

export function readSubscriptionUpdate(fields: RequestFields): SubscriptionUpdate {
  const update: SubscriptionUpdate = {
    amount: readAmount(fields),
    trialEnd: fields.optionalInteger('trial_end', { min: 0 }),
    optional: fields.optionalFlatMap('optional'),
  };
  if (update.amount === undefined && update.trialEnd === undefined && update.optional === undefined) {
    throw new BeeCloudError('MISS_PARAM', 'amount', 'amount, trial_end or optional is required');
  }
  return update;
}

export function readCardFactors(fields: RequestFields): CardFactors {
  return {
    name: fields.requiredString('name', { maxLength: 40 }),
    idNo: fields.requiredString('id_no', { maxLength: 18 }),
    cardNo: fields.optionalString('card_no', { maxLength: 19 }),
    mobile: fields.optionalString('mobile', { maxLength: 11 }),
  };
}

/** A plan as BeeCloud's SDKs read it (`BCPlan`). */
export function planRecord(plan: Plan): PlanRecord {
  return {
    id: plan.id,
    object_type: 'plan',
    name: plan.name,
    fee: plan.fee,
    interval: plan.interval,
    interval_count: plan.intervalCount,
    currency: plan.currency,
    trial_days: plan.trialDays,
    optional: plan.optional ?? {},
    valid: plan.valid,
    created_at: plan.createdAt,
    updated_at: plan.updatedAt,
  };
}

/** A subscription as BeeCloud's SDKs read it (`BCSubscription`); card number, id number and mobile never leave. */
export function subscriptionRecord(subscription: Subscription): SubscriptionRecord {
  return {
    id: subscription.id,
    object_type: 'subscription',
    buyer_id: subscription.buyerId,
    plan_id: subscription.planId,
    card_id: subscription.cardId,
    bank_name: subscription.bankName,
    last4: subscription.last4,
    amount: Number(subscription.amount),
    ...(subscription.trialEnd !== null ? { trial_end: subscription.trialEnd } : {}),
    optional: subscription.optional ?? {},
    ...(subscription.couponId !== null ? { coupon_id: subscription.couponId } : {}),
    status: subscription.status,
    valid: subscription.valid,
    cancel_at_period_end: subscription.cancelAtPeriodEnd,
    ...(subscription.nextChargeAt !== null ? { next_charge_at: subscription.nextChargeAt } : {}),
    created_at: subscription.createdAt,
    updated_at: subscription.updatedAt,
  };
}
