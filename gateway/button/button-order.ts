/**
 * Validation of the order the button sends (reference §2) into a typed order, field by field. Every refusal is a
 * BeeCloudError whose detail starts with the field name: MISS_PARAM when absent, PARAM_INVALID when malformed.
 */
import { BeeCloudError } from '../errors/result-codes.ts';
import type { OptionalMap } from '../bills/bill.ts';
import { findCharacterNotInUrl, findInvisibleCharacter, headerSafeUrl } from '../bills/visible-text.ts';

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
}

export type ButtonSignType = 'MD5' | 'HMAC-SHA256';

export const maxAmountFen = 2 ** 31 - 1;
export const maxTitleBytes = 32;
const maxOptionalJsonBytes = 4096;
const maxBillTimeoutSeconds = 30 * 24 * 60 * 60;

/** BeeCloud's title length: ASCII counts 1, anything else (CJK…) counts 2. */
export function titleLength(title: string): number {
  let length = 0;
  for (const char of title) length += (char.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
  return length;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function requiredString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (!present(value)) throw new BeeCloudError('MISS_PARAM', field, 'required');
  if (typeof value !== 'string') throw new BeeCloudError('PARAM_INVALID', field, 'must be a string');
  return value;
}

function parseAmount(value: unknown): number {
  if (!present(value)) throw new BeeCloudError('MISS_PARAM', 'amount', 'required');
  // Old pages sometimes send the amount as a string of digits; the sign covers the same text either way.
  const amount = typeof value === 'string' && /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : value;
  if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0) {
    throw new BeeCloudError('PARAM_INVALID', 'amount', 'must be an integer number of fen > 0');
  }
  if (amount > maxAmountFen)
    throw new BeeCloudError('PARAM_INVALID', 'amount', `must be at most ${maxAmountFen} fen`);
  return amount;
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

function parseTitle(value: string): string {
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new BeeCloudError('PARAM_INVALID', 'title', 'must not contain control characters');
  }
  refuseInvisibleTitle(value);
  if (titleLength(value) > maxTitleBytes) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'title',
      `must be at most ${maxTitleBytes} characters (a Chinese character counts 2)`,
    );
  }
  return value;
}

export function parseReturnUrl(value: unknown, field = 'return_url'): string | null {
  if (!present(value)) return null;
  if (typeof value !== 'string') throw new BeeCloudError('PARAM_INVALID', field, 'must be a string');
  if (value.length > 1024) throw new BeeCloudError('PARAM_INVALID', field, 'must be at most 1024 characters');
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

export function parseOptional(value: unknown): OptionalMap | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new BeeCloudError('PARAM_INVALID', 'optional', 'must be a flat {key: value} object');
  }
  const map: OptionalMap = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item !== null && !['string', 'number', 'boolean'].includes(typeof item)) {
      throw new BeeCloudError(
        'PARAM_INVALID',
        'optional',
        `value of "${key}" must be a string, number or boolean`,
      );
    }
    if (typeof item === 'number' && !Number.isFinite(item)) {
      throw new BeeCloudError('PARAM_INVALID', 'optional', `value of "${key}" must be a finite number`);
    }
    map[key] = item as string | number | boolean | null;
  }
  if (Buffer.byteLength(JSON.stringify(map)) > maxOptionalJsonBytes) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'optional',
      `must be at most ${maxOptionalJsonBytes} bytes as JSON`,
    );
  }
  return map;
}

export function parseBillTimeout(value: unknown): number | null {
  if (!present(value)) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > maxBillTimeoutSeconds) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'bill_timeout',
      `must be an integer number of seconds from 1 to ${maxBillTimeoutSeconds}`,
    );
  }
  return value;
}

function parseSignType(value: unknown): ButtonSignType {
  if (!present(value)) return 'MD5';
  if (typeof value === 'string' && value.toUpperCase() === 'HMAC-SHA256') return 'HMAC-SHA256';
  if (typeof value === 'string' && value.toUpperCase() === 'MD5') return 'MD5';
  throw new BeeCloudError(
    'PARAM_INVALID',
    'sign_type',
    'must be "HMAC-SHA256" (the v2 sign), or absent or "MD5" (the legacy sign)',
  );
}

/**
 * BeeCloud's own button script (v4) builds its `para` by hand with every value as a string: a string of digits
 * is the number it spells (amount is read the same way in parseAmount).
 */
function integerFromText(value: unknown): unknown {
  return typeof value === 'string' && /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : value;
}

/** …and an object as its JSON text. */
function objectFromText(value: unknown, field: string): unknown {
  if (typeof value !== 'string' || value === '') return value === '' ? null : value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new BeeCloudError('PARAM_INVALID', field, 'must be a flat {key: value} object (or its JSON text)');
  }
}

/** Checks the button's fields; `needsOpenid` for WX_JSAPI. The sign is checked separately, against the app. */
export function parseButtonOrder(input: unknown, { needsOpenid }: { needsOpenid: boolean }): ButtonOrder {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new BeeCloudError('PARAM_INVALID', 'body', 'must be a JSON object');
  }
  const fields = input as Record<string, unknown>;
  const appId = requiredString(fields, 'appId');
  const outTradeNo = requiredString(fields, 'out_trade_no');
  if (!/^[A-Za-z0-9]{8,32}$/.test(outTradeNo)) {
    throw new BeeCloudError('PARAM_INVALID', 'out_trade_no', 'must be 8 to 32 letters or digits');
  }
  const title = parseTitle(requiredString(fields, 'title'));
  const amount = parseAmount(fields.amount);
  const signType = parseSignType(fields.sign_type);
  const sign = requiredString(fields, 'sign');
  if (signType === 'MD5' && !/^[0-9a-fA-F]{32}$/.test(sign))
    throw new BeeCloudError('PARAM_INVALID', 'sign', 'must be 32 hex digits (md5)');
  if (signType === 'HMAC-SHA256' && !/^[0-9a-fA-F]{64}$/.test(sign))
    throw new BeeCloudError(
      'PARAM_INVALID',
      'sign',
      'must be 64 hex digits (HMAC-SHA256, sign_type "HMAC-SHA256")',
    );
  const returnUrl = parseReturnUrl(fields.return_url);
  const signedReturnUrl = present(fields.return_url) ? (fields.return_url as string) : null;
  const optional = parseOptional(objectFromText(fields.optional, 'optional'));
  let openid: string | null = null;
  if (needsOpenid) {
    openid = requiredString(fields, 'openid');
    if (openid.length > 128 || !/^[A-Za-z0-9_-]+$/.test(openid)) {
      throw new BeeCloudError(
        'PARAM_INVALID',
        'openid',
        'must be a WeChat openid (letters, digits, _ and -)',
      );
    }
  }
  const billTimeoutSeconds = parseBillTimeout(integerFromText(fields.bill_timeout));
  return {
    appId,
    title,
    amount,
    outTradeNo,
    sign,
    signType,
    signedReturnUrl,
    returnUrl,
    optional,
    openid,
    billTimeoutSeconds,
  };
}
