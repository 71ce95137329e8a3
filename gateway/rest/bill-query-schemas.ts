/**
 * `GET /2/rest/bills`, `bills/count`, `bill/{id}` (and their sandbox twins): queries and answers. How to add an
 * endpoint: gateway/schema/beecloud-schema.ts.
 */
import { OkAnswer, SignedRequest, Type } from '../schema/beecloud-schema.ts';
import {
  BillRecordSchema,
  ChannelFilter,
  CountAnswerFields,
  needDetailField,
  pagingFields,
  timeRangeFields,
} from './common-schemas.ts';

const billFilterFields = {
  channel: Type.Optional(ChannelFilter),
  bill_no: Type.Optional(Type.String({ maxLength: 32 })),
  spay_result: Type.Optional(Type.Boolean({ description: 'Paid (true) or not (false).' })),
  refund_result: Type.Optional(Type.Boolean({ description: 'Refunded (true) or not (false).' })),
  buyer_id: Type.Optional(
    Type.String({
      maxLength: 64,
      description:
        'Bills of this merchant user (the pay request’s buyer_id, or attached later as a history bill).',
    }),
  ),
  ...timeRangeFields,
};

export const billCountQuery = SignedRequest(billFilterFields);
export const billListQuery = SignedRequest({
  ...billFilterFields,
  ...pagingFields,
  ...needDetailField,
  cursor: Type.Optional(
    Type.String({
      maxLength: 256,
      description:
        'spay: keyset paging — the previous page’s `next_cursor`; the page starts after that bill (`skip` then counts from there), at any depth.',
    }),
  ),
});
export const billByIdQuery = SignedRequest({});

export const billListAnswer = OkAnswer({
  count: Type.Integer(),
  bills: Type.Array(BillRecordSchema),
  next_cursor: Type.Optional(
    Type.String({
      description: 'spay: present when the page is full; pass it as `cursor` for the next page.',
    }),
  ),
});
export const billCountAnswer = OkAnswer(CountAnswerFields);
export const billAnswer = OkAnswer({ pay: BillRecordSchema });
