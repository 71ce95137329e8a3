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
  ...timeRangeFields,
};

export const billCountQuery = SignedRequest(billFilterFields);
export const billListQuery = SignedRequest({ ...billFilterFields, ...pagingFields, ...needDetailField });
export const billByIdQuery = SignedRequest({});

export const billListAnswer = OkAnswer({ count: Type.Integer(), bills: Type.Array(BillRecordSchema) });
export const billCountAnswer = OkAnswer(CountAnswerFields);
export const billAnswer = OkAnswer({ pay: BillRecordSchema });
