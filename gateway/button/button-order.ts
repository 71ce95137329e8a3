/**
 * The order the button sends (reference §2): its schema (`buttonOrderSchema`, checked by Fastify on
 * `POST /2/rest/jsbutton/{CHANNEL}` and against `para` on the JSONP form) and the rules a schema cannot say, applied
 * to the checked order (`buttonOrderFrom`): the title as the payer sees it (no invisible characters, 32 bytes with a
 * Chinese character counting 2), the return_url as a Location header needs it, the size of `optional`, the sign's
 * type and length. Every refusal is a BeeCloudError naming the field.
 */
import type { OptionalMap } from '../bills/bill.ts';
import { findCharacterNotInUrl, findInvisibleCharacter, headerSafeUrl } from '../bills/visible-text.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import { FlatMap, LettersDigits, Type } from '../schema/beecloud-schema.ts';
import { checkWithSchema } from '../schema/request-validation.ts';
import type { Static } from 'typebox';

export type ButtonSignType = 'MD5' | 'HMAC-SHA256';

export const maxAmountFen = 2 ** 31 - 1;
export const maxTitleBytes = 32;
export const maxBillTimeoutSeconds = 30 * 24 * 60 * 60;
const maxOptionalJsonBytes = 4096;

export const buttonOrderSchema = Type.Object(
  {
    appId: Type.String({ maxLength: 128, description: 'The app id.' }),
    out_trade_no: LettersDigits(8, 32, 'The merchant’s order number.'),
    title: Type.String({
      maxLength: 64,
      pattern: '^[^\\u0000-\\u001f\\u007f]*$',
      'x-error-message': 'must not contain control characters',
      description: 'At most 32 bytes, a Chinese character counting 2; no control or invisible characters.',
    }),
    amount: Type.Integer({
      minimum: 1,
      maximum: maxAmountFen,
      'x-beecloud-text': true,
      'x-error-message': `must be an integer number of fen from 1 to ${maxAmountFen}`,
      description: 'Integer fen; old pages send it as a string of digits, which is read the same.',
    }),
    sign: Type.String({
      pattern: '^[0-9a-fA-F]{32}([0-9a-fA-F]{32})?$',
      'x-error-message': 'must be 32 hex digits (md5) or 64 (HMAC-SHA256, sign_type "HMAC-SHA256")',
      description:
        'md5(appId + title + amount + out_trade_no + appSecret), or with sign_type HMAC-SHA256 the v2 sign (sdk signButtonOrderV2).',
    }),
    sign_type: Type.Optional(
      Type.String({ maxLength: 16, description: 'Absent or "MD5" (legacy), or "HMAC-SHA256".' }),
    ),
    return_url: Type.Optional(
      Type.String({
        maxLength: 1024,
        description: 'Where the payer returns: http(s), no query or fragment.',
      }),
    ),
    optional: Type.Optional(
      FlatMap({
        text: true,
        description:
          'A flat map (at most 4096 bytes as JSON), returned in webhooks; BeeCloud’s v4 script sends its JSON text.',
      }),
    ),
    openid: Type.Optional(
      Type.String({
        maxLength: 128,
        pattern: '^[A-Za-z0-9_-]+$',
        'x-error-message': 'must be a WeChat openid (letters, digits, _ and -)',
        description: 'The payer’s openid (WX_JSAPI).',
      }),
    ),
    bill_timeout: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: maxBillTimeoutSeconds,
        'x-beecloud-text': true,
        'x-error-message': `must be an integer number of seconds from 1 to ${maxBillTimeoutSeconds}`,
        description: 'Seconds until the bill closes unpaid (BeeCloud’s v4 script sends a string of digits).',
      }),
    ),
    buyer_id: Type.Optional(
      Type.String({
        maxLength: 64,
        pattern: '^[^\\u0000-\\u001f\\u007f]*$',
        'x-error-message': 'must not contain control characters',
        description:
          'The merchant’s user (v2 sign only: the sign covers it); their coupons are offered to the payer.',
      }),
    ),
    coupon_id: Type.Optional(
      Type.String({
        maxLength: 64,
        pattern: '^[^\\u0000-\\u001f\\u007f]*$',
        'x-error-message': 'must not contain control characters',
        description: 'The coupon the payer picked (not signed: the gateway checks it belongs to buyer_id).',
      }),
    ),
  },
  { title: 'ButtonOrder' },
);

export type ButtonOrderFields = Static<typeof buttonOrderSchema>;

export interface ButtonOrder {
  appId: string;
  title: string;
  amount: number;
  outTradeNo: string;
  sign: string;
  /** 'MD5': BeeCloud's legacy sign (no sign_type, or "MD5"); 'HMAC-SHA256': spay's v2 sign (button-sign.ts). */
  signType: ButtonSignType;
  /** return_url as sent (what the v2 sign covers); `returnUrl` is its normalised form. */
  signedReturnUrl: string | null;
  returnUrl: string | null;
  optional: OptionalMap | null;
  openid: string | null;
  billTimeoutSeconds: number | null;
  /** The merchant's user (v2 sign only: the sign covers it); its coupons are offered. */
  buyerId: string | null;
  /** The coupon the payer picked (not signed: the gateway checks it belongs to buyerId). */
  couponId: string | null;
}

/** BeeCloud's title length: ASCII counts 1, anything else (CJK…) counts 2. */
export function titleLength(title: string): number {
  let length = 0;
  for (const char of title) length += (char.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
  return length;
}

/** A title is shown to the payer: no bidi controls, zero-width or other invisible characters (issue 21 item 10). */
export function refuseInvisibleTitle(title: string): void {
  const found = findInvisibleCharacter(title);
  if (found !== undefined) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'title',
      `must not contain invisible or text-direction characters (found ${found}): the payer must see what they pay for`,
    );
  }
}

/** The title rules a schema cannot say: visible characters only, at most 32 bytes (a Chinese character counts 2). */
export function checkTitle(title: string): string {
  refuseInvisibleTitle(title);
  if (titleLength(title) > maxTitleBytes) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'title',
      `must be at most ${maxTitleBytes} bytes (a Chinese character counts 2)`,
    );
  }
  return title;
}

/** A return_url the payer is sent to: http(s), no query or fragment, kept as a Location header needs it. */
export function parseReturnUrl(value: string | undefined, field = 'return_url'): string | null {
  if (value === undefined || value === '') return null;
  const notInUrl = findCharacterNotInUrl(value);
  if (notInUrl !== undefined) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      field,
      `must not contain spaces, line breaks, control or invisible characters (found ${notInUrl}); percent-encode them`,
    );
  }
  if (!/^https?:\/\//i.test(value))
    throw new BeeCloudError('PARAM_INVALID', field, 'must start with http:// or https://');
  if (value.includes('?') || value.includes('#')) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      field,
      'must not carry a query string or fragment (the result is appended)',
    );
  }
  try {
    new URL(value);
  } catch {
    throw new BeeCloudError('PARAM_INVALID', field, 'is not a valid URL');
  }
  // Non-ASCII (a Chinese path, an IDN host) is kept percent-encoded / in punycode, as a Location header needs.
  const safe = headerSafeUrl(value);
  if (safe === undefined) throw new BeeCloudError('PARAM_INVALID', field, 'is not a valid URL');
  return safe;
}

/** `optional` is stored and sent back in every webhook: at most 4096 bytes as JSON. */
export function checkOptionalSize(optional: OptionalMap | undefined): OptionalMap | null {
  if (optional === undefined) return null;
  if (Buffer.byteLength(JSON.stringify(optional)) > maxOptionalJsonBytes) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'optional',
      `must be at most ${maxOptionalJsonBytes} bytes as JSON`,
    );
  }
  return optional;
}

function signTypeOf(value: string | undefined): ButtonSignType {
  if (value === undefined) return 'MD5';
  if (value.toUpperCase() === 'HMAC-SHA256') return 'HMAC-SHA256';
  if (value.toUpperCase() === 'MD5') return 'MD5';
  throw new BeeCloudError(
    'PARAM_INVALID',
    'sign_type',
    'must be "HMAC-SHA256" (the v2 sign), or absent or "MD5" (the legacy sign)',
  );
}

/** An optional id (buyer, coupon): absent or empty is none; no invisible characters (the schema refuses control ones). */
function visibleId(value: string | undefined, field: string): string | null {
  if (value === undefined || value === '') return null;
  if (findInvisibleCharacter(value) !== undefined) {
    throw new BeeCloudError('PARAM_INVALID', field, 'must not contain control or invisible characters');
  }
  return value;
}

/** The checked order (schema) as the button's order; `needsOpenid` for WX_JSAPI. The sign is checked against the app later. */
export function buttonOrderFrom(
  fields: ButtonOrderFields,
  { needsOpenid }: { needsOpenid: boolean },
): ButtonOrder {
  const title = checkTitle(fields.title);
  const signType = signTypeOf(fields.sign_type);
  if (signType === 'MD5' && fields.sign.length !== 32)
    throw new BeeCloudError('PARAM_INVALID', 'sign', 'must be 32 hex digits (md5)');
  if (signType === 'HMAC-SHA256' && fields.sign.length !== 64)
    throw new BeeCloudError(
      'PARAM_INVALID',
      'sign',
      'must be 64 hex digits (HMAC-SHA256, sign_type "HMAC-SHA256")',
    );
  const returnUrl = parseReturnUrl(fields.return_url);
  const optional = checkOptionalSize(fields.optional as OptionalMap | undefined);
  if (needsOpenid && fields.openid === undefined) throw new BeeCloudError('MISS_PARAM', 'openid', 'required');
  const buyerId = visibleId(fields.buyer_id, 'buyer_id');
  if (buyerId !== null && signType !== 'HMAC-SHA256') {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'buyer_id',
      'needs the v2 sign (sign_type "HMAC-SHA256"), which covers it; the legacy md5 sign does not',
    );
  }
  const couponId = visibleId(fields.coupon_id, 'coupon_id');
  return {
    buyerId,
    couponId,
    appId: fields.appId,
    title,
    amount: fields.amount,
    outTradeNo: fields.out_trade_no,
    sign: fields.sign,
    signType,
    signedReturnUrl: fields.return_url ?? null,
    returnUrl,
    optional,
    openid: needsOpenid ? (fields.openid ?? null) : null,
    billTimeoutSeconds: fields.bill_timeout ?? null,
  };
}

/** Checks an order sent as JSON (the JSONP form's `para`, tests): the schema, then the rules above. */
export function parseButtonOrder(input: unknown, options: { needsOpenid: boolean }): ButtonOrder {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new BeeCloudError('PARAM_INVALID', 'body', 'must be a JSON object');
  }
  return buttonOrderFrom(checkWithSchema<ButtonOrderFields>(buttonOrderSchema, input), options);
}
