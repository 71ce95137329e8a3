/**
 * The webhook the gateway POSTs to the merchant's server (reference §5; the type is sdk/webhook.ts `WebhookBody`):
 * its body and headers as JSON Schema, published in the OpenAPI document's `webhooks` (PAY, REFUND, TRANSFER).
 * The merchant answers the text `success` to stop the retries.
 */
import { Type } from '../schema/beecloud-schema.ts';

export const webhookBodySchema = Type.Object(
  {
    sign: Type.String({
      description: 'md5(app_id + app_secret (test_secret in test mode) + timestamp), hex.',
    }),
    signature: Type.String({
      description:
        'HMAC-SHA256(master_secret, app_id + transaction_id + transaction_type + channel_type + transaction_fee), hex.',
    }),
    timestamp: Type.Integer({ description: 'Milliseconds since the epoch.' }),
    channel_type: Type.String({ description: 'WX, ALI, UN (or the transfer’s channel family).' }),
    sub_channel_type: Type.String({ description: 'The channel, e.g. WX_NATIVE, ALI_WEB, WX_REDPACK.' }),
    transaction_type: Type.Enum(['PAY', 'REFUND', 'TRANSFER']),
    transaction_id: Type.String({
      description:
        'PAY: the bill_no; REFUND: the refund_no; TRANSFER: the transfer_no (a batch item’s transfer_id).',
    }),
    transaction_fee: Type.Integer({ description: 'Integer fen.' }),
    trade_success: Type.Boolean(),
    message_detail: Type.Object({}, { description: 'The channel’s payload.' }),
    optional: Type.Object({}, { description: 'The bill’s (or refund’s) optional map.' }),
    channel_transaction_id: Type.String({ description: 'The channel’s transaction number.' }),
    bill_no: Type.Optional(Type.String({ description: 'REFUND: the refunded bill’s bill_no.' })),
    transfer_status: Type.Optional(Type.Enum(['SUCCESS', 'FAIL'], { description: 'TRANSFER only.' })),
    batch_no: Type.Optional(Type.String({ description: 'TRANSFER of an Alipay batch item: the batch_no.' })),
  },
  { title: 'WebhookBody' },
);

export const webhookHeaders = {
  'webhook-id': 'The delivery’s id (the same on every retry): deduplicate by it.',
  'webhook-timestamp': 'Seconds since the epoch (Standard Webhooks).',
  'webhook-signature': 'v1,<base64 HMAC-SHA256(webhook secret, id.timestamp.body)> (Standard Webhooks).',
};

const transactionWebhook = (type: 'PAY' | 'REFUND' | 'TRANSFER', summary: string) => ({
  post: {
    summary,
    description:
      'Sent to the app’s webhook URL (or the bill’s notify_url) after the change is committed; retried with back-off until the answer body is `success`. Check `sign`, `signature` and the Standard Webhooks headers (sdk verifyWebhook).',
    tags: ['webhooks'],
    parameters: Object.entries(webhookHeaders).map(([name, description]) => ({
      name,
      in: 'header',
      required: name !== 'webhook-signature',
      description,
      schema: { type: 'string' },
    })),
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: { ...webhookBodySchema, description: `transaction_type is ${type}.` },
        },
      },
    },
    responses: {
      200: {
        description: 'The body `success` stops the retries; anything else is retried.',
        content: { 'text/plain': { schema: { type: 'string', const: 'success' } } },
      },
    },
  },
});

/** The OpenAPI 3.1 `webhooks` object. */
export const openApiWebhooks = {
  pay: transactionWebhook('PAY', 'A bill was paid (PAY)'),
  refund: transactionWebhook('REFUND', 'A refund succeeded (REFUND)'),
  transfer: transactionWebhook('TRANSFER', 'A transfer finished (TRANSFER)'),
};
