/**
 * Schemas of the merchant-user and coupon endpoints that have them so far (the others still read their fields with
 * the legacy reader: openapi-document.test.ts `routesAwaitingSchemas`). How to add an endpoint:
 * gateway/schema/beecloud-schema.ts.
 */
import { OkAnswer, PlainText, SignedRequest, Type } from '../schema/beecloud-schema.ts';

export const userTags = ['users'];

export const registerUserBody = SignedRequest({
  buyer_id: PlainText(64, 'The merchant’s user (its own id for the buyer); blank is missing.'),
});

export const registerUserAnswer = OkAnswer({
  created_count: Type.Integer({ description: '1 when the user is new, 0 when it was registered already.' }),
});
