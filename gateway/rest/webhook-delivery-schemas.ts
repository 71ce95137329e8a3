/**
 * `GET /2/rest/webhooks` and `POST /2/rest/webhook/resend` (spay additions: BeeCloud had only its console). How to
 * add an endpoint: gateway/schema/beecloud-schema.ts.
 */
import { OkAnswer, SignedRequest, Type, Words } from '../schema/beecloud-schema.ts';
import { DELIVERY_STATUSES } from '../webhooks/webhook-deliveries.ts';
import { pagingFields } from './common-schemas.ts';

const deliveryFilterFields = {
  transaction_type: Type.Optional(
    Words(['PAY', 'REFUND', 'TRANSFER', 'SUBSCRIPTION'], {
      message: 'must be PAY, REFUND, TRANSFER or SUBSCRIPTION',
    }),
  ),
  transaction_id: Type.Optional(
    Type.String({ maxLength: 64, description: 'The bill’s, refund’s or transfer’s id.' }),
  ),
  id: Type.Optional(
    Type.String({ maxLength: 64, description: 'The webhook delivery’s id (the webhook-id header).' }),
  ),
  status: Type.Optional(Words(DELIVERY_STATUSES)),
};

export const deliveryListQuery = SignedRequest({ ...deliveryFilterFields, ...pagingFields });
export const resendRequestSchema = SignedRequest(deliveryFilterFields, {
  anyOf: [{ required: ['transaction_id'] }, { required: ['id'] }],
});

const DeliveryRecordSchema = Type.Object(
  {
    id: Type.String(),
    app_id: Type.String(),
    bill_id: Type.Union([Type.String(), Type.Null()]),
    refund_id: Type.Union([Type.String(), Type.Null()]),
    transaction_type: Type.String(),
    transaction_id: Type.String(),
    target_url: Type.String(),
    status: Words(DELIVERY_STATUSES),
    attempt_count: Type.Integer(),
    created_at: Type.Integer(),
    next_attempt_at: Type.Union([Type.Integer(), Type.Null()]),
    delivered_at: Type.Union([Type.Integer(), Type.Null()]),
    body: Type.String({ description: 'The webhook’s JSON body as sent.' }),
    attempts: Type.Array(
      Type.Object({
        attempted_at: Type.Integer(),
        http_status: Type.Union([Type.Integer(), Type.Null()]),
        latency_ms: Type.Number(),
        response_excerpt: Type.String(),
        error: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  },
  { title: 'WebhookDelivery' },
);

export const deliveryListAnswer = OkAnswer({
  count: Type.Integer(),
  webhooks: Type.Array(DeliveryRecordSchema),
});
