/**
 * Alipay OpenAPI (v2, `gateway.do`) protocol pieces the adapter needs besides the SDK: the strict string a notify is
 * signed over, the time format, and parsing the `*_response` answers.
 */

/**
 * The text Alipay signs: every parameter except the excluded ones and the empty ones, keys sorted by ASCII, joined
 * as `k=v&k=v` with the raw (decoded) values. Requests exclude `sign`; notifies exclude `sign` and `sign_type`.
 */
export function signContent(params: Record<string, string | undefined>, exclude: readonly string[]): string {
  return Object.keys(params)
    .filter((key) => !exclude.includes(key) && params[key] !== undefined && params[key] !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

/** Keys a notify's signature does not cover. */
export const notifyUnsignedKeys = ['sign', 'sign_type'] as const;

const beijingOffsetMs = 8 * 60 * 60 * 1000;

/** `yyyy-MM-dd HH:mm:ss` in Beijing time (Asia/Shanghai has no daylight saving: UTC+8 all year). */
export function beijingTime(ms: number): string {
  const d = new Date(ms + beijingOffsetMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
  );
}

/** Parses Alipay's `yyyy-MM-dd HH:mm:ss` (Beijing time) to ms since the epoch; null when malformed. */
export function parseBeijingTime(text: string | undefined): number | null {
  if (!text) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - beijingOffsetMs;
  return Number.isNaN(ms) ? null : ms;
}

/** `alipay.trade.query` → `alipay_trade_query_response`. */
export function responseKeyFor(method: string): string {
  return `${method.replaceAll('.', '_')}_response`;
}

/** Alipay's result codes (https://opendocs.alipay.com/common/02km9f). */
export const alipayCodes = {
  success: '10000',
  /** alipay.trade.pay: the order is made and waits for the payer (the password on the phone): query it. */
  paymentInProcess: '10003',
  serviceUnavailable: '20000',
  missingParams: '40001',
  invalidParams: '40002',
  businessFailed: '40004',
  insufficientPermissions: '40006',
} as const;
