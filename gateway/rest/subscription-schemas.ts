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
