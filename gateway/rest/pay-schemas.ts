/**
 * `POST /2/rest/bill` (and `/2/rest/sandbox/bill`): the pay request and its answer (reference §4). Its fields but the
 * channel (`payFields`) are those of every payment: `POST /2/rest/offline/bill` and `international/bill` take them
 * too (offline-schemas.ts, international-schemas.ts). How to add an endpoint: gateway/schema/beecloud-schema.ts.
 */
import { maxBillTimeoutSeconds } from '../button/button-order.ts';
import {
  FlatMap,
  Fen,
  HttpUrl,
  LettersDigits,
  OkAnswer,
  SignedRequest,
  Type,
} from '../schema/beecloud-schema.ts';
import { PayChannel } from './common-schemas.ts';

/** Channels whose payer comes back through the browser, so a return_url is required. */
export const returnUrlChannels = ['ALI_WEB', 'ALI_QRCODE', 'UN_WEB'] as const;

/** A rule that applies when the channel is one of `channels` (`if` / `then` of the request's `allOf`). */
export function whenChannel(channels: string | readonly string[], then: Record<string, unknown>) {
  const channel = typeof channels === 'string' ? { const: channels } : { enum: [...channels] };
  return { if: { properties: { channel }, required: ['channel'] }, then };
}

/** The fields of every payment but its channel, in the order BeeCloud reads them. */
export const payFields = {
  total_fee: Fen({ description: 'The amount in integer fen.' }),
  bill_no: LettersDigits(8, 32, 'The merchant’s order number, unique per app.'),
  title: Type.String({
    maxLength: 64,
    pattern: '^[^\\u0000-\\u001f\\u007f]*$',
    'x-error-message': 'must not contain control characters',
    description: 'At most 32 bytes, a Chinese character counting 2; no control or invisible characters.',
  }),
  optional: Type.Optional(FlatMap()),
  return_url: Type.Optional(
    Type.String({
      maxLength: 1024,
      description: 'Where the payer returns (required for ALI_WEB, ALI_QRCODE, UN_WEB); http(s), no ? or #.',
    }),
  ),
  notify_url: Type.Optional(HttpUrl('Where this bill’s webhooks go instead of the app’s.')),
  bill_timeout: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: maxBillTimeoutSeconds,
      'x-error-message': `must be an integer number of seconds from 1 to ${maxBillTimeoutSeconds}`,
      description: 'Seconds until the bill closes unpaid.',
    }),
  ),
  openid: Type.Optional(
    Type.String({ maxLength: 128, description: 'The payer’s openid (required for WX_JSAPI).' }),
  ),
  buyer_id: Type.Optional(Type.String({ maxLength: 64 })),
  coupon_id: Type.Optional(Type.String({ maxLength: 64 })),
  analysis: Type.Optional(
    FlatMap({ text: true, description: 'Analytics tags (a flat map, or its JSON text).' }),
  ),
};

export const payRequestSchema = SignedRequest(
  { channel: PayChannel, ...payFields },
  {
    allOf: [
      whenChannel(returnUrlChannels, { required: ['return_url'] }),
      whenChannel('WX_JSAPI', { required: ['openid'] }),
    ],
  },
);

export const payAnswerSchema = OkAnswer(
  {
    id: Type.String({ description: 'The bill’s id at the gateway.' }),
    code_url: Type.Optional(Type.String({ description: 'WX_NATIVE, ALI_QRCODE: the QR code’s content.' })),
    url: Type.Optional(
      Type.String({
        description:
          'ALI_*, WX_WAP: where to send the payer; in the sandbox (POST /2/rest/sandbox/bill) every channel but WX_JSAPI has one (the sandbox cashier).',
      }),
    ),
    html: Type.Optional(Type.String({ description: 'ALI_*, UN_*: a self-submitting form.' })),
    app_id: Type.Optional(Type.String({ description: 'WX_JSAPI: getBrandWCPayRequest’s appId.' })),
    package: Type.Optional(Type.String()),
    nonce_str: Type.Optional(Type.String()),
    timestamp: Type.Optional(Type.String()),
    pay_sign: Type.Optional(Type.String()),
    sign_type: Type.Optional(Type.String()),
  },
  { title: 'PayAnswer' },
);
