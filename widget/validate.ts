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

function booleanField(
  data: Record<string, unknown>,
  field: string,
  fallback: boolean,
  acceptText: boolean,
): Checked<boolean> {
  const value = data[field];
  if (isAbsent(value)) return { ok: true, value: fallback };
  if (typeof value === 'boolean') return { ok: true, value };
  if (acceptText && (value === 'true' || value === 'false')) return { ok: true, value: value === 'true' };
  return { ok: false, error: invalid(field, acceptText ? 'must be true or false' : 'must be a boolean') };
}

function checkAmount(value: unknown): Checked<number> {
  if (isAbsent(value)) return { ok: false, error: missing('amount') };
  const rule = 'must be an integer number of fen > 0';
  let amount: number;
  if (typeof value === 'number') amount = value;
  else if (typeof value === 'string' && POSITIVE_INTEGER_TEXT.test(value)) amount = Number(value);
  else return { ok: false, error: invalid('amount', rule) };
  if (!Number.isInteger(amount) || amount <= 0) return { ok: false, error: invalid('amount', rule) };
  if (amount > MAX_AMOUNT)
    return { ok: false, error: invalid('amount', `must be at most ${MAX_AMOUNT} fen`) };
  return { ok: true, value: amount };
}

function checkReturnUrl(value: unknown): Checked<string | undefined> {
  if (isAbsent(value)) return { ok: true, value: undefined };
  if (typeof value !== 'string' || !/^https?:\/\/[^/?#\s]+/i.test(value)) {
    return { ok: false, error: invalid('return_url', 'must start with http:// or https://') };
  }
  if (value.includes('?') || value.includes('#')) {
    return { ok: false, error: invalid('return_url', 'must not carry a query string') };
  }
  return { ok: true, value };
}

function checkOptional(value: unknown): Checked<Record<string, OptionalValue> | undefined> {
  if (value === undefined || value === null) return { ok: true, value: undefined };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: invalid('optional', 'must be a flat object') };
  }
  const flat: Record<string, OptionalValue> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry === undefined) continue;
    const primitive =
      entry === null ||
      typeof entry === 'string' ||
      typeof entry === 'boolean' ||
      (typeof entry === 'number' && Number.isFinite(entry));
    if (!primitive) {
      return { ok: false, error: invalid(`optional.${key}`, 'must be a string, number, boolean or null') };
    }
    flat[key] = entry as OptionalValue;
  }
  return { ok: true, value: flat };
}

/** Checks BC.click's data; the first problem found (in the table's field order) is the one reported. */
export function validateClickData(data: unknown): Checked<Order> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, error: invalid('data', 'must be an object') };
  }
  const fields = data as Record<string, unknown>;

  const outTradeNo = fields.out_trade_no;
  if (isAbsent(outTradeNo)) return { ok: false, error: missing('out_trade_no') };
  if (typeof outTradeNo !== 'string' || !OUT_TRADE_NO.test(outTradeNo)) {
    return { ok: false, error: invalid('out_trade_no', 'must be 8 to 32 letters or digits') };
  }

  const title = fields.title;
  if (isAbsent(title)) return { ok: false, error: missing('title') };
  if (typeof title !== 'string') return { ok: false, error: invalid('title', 'must be a string') };
  if (title.trim() === '') return { ok: false, error: missing('title') };
  if (/[\u0000-\u001f\u007f]/.test(title))
    return { ok: false, error: invalid('title', 'must not contain control characters') };
  if (titleWeight(title) > MAX_TITLE_WEIGHT) {
    return { ok: false, error: invalid('title', 'must be at most 16 Chinese or 32 other characters') };
  }

  const amount = checkAmount(fields.amount);
  if (!amount.ok) return amount;

  const sign = fields.sign;
  if (isAbsent(sign)) return { ok: false, error: missing('sign') };
  const signTypeText = fields.sign_type;
  let signType: Order['signType'];
  if (typeof signTypeText === 'string' && signTypeText.toUpperCase() === 'HMAC-SHA256')
    signType = 'HMAC-SHA256';
  else if (typeof signTypeText === 'string' && signTypeText.toUpperCase() === 'MD5') signType = 'MD5';
  else if (!isAbsent(signTypeText)) {
    return { ok: false, error: invalid('sign_type', 'must be "HMAC-SHA256" (v2) or "MD5" (legacy)') };
  }
  if (signType === 'HMAC-SHA256') {
    if (typeof sign !== 'string' || !SIGN_V2.test(sign)) {
      return { ok: false, error: invalid('sign', 'must be 64 hex characters (sign_type HMAC-SHA256)') };
    }
  } else if (typeof sign !== 'string' || !SIGN.test(sign)) {
    return { ok: false, error: invalid('sign', 'must be 32 hex characters') };
  }

  const returnUrl = checkReturnUrl(fields.return_url);
  if (!returnUrl.ok) return returnUrl;

  const debug = booleanField(fields, 'debug', false, false);
  if (!debug.ok) return debug;

  const optional = checkOptional(fields.optional);
  if (!optional.ok) return optional;

  const instantChannel = fields.instant_channel;
  if (!isAbsent(instantChannel) && typeof instantChannel !== 'string') {
    return { ok: false, error: invalid('instant_channel', 'must be a channel code such as "ali"') };
  }

  const needAliGuide = booleanField(fields, 'need_ali_guide', true, true);
  if (!needAliGuide.ok) return needAliGuide;

  const openid = fields.openid;
  if (!isAbsent(openid) && typeof openid !== 'string')
    return { ok: false, error: invalid('openid', 'must be a string') };

  const useApp = booleanField(fields, 'use_app', true, true);
  if (!useApp.ok) return useApp;

  const locale = fields.locale;
  if (!isAbsent(locale) && locale !== 'zh-CN' && locale !== 'en' && locale !== 'auto') {
    return { ok: false, error: invalid('locale', 'must be "zh-CN", "en" or "auto"') };
  }

  const billTimeout = fields.bill_timeout;
  if (
    !isAbsent(billTimeout) &&
    !(
      Number.isInteger(billTimeout) &&
      (billTimeout as number) > 0 &&
      (billTimeout as number) <= MAX_BILL_TIMEOUT
    )
  ) {
    return {
      ok: false,
      error: invalid('bill_timeout', `must be an integer number of seconds from 1 to ${MAX_BILL_TIMEOUT}`),
    };
  }

  return {
    ok: true,
    value: {
      outTradeNo,
      title,
      amount: amount.value,
      sign,
      ...(signType ? { signType } : {}),
      returnUrl: returnUrl.value,
      debug: debug.value,
      optional: optional.value,
      instantChannel: isAbsent(instantChannel) ? undefined : (instantChannel as string),
      needAliGuide: needAliGuide.value,
      openid: isAbsent(openid) ? undefined : (openid as string),
      useApp: useApp.value,
      locale: isAbsent(locale) ? undefined : (locale as Order['locale']),
      billTimeout: isAbsent(billTimeout) ? undefined : (billTimeout as number),
    },
  };
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
  if (!isKnownChannel(code)) {
    return {
      ok: false,
      error: {
        code: 'CHANNEL_INVALID',
        field: 'instant_channel',
        message: `instant_channel: 不存在渠道[${code}]`,
      },
    };
  }
  if (!configured.includes(code)) {
    return {
      ok: false,
      error: {
        code: 'CHANNEL_INVALID',
        field: 'instant_channel',
        message: `instant_channel: channel ${code} is not enabled for this app`,
      },
    };
  }
  if (!available.includes(code)) {
    return {
      ok: false,
      error: {
        code: 'CHANNEL_INVALID',
        field: 'instant_channel',
        message: `instant_channel: channel ${code} is not available in this browser`,
      },
    };
  }
  return { ok: true, value: code };
}

/** WeChat JSAPI pays as a WeChat user: the merchant must pass that user's openid. */
export function checkChannelData(code: ChannelCode, order: Order): DataError | undefined {
  if (code === 'wx' && !order.openid) return missing('openid');
  return undefined;
}
