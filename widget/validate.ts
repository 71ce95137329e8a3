/**
 * BC.click's data rules (reference §2). Every problem becomes a DataError naming the field; nothing is sent
 * to the gateway until the data passes.
 */
import { isKnownChannel, type ChannelCode } from './channels.ts';
import type { DataError, Order, OptionalValue } from './types.ts';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: DataError };

const OUT_TRADE_NO = /^[A-Za-z0-9]{8,32}$/;
const SIGN = /^[0-9a-fA-F]{32}$/;
const SIGN_V2 = /^[0-9a-fA-F]{64}$/;
const POSITIVE_INTEGER_TEXT = /^[1-9][0-9]*$/;
/** BeeCloud's amount is a 32-bit integer of fen. */
export const MAX_AMOUNT = 2 ** 31 - 1;
/** "< 16 Chinese characters or < 32 characters": a character outside ASCII weighs 2, at most 32 in all. */
export const MAX_TITLE_WEIGHT = 32;
/** The gateway's limit for bill_timeout: 30 days. */
export const MAX_BILL_TIMEOUT = 30 * 24 * 60 * 60;

export function missing(field: string): DataError {
  return { code: 'MISS_PARAM', field, message: `${field}: is required` };
}

export function invalid(field: string, rule: string): DataError {
  return { code: 'PARAM_INVALID', field, message: `${field}: ${rule}` };
}

export function titleWeight(title: string): number {
  let weight = 0;
  for (const character of title) weight += character.codePointAt(0)! > 0x7f ? 2 : 1;
  return weight;
}

/** An optional field the merchant left out: absent, null or an empty string (templates render "" for none). */
function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * The first problem found, thrown from the checks below and caught by validateClickData (one `throw` per rule
 * rather than a `{ ok: false }` per rule: the first script's size budget).
 */
class Problem {
  constructor(readonly error: DataError) {}
}

function reject(field: string, rule?: string): never {
  throw new Problem(rule === undefined ? missing(field) : invalid(field, rule));
}

function booleanField(
  data: Record<string, unknown>,
  field: string,
  fallback: boolean,
  acceptText: boolean,
): boolean {
  const value = data[field];
  if (isAbsent(value)) return fallback;
  if (typeof value === 'boolean') return value;
  if (acceptText && (value === 'true' || value === 'false')) return value === 'true';
  return reject(field, acceptText ? 'must be true or false' : 'must be a boolean');
}

/** An optional text field: undefined when absent, else a string. */
function textField(data: Record<string, unknown>, field: string, rule: string): string | undefined {
  const value = data[field];
  if (isAbsent(value)) return undefined;
  return typeof value === 'string' ? value : reject(field, rule);
}

function checkAmount(value: unknown): number {
  if (isAbsent(value)) reject('amount');
  const rule = 'must be an integer number of fen > 0';
  const amount =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && POSITIVE_INTEGER_TEXT.test(value)
        ? Number(value)
        : reject('amount', rule);
  if (!Number.isInteger(amount) || amount <= 0) reject('amount', rule);
  if (amount > MAX_AMOUNT) reject('amount', `must be at most ${MAX_AMOUNT} fen`);
  return amount;
}

function checkReturnUrl(value: unknown): string | undefined {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string' || !/^https?:\/\/[^/?#\s]+/i.test(value))
    reject('return_url', 'must start with http:// or https://');
  if (value.includes('?') || value.includes('#')) reject('return_url', 'must not carry a query string');
  return value;
}

function checkOptional(value: unknown): Record<string, OptionalValue> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) reject('optional', 'must be a flat object');
  const flat: Record<string, OptionalValue> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry === undefined) continue;
    const primitive =
      entry === null ||
      typeof entry === 'string' ||
      typeof entry === 'boolean' ||
      (typeof entry === 'number' && Number.isFinite(entry));
    if (!primitive) reject(`optional.${key}`, 'must be a string, number, boolean or null');
    flat[key] = entry as OptionalValue;
  }
  return flat;
}

function checkOrder(data: unknown): Order {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) reject('data', 'must be an object');
  const fields = data as Record<string, unknown>;

  const outTradeNo = fields.out_trade_no;
  if (isAbsent(outTradeNo)) reject('out_trade_no');
  if (typeof outTradeNo !== 'string' || !OUT_TRADE_NO.test(outTradeNo))
    reject('out_trade_no', 'must be 8 to 32 letters or digits');

  const title = fields.title;
  if (isAbsent(title)) reject('title');
  if (typeof title !== 'string') reject('title', 'must be a string');
  if (title.trim() === '') reject('title');
  if (/[\u0000-\u001f\u007f]/.test(title)) reject('title', 'must not contain control characters');
  if (titleWeight(title) > MAX_TITLE_WEIGHT)
    reject('title', 'must be at most 16 Chinese or 32 other characters');

  const amount = checkAmount(fields.amount);

  const sign = fields.sign;
  if (isAbsent(sign)) reject('sign');
  const signTypeText = fields.sign_type;
  const signTypeUpper = typeof signTypeText === 'string' ? signTypeText.toUpperCase() : undefined;
  const signType: Order['signType'] =
    signTypeUpper === 'HMAC-SHA256' || signTypeUpper === 'MD5'
      ? signTypeUpper
      : isAbsent(signTypeText)
        ? undefined
        : reject('sign_type', 'must be "HMAC-SHA256" (v2) or "MD5" (legacy)');
  if (signType === 'HMAC-SHA256') {
    if (typeof sign !== 'string' || !SIGN_V2.test(sign))
      reject('sign', 'must be 64 hex characters (sign_type HMAC-SHA256)');
  } else if (typeof sign !== 'string' || !SIGN.test(sign)) reject('sign', 'must be 32 hex characters');

  const returnUrl = checkReturnUrl(fields.return_url);
  const debug = booleanField(fields, 'debug', false, false);
  const optional = checkOptional(fields.optional);
  const instantChannel = textField(fields, 'instant_channel', 'must be a channel code such as "ali"');
  const needAliGuide = booleanField(fields, 'need_ali_guide', true, true);
  const openid = textField(fields, 'openid', 'must be a string');
  const buyerId = textField(fields, 'buyer_id', 'must be a string');
  if (buyerId !== undefined && signType !== 'HMAC-SHA256')
    reject('buyer_id', 'needs the v2 sign (sign_type "HMAC-SHA256")');
  const useApp = booleanField(fields, 'use_app', true, true);

  const locale = fields.locale;
  if (!isAbsent(locale) && locale !== 'zh-CN' && locale !== 'en' && locale !== 'auto')
    reject('locale', 'must be "zh-CN", "en" or "auto"');

  const billTimeout = fields.bill_timeout;
  if (
    !isAbsent(billTimeout) &&
    !(
      Number.isInteger(billTimeout) &&
      (billTimeout as number) > 0 &&
      (billTimeout as number) <= MAX_BILL_TIMEOUT
    )
  )
    reject('bill_timeout', `must be an integer number of seconds from 1 to ${MAX_BILL_TIMEOUT}`);

  return {
    outTradeNo,
    title,
    amount,
    sign,
    ...(signType ? { signType } : {}),
    returnUrl,
    debug,
    optional,
    instantChannel,
    needAliGuide,
    openid,
    useApp,
    locale: isAbsent(locale) ? undefined : (locale as Order['locale']),
    billTimeout: isAbsent(billTimeout) ? undefined : (billTimeout as number),
    ...(buyerId ? { buyerId } : {}),
  };
}

/** Checks BC.click's data; the first problem found (in the table's field order) is the one reported. */
export function validateClickData(data: unknown): Checked<Order> {
  try {
    return { ok: true, value: checkOrder(data) };
  } catch (problem) {
    if (problem instanceof Problem) return { ok: false, error: problem.error };
    throw problem;
  }
}

/**
 * instant_channel must name a channel this app enabled and this browser can use. The message keeps the
 * original's debug text "不存在渠道[x]" for codes the script does not know.
 */
export function checkInstantChannel(
  code: string,
  available: readonly ChannelCode[],
  configured: readonly string[],
): Checked<ChannelCode> {
  const problem = !isKnownChannel(code)
    ? `不存在渠道[${code}]`
    : !configured.includes(code)
      ? `channel ${code} is not enabled for this app`
      : !available.includes(code)
        ? `channel ${code} is not available in this browser`
        : undefined;
  return problem === undefined
    ? { ok: true, value: code as ChannelCode }
    : {
        ok: false,
        error: { code: 'CHANNEL_INVALID', field: 'instant_channel', message: `instant_channel: ${problem}` },
      };
}

/** WeChat JSAPI pays as a WeChat user: the merchant must pass that user's openid. */
export function checkChannelData(code: ChannelCode, order: Order): DataError | undefined {
  if (code === 'wx' && !order.openid) return missing('openid');
  return undefined;
}
