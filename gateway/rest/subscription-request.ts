/**
 * The subscription API's requests (BeeCloud's `/2/plan`, `/2/subscription`, `/2/auth`), checked by their schemas
 * (subscription-schemas.ts), into the core's inputs, with the rules a schema cannot say: a plan's period at most one
 * year (interval × interval_count), created_before not before created_after, `amount`'s exact decimals, and at
 * least one change in an update. Its records back into BeeCloud's fields. Every refusal names its field.
 */
import type { Static } from 'typebox';
import type { PlanRecord, SubscriptionRecord } from '../../sdk/subscription-types.ts';
import type { CardFactors } from '../core/card-auth.ts';
import type { CardInput, PlanInput, SubscribeInput, SubscriptionUpdate } from '../core/subscriptions.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { PlanFilter, SubscriptionFilter } from '../storage/subscription-store.ts';
import {
  intervalCountAllowed,
  type Plan,
  type PlanInterval,
  type Subscription,
} from '../subscriptions/subscription.ts';
import { pagingFrom, type Paging } from './list-query.ts';
import {
  flagValue,
  type cardAuthBody,
  type planBody,
  type planListQuery,
  type planUpdateBody,
  type subscribeBody,
  type subscriptionListQuery,
  type subscriptionUpdateBody,
} from './subscription-schemas.ts';

/** The interval as the core takes it (the schema checked it is one of the four, in any case). */
function intervalOf(word: string): PlanInterval {
  return word.toLowerCase() as PlanInterval;
}

export function planInputFrom(body: Static<typeof planBody>): PlanInput {
  const interval = intervalOf(body.interval);
  const intervalCount = body.interval_count ?? 1;
  if (!intervalCountAllowed(interval, intervalCount)) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'interval_count',
      'must be at least 1, and a period at most one year (365 days, 52 weeks, 12 months, 1 year)',
    );
  }
  return {
    name: body.name.trim(),
    fee: body.fee,
    interval,
    intervalCount,
    currency: body.currency ?? 'CNY',
    trialDays: body.trial_days ?? 0,
    optional: body.optional ?? null,
  };
}

export function planUpdateFrom(body: Static<typeof planUpdateBody>): {
  name?: string;
  optional?: Record<string, unknown>;
} {
  const { name, optional } = body;
  if (name === undefined && optional === undefined) {
    throw new BeeCloudError(
      'MISS_PARAM',
      'name',
      'name or optional is required (a plan changes nothing else)',
    );
  }
  return {
    ...(name !== undefined ? { name: name.trim() } : {}),
    ...(optional !== undefined ? { optional } : {}),
  };
}

function createdRangeFrom(query: { created_after?: number; created_before?: number }): {
  createdAfter?: number;
  createdBefore?: number;
} {
  const { created_after: createdAfter, created_before: createdBefore } = query;
  if (createdAfter !== undefined && createdBefore !== undefined && createdBefore < createdAfter) {
    throw new BeeCloudError('PARAM_INVALID', 'created_before', 'must not be before created_after');
  }
  return { createdAfter, createdBefore };
}

export function planQueryFrom(query: Static<typeof planListQuery>): {
  filter: PlanFilter;
  paging: Paging;
  countOnly: boolean;
} {
  return {
    filter: {
      ...createdRangeFrom(query),
      name: query.name,
      nameWithSubstring: query.name_with_substring,
      interval: query.interval !== undefined ? intervalOf(query.interval) : undefined,
      intervalCount: query.interval_count,
      trialDays: query.trial_days,
    },
    paging: pagingFrom(query),
    countOnly: flagValue(query.count_only),
  };
}

export function subscriptionQueryFrom(query: Static<typeof subscriptionListQuery>): {
  filter: SubscriptionFilter;
  paging: Paging;
  countOnly: boolean;
} {
  return {
    filter: {
      ...createdRangeFrom(query),
      buyerId: query.buyer_id,
      planId: query.plan_id,
      cardId: query.card_id,
    },
    paging: pagingFrom(query),
    countOnly: flagValue(query.count_only),
  };
}

/**
 * BeeCloud's `amount` (a Double multiplying the plan's fee) as an exact decimal string, never through
 * floating-point arithmetic. The schema checked it is positive and, as text, has at most 4 decimals; a number's
 * decimals are counted here, on its shortest text form (1.5 → "1.5", 1.23456 → refused).
 */
function amountFrom(amount: number | string | undefined): string | undefined {
  if (amount === undefined) return undefined;
  const text = String(amount);
  if (!/^\d{1,9}(\.\d{1,4})?$/.test(text)) {
    throw new BeeCloudError('PARAM_INVALID', 'amount', 'must be a positive number with at most 4 decimals');
  }
  return text.replace(/^0+(?=\d)/, '');
}

function cardFrom(body: Static<typeof subscribeBody>): CardInput {
  if (body.card_id !== undefined) return { cardId: body.card_id };
  // The schema requires the five factors without card_id.
  return {
    bankName: body.bank_name!,
    cardNo: body.card_no!,
    idName: body.id_name!,
    idNo: body.id_no!,
    mobile: body.mobile!,
  };
}

export function subscribeInputFrom(body: Static<typeof subscribeBody>): SubscribeInput {
  return {
    buyerId: body.buyer_id,
    planId: body.plan_id,
    card: cardFrom(body),
    smsId: body.sms_id,
    smsCode: body.sms_code,
    amount: amountFrom(body.amount) ?? '1',
    trialEnd: body.trial_end ?? null,
    optional: body.optional ?? null,
    couponId: body.coupon_id ?? null,
  };
}

export function subscriptionUpdateFrom(body: Static<typeof subscriptionUpdateBody>): SubscriptionUpdate {
  const update: SubscriptionUpdate = {
    amount: amountFrom(body.amount),
    trialEnd: body.trial_end,
    optional: body.optional,
  };
  if (update.amount === undefined && update.trialEnd === undefined && update.optional === undefined) {
    throw new BeeCloudError('MISS_PARAM', 'amount', 'amount, trial_end or optional is required');
  }
  return update;
}

export function cardFactorsFrom(body: Static<typeof cardAuthBody>): CardFactors {
  return { name: body.name, idNo: body.id_no, cardNo: body.card_no, mobile: body.mobile };
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
