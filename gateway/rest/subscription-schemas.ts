/**
 * The subscription endpoints and card-factor auth, as BeeCloud's server SDKs call them: `/2/plan`, `/2/plan/{id}`,
 * `/2/subscription_banks`, `/2/sms`, `/2/subscription`, `/2/subscription/{id}`, `/2/subscription/{id}/charges`,
 * `/2/auth`. What a schema cannot say stays in subscription-request.ts (a period at most one year, created_before
 * not before created_after, amount's exact decimals, "at least one change") or in the core (the id number's check
 * digit, the card's Luhn digit, the passcode). How to add an endpoint: gateway/schema/beecloud-schema.ts.
 */
import { SUBSCRIPTION_BANKS } from '../core/subscriptions.ts';
import { PLAN_INTERVALS } from '../subscriptions/subscription.ts';
import { FlatMap, Fen, OkAnswer, SignedRequest, Type, Words } from '../schema/beecloud-schema.ts';
import { pagingFields } from './common-schemas.ts';

export const subscriptionTags = ['subscriptions'];

/** A pattern matching `words` in any letter case ("Month", "TRUE"), as these routes have always read them. */
function anyCase(words: readonly string[]): string {
  const letters = (word: string) =>
    [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c)).join('');
  return `^(?:${words.map(letters).join('|')})$`;
}

/** true / false, also as text in any case (Python's requests sends "True"). */
function Flag(description: string) {
  return Type.Union([Type.Boolean(), Type.String({ pattern: anyCase(['true', 'false']) })], {
    description: `${description} true or false (also as text, in any case).`,
  });
}

/** A flag's value (checked by `Flag`). */
export function flagValue(flag: boolean | string | undefined): boolean {
  return typeof flag === 'string' ? flag.toLowerCase() === 'true' : (flag ?? false);
}

function Interval(description: string) {
  return Type.String({
    pattern: anyCase(PLAN_INTERVALS),
    'x-error-message': 'must be day, week, month or year',
    description: `${description} day, week, month or year (any case).`,
  });
}

/**
 * A name a person reads: at most `max` characters, not blank (PARAM_INVALID "must not be blank", as these routes
 * have always answered; the rule sits in `allOf` so that its message is not given to a length refusal).
 */
function Name(max: number, description: string) {
  return Type.String({
    maxLength: max,
    allOf: [{ pattern: '\\S', 'x-error-message': 'must not be blank' }],
    description,
  });
}

/** An id of the API's records (plan, card, coupon) or the merchant's (buyer_id). */
function Id(description: string) {
  return Type.String({ maxLength: 64, description });
}

const mobile = (description: string) =>
  Type.String({
    pattern: '^1[3-9][0-9]{9}$',
    'x-error-message': 'must be a mainland mobile number (11 digits, 13-19…)',
    description,
  });

/** The plan's fee ceiling: 100 million yuan a period. */
export const MAX_PLAN_FEE = 100_000_000_00;

const createdRangeFields = {
  created_after: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Created at or after (ms since the epoch).' }),
  ),
  created_before: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: 'Created at or before (ms since the epoch); not before created_after.',
    }),
  ),
};

const countOnlyField = {
  count_only: Type.Optional(Flag('Answer total_count (the number found) instead of the records:')),
};

export const subscriptionBanksQuery = SignedRequest({});

export const subscriptionBanksAnswer = OkAnswer({
  banks: Type.Array(Type.String(), {
    description: 'The banks a subscription can be paid from (their names).',
  }),
  common_banks: Type.Array(Type.String(), { description: 'The most used of them, to list first.' }),
});

export const smsBody = SignedRequest({
  phone: mobile('The payer’s mainland mobile number: the passcode (sms_code) is sent to it.'),
});

export const smsAnswer = OkAnswer({
  sms_id: Type.String({
    description: 'Names the passcode sent: POST /2/subscription takes it with sms_code.',
  }),
});

export const PlanRecordSchema = Type.Object(
  {
    id: Type.String(),
    object_type: Type.Literal('plan'),
    name: Type.String(),
    fee: Type.Integer({ description: 'Integer fen per period.' }),
    interval: Type.Enum(['day', 'week', 'month', 'year']),
    interval_count: Type.Integer({ description: 'Intervals per period.' }),
    currency: Type.String(),
    trial_days: Type.Integer(),
    optional: Type.Record(Type.String(), Type.Unknown()),
    valid: Type.Boolean({ description: 'False once deleted.' }),
    created_at: Type.Integer({ description: 'ms since the epoch.' }),
    updated_at: Type.Integer({ description: 'ms since the epoch.' }),
  },
  { title: 'Plan' },
);

/** The id in the path: checked by the handler, so a refusal names `plan_id` as BeeCloud's did. */
export const planIdParams = Type.Object({ id: Type.String({ description: 'The plan’s id.' }) });

export const planByIdQuery = SignedRequest({});

export const planAnswer = OkAnswer({ plan: PlanRecordSchema });

export const planBody = SignedRequest({
  name: Name(64, 'The plan’s name.'),
  fee: Fen({ min: 0, max: MAX_PLAN_FEE, description: 'Integer fen charged each period (0: a free plan).' }),
  interval: Interval('The period’s unit:'),
  interval_count: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 365,
      'x-error-message':
        'must be at least 1, and a period at most one year (365 days, 52 weeks, 12 months, 1 year)',
      description: 'Intervals per period (default 1); a period is at most one year.',
    }),
  ),
  currency: Type.Optional(
    Words(['CNY'], { message: 'must be CNY (spay charges in yuan)', description: 'CNY (the default).' }),
  ),
  trial_days: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 3650,
      description: 'Free days before the first charge (default 0).',
    }),
  ),
  optional: Type.Optional(FlatMap({ text: true })),
});

export const planUpdateBody = SignedRequest({
  name: Type.Optional(Name(64, 'The plan’s new name.')),
  optional: Type.Optional(FlatMap({ text: true, description: 'Replaces the plan’s optional map.' })),
});

/** The answer of a change or a deletion: the id of the record changed. */
export const changedIdAnswer = OkAnswer({
  id: Type.String({ description: 'The id of the record changed.' }),
});

export const planDeleteQuery = SignedRequest({});

export const planListQuery = SignedRequest({
  ...createdRangeFields,
  name: Type.Optional(Type.String({ maxLength: 64, description: 'Plans of exactly this name.' })),
  name_with_substring: Type.Optional(
    Type.String({ maxLength: 64, description: 'Plans whose name contains this text.' }),
  ),
  interval: Type.Optional(Interval('Plans of this unit:')),
  interval_count: Type.Optional(Type.Integer({ minimum: 1, description: 'Plans of this interval_count.' })),
  trial_days: Type.Optional(Type.Integer({ minimum: 0, description: 'Plans of these trial days.' })),
  ...pagingFields,
  ...countOnlyField,
});

export const planListAnswer = OkAnswer({
  count: Type.Optional(Type.Integer({ minimum: 0, description: 'Plans in this page (without count_only).' })),
  plans: Type.Optional(Type.Array(PlanRecordSchema, { description: 'Without count_only.' })),
  total_count: Type.Optional(
    Type.Integer({ minimum: 0, description: 'With count_only: the number of plans found.' }),
  ),
});

export const SubscriptionRecordSchema = Type.Object(
  {
    id: Type.String(),
    object_type: Type.Literal('subscription'),
    buyer_id: Type.String(),
    plan_id: Type.String(),
    card_id: Type.String({
      description: 'The card debited (card number, id number and mobile never leave).',
    }),
    bank_name: Type.String(),
    last4: Type.String({ description: 'The card number’s last 4 digits.' }),
    amount: Type.Number({ description: 'Multiplies the plan’s fee.' }),
    trial_end: Type.Optional(Type.Integer({ description: 'When the trial ends (ms).' })),
    optional: Type.Record(Type.String(), Type.Unknown()),
    coupon_id: Type.Optional(Type.String()),
    status: Type.Enum(['pending', 'trialing', 'active', 'past_due', 'canceled', 'failed']),
    valid: Type.Boolean({ description: 'True once the bank confirmed the card.' }),
    cancel_at_period_end: Type.Boolean(),
    next_charge_at: Type.Optional(
      Type.Integer({ description: 'When the next period is charged (ms, spay).' }),
    ),
    created_at: Type.Integer({ description: 'ms since the epoch.' }),
    updated_at: Type.Integer({ description: 'ms since the epoch.' }),
  },
  { title: 'Subscription' },
);

/**
 * BeeCloud's `amount`: a positive multiplier of the plan's fee, at most 4 decimals — a number, or its digits as
 * text (exact). A number's decimals are counted by the handler (subscription-request.ts), on its shortest text.
 */
const amountMessage = 'must be a positive number with at most 4 decimals';
const amountField = Type.Unsafe<number | string>({
  type: ['number', 'string'],
  exclusiveMinimum: 0,
  maximum: 999_999_999,
  pattern: '^(?=.*[1-9])[0-9]{1,9}([.][0-9]{1,4})?$',
  'x-error-message': amountMessage,
  description: 'Multiplies the plan’s fee (default 1): positive, at most 4 decimals; a number or its digits.',
});

const trialEndField = Type.Integer({
  minimum: 0,
  description: 'When the trial ends (ms, in the future), overriding the plan’s trial_days.',
});

/** A new card's factors are required unless a confirmed card_id is given. */
export const subscribeBody = SignedRequest(
  {
    buyer_id: Id('The merchant’s id of the subscriber.'),
    plan_id: Id('The plan subscribed to.'),
    card_id: Type.Optional(
      Id('A card confirmed before (a SUBSCRIPTION webhook gave it): the factors are not needed.'),
    ),
    bank_name: Type.Optional(
      Words(SUBSCRIPTION_BANKS, {
        message: 'is not a supported bank (GET /2/subscription_banks)',
        description: 'A new card’s bank (GET /2/subscription_banks); required without card_id.',
      }),
    ),
    card_no: Type.Optional(Type.String({ maxLength: 19, description: 'A new card’s number (Luhn check).' })),
    id_name: Type.Optional(Type.String({ maxLength: 40, description: 'The card holder’s name.' })),
    id_no: Type.Optional(
      Type.String({ maxLength: 18, description: 'The card holder’s resident id number (check digit).' }),
    ),
    mobile: Type.Optional(mobile('The mobile the bank holds for the card (the passcode was sent to it).')),
    sms_id: Id('From POST /2/sms.'),
    sms_code: Type.String({
      pattern: '^[0-9]{4,8}$',
      'x-error-message': 'must be 4 to 8 digits',
      description: 'The passcode sent to the mobile.',
    }),
    amount: Type.Optional(amountField),
    trial_end: Type.Optional(trialEndField),
    optional: Type.Optional(FlatMap({ text: true })),
    coupon_id: Type.Optional(Id('A coupon of the subscriber’s, taken off the charges.')),
  },
  {
    if: { not: { required: ['card_id'] } },
    then: { required: ['bank_name', 'card_no', 'id_name', 'id_no', 'mobile'] },
  },
);

export const subscriptionAnswer = OkAnswer({ subscription: SubscriptionRecordSchema });

export const subscriptionUpdateBody = SignedRequest({
  amount: Type.Optional(amountField),
  trial_end: Type.Optional(trialEndField),
  optional: Type.Optional(FlatMap({ text: true, description: 'Replaces the subscription’s optional map.' })),
});

export const subscriptionByIdQuery = SignedRequest({});

export const subscriptionCancelQuery = SignedRequest({
  at_period_end: Type.Optional(Flag('Cancel at the end of the current period (default: now):')),
});

export const subscriptionListQuery = SignedRequest({
  ...createdRangeFields,
  buyer_id: Type.Optional(Id('Subscriptions of this subscriber.')),
  plan_id: Type.Optional(Id('Subscriptions to this plan.')),
  card_id: Type.Optional(Id('Subscriptions debiting this card.')),
  ...pagingFields,
  ...countOnlyField,
});

export const subscriptionListAnswer = OkAnswer({
  count: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Subscriptions in this page (without count_only).' }),
  ),
  subscriptions: Type.Optional(Type.Array(SubscriptionRecordSchema, { description: 'Without count_only.' })),
  total_count: Type.Optional(
    Type.Integer({ minimum: 0, description: 'With count_only: the number of subscriptions found.' }),
  ),
});

export const cardAuthBody = SignedRequest({
  name: Type.String({ maxLength: 40, description: 'The name on the id card.' }),
  id_no: Type.String({
    maxLength: 18,
    description: 'The resident id number (18 characters, a real birth date, GB 11643 check digit).',
  }),
  card_no: Type.Optional(
    Type.String({
      maxLength: 19,
      description: 'Three factors: the bank card number (12-19 digits, Luhn check).',
    }),
  ),
  mobile: Type.Optional(
    Type.String({
      maxLength: 11,
      description: 'Four factors (with card_no): the mobile the bank holds for the card.',
    }),
  ),
});

export const cardAuthAnswer = OkAnswer({
  card_id: Type.String({ description: 'Stands for the factors given (the same factors, the same card_id).' }),
  auth_result: Type.Boolean({ description: 'The factors match the bank’s.' }),
  auth_msg: Type.String({ description: 'e.g. 4要素认证一致.' }),
});

export const SubscriptionChargeSchema = Type.Object(
  {
    id: Type.String(),
    period: Type.Integer({ description: 'The period charged (0 = the first).' }),
    period_start: Type.Integer({ description: 'ms since the epoch.' }),
    fee: Type.Integer({ description: 'Integer fen.' }),
    status: Type.Enum(['pending', 'paid', 'failed', 'canceled']),
    tries: Type.Integer(),
    next_try_at: Type.Optional(Type.Integer({ description: 'When a failed charge is tried again (ms).' })),
    message: Type.Optional(Type.String({ description: 'Why the last try failed.' })),
    created_at: Type.Integer({ description: 'ms since the epoch.' }),
    finished_at: Type.Optional(Type.Integer({ description: 'ms since the epoch.' })),
  },
  { title: 'SubscriptionCharge' },
);

/** The id in the path: checked by the handler, so a refusal names `id` with BeeCloud's wording. */
export const subscriptionIdParams = Type.Object({
  id: Type.String({ description: 'The subscription’s id.' }),
});

export const subscriptionChargesQuery = SignedRequest({});

export const subscriptionChargesAnswer = OkAnswer({ charges: Type.Array(SubscriptionChargeSchema) });
