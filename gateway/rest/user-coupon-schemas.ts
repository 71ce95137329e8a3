/**
 * Schemas of the merchant-user and coupon endpoints that have them so far (the others still read their fields with
 * the legacy reader: openapi-document.test.ts `routesAwaitingSchemas`). How to add an endpoint:
 * gateway/schema/beecloud-schema.ts.
 */
import { OkAnswer, PlainText, SignedRequest, Type } from '../schema/beecloud-schema.ts';
import { timeRangeFields } from './common-schemas.ts';

export const userTags = ['users'];

export const registerUserBody = SignedRequest({
  buyer_id: PlainText(64, 'The merchant’s user (its own id for the buyer); blank is missing.'),
});

export const registerUsersBody = SignedRequest({
  email: PlainText(128, 'The merchant account the users belong to (an email or a phone number).'),
  buyer_ids: Type.Array(PlainText(64), {
    maxItems: 1000,
    description: 'The users to register (1 to 1000); those registered already are left as they are.',
  }),
});

export const registerUserAnswer = OkAnswer({
  created_count: Type.Integer({ description: '1 when the user is new, 0 when it was registered already.' }),
});

export const userListQuery = SignedRequest({
  email: Type.Optional(
    Type.String({ maxLength: 128, description: 'The merchant account (an email or a phone number).' }),
  ),
  ...timeRangeFields,
  skip: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Users to skip (default 0).' }),
  ),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, description: 'At most 1000 (the default).' }),
  ),
});

export const MerchantUserSchema = Type.Object(
  {
    merchant: Type.String({ description: 'The merchant account the user was registered under.' }),
    app_id: Type.String(),
    buyer_id: Type.String(),
    createdat: Type.Integer({ description: 'ms since the epoch.' }),
    updatedat: Type.Integer({ description: 'ms since the epoch.' }),
  },
  { title: 'MerchantUser' },
);

export const userListAnswer = OkAnswer({ users: Type.Array(MerchantUserSchema) });
