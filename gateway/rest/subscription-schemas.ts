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
