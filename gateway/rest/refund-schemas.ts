/**
 * The refund endpoints: `POST /2/rest/refund`, `PUT /2/rest/refund` (pre-refund approval), `GET refunds`,
 * `refunds/count`, `refund/status`, `refund/{id}`. How to add an endpoint: gateway/schema/beecloud-schema.ts.
 */
import { FlatMap, Fen, LettersDigits, OkAnswer, SignedRequest, Type } from '../schema/beecloud-schema.ts';
import {
  ChannelFilter,
  CountAnswerFields,
  needDetailField,
  pagingFields,
  RefundRecordSchema,
  timeRangeFields,
} from './common-schemas.ts';

export const MAX_APPROVAL_IDS = 100;

const refundNo = Type.String({
  maxLength: 40,
  pattern: '^\\d{8}[0-9A-Za-z]{3,24}$',
  'x-error-message': 'must be the refund date (yyyyMMdd) followed by 3 to 24 letters or digits',
  description:
    'The refund date (yyyyMMdd, a real date) + 3 to 24 letters or digits, not all zeros; unique per app.',
});

/** The fields of every refund (also `POST /2/rest/offline/refund`, offline-schemas.ts). */
export const refundFields = {
  refund_no: refundNo,
  bill_no: LettersDigits(8, 32, 'The paid order’s bill_no.'),
  refund_fee: Fen({ description: 'Integer fen; all refunds of a bill together at most its amount.' }),
  channel: Type.Optional(ChannelFilter),
  optional: Type.Optional(FlatMap({ text: true })),
};

export const refundRequestSchema = SignedRequest({
  ...refundFields,
  need_approval: Type.Optional(
    Type.Boolean({ description: 'A pre-refund: recorded only, until PUT /2/rest/refund agrees.' }),
  ),
});

export const refundAnswerSchema = OkAnswer({ id: Type.String({ description: 'The refund’s id.' }) });

export const refundApprovalSchema = SignedRequest({
  channel: ChannelFilter,
  ids: Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' }), {
    minItems: 1,
    maxItems: MAX_APPROVAL_IDS,
    description: 'The pre-refunds’ ids (a comma list in a form body).',
  }),
  agree: Type.Boolean(),
  deny_reason: Type.Optional(Type.String({ maxLength: 256 })),
});

export const refundApprovalAnswer = OkAnswer({
  result_map: Type.Record(Type.String(), Type.String(), { description: 'Each id: "OK" or why not.' }),
});

const refundFilterFields = {
  channel: Type.Optional(ChannelFilter),
  bill_no: Type.Optional(Type.String({ maxLength: 32 })),
  refund_no: Type.Optional(Type.String({ maxLength: 40 })),
  need_approval: Type.Optional(Type.Boolean()),
  ...timeRangeFields,
};

export const refundCountQuery = SignedRequest(refundFilterFields);
export const refundListQuery = SignedRequest({ ...refundFilterFields, ...pagingFields, ...needDetailField });
export const refundListAnswer = OkAnswer({ count: Type.Integer(), refunds: Type.Array(RefundRecordSchema) });
export const refundCountAnswer = OkAnswer(CountAnswerFields);

export const refundStatusQuery = SignedRequest({
  channel: ChannelFilter,
  refund_no: Type.String({ maxLength: 40 }),
});
export const refundStatusAnswer = OkAnswer({
  refund_status: Type.Enum(['SUCCESS', 'PROCESSING', 'FAIL', 'PENDING_APPROVAL', 'DENIED']),
});

export const refundByIdQuery = SignedRequest({});
export const refundByIdAnswer = OkAnswer({ refund: RefundRecordSchema });
