/**
 * Schemas of the subscription endpoints that have them so far (the others still read their fields with the legacy
 * reader: openapi-document.test.ts `routesAwaitingSchemas`). How to add an endpoint: gateway/schema/beecloud-schema.ts.
 */
import { OkAnswer, SignedRequest, Type } from '../schema/beecloud-schema.ts';

export const subscriptionTags = ['subscriptions'];

export const subscriptionBanksQuery = SignedRequest({});

export const subscriptionBanksAnswer = OkAnswer({
  banks: Type.Array(Type.String(), {
    description: 'The banks a subscription can be paid from (their names).',
  }),
  common_banks: Type.Array(Type.String(), { description: 'The most used of them, to list first.' }),
});

export const smsBody = SignedRequest({
  phone: Type.String({
    pattern: '^1[3-9][0-9]{9}$',
    'x-error-message': 'must be a mainland mobile number (11 digits, 13-19…)',
    description: 'The payer’s mainland mobile number: the passcode (sms_code) is sent to it.',
  }),
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
