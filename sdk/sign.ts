/**
 * Every signature BeeCloud defined, plus the Standard Webhooks signature spay adds.
 * Shared by the merchant SDK, the gateway and the demo server: one implementation of each.
 */
import { createHash, createHmac, hash, timingSafeEqual } from 'node:crypto';

/** One-shot `crypto.hash` (Node ≥ 20.12): 0.6 µs where a Hash object took 1.2–1.6 µs (every REST request signs). */
export function md5Hex(text: string): string {
  return hash('md5', text, 'hex');
}

/** The button's order sign: md5_utf8(appId + title + amount + out_trade_no + appSecret). */
export function buttonOrderSign(
  appId: string,
  title: string,
  amount: number,
  outTradeNo: string,
  appSecret: string,
): string {
  return md5Hex(appId + title + String(amount) + outTradeNo + appSecret);
}

/**
 * JSON in canonical form (RFC 8785, JCS, for the values spay signs): object keys sorted by UTF-16 code units, no
 * whitespace, strings and numbers as ECMAScript's JSON.stringify writes them. Undefined object members are left out.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new RangeError('cannot sign a non-finite number');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** The `sign_type` a v2 button order carries (absent or "MD5": the legacy md5 sign). */
export const BUTTON_SIGN_TYPE_V2 = 'HMAC-SHA256';

/** What the v2 button sign covers. Absent optional fields are signed as null. */
export interface ButtonSignFields {
  appId: string;
  title: string;
  amount: number;
  outTradeNo: string;
  returnUrl?: string | null;
  optional?: Record<string, string | number | boolean | null> | null;
  billTimeout?: number | null;
  /** The merchant's user the order is for (its coupons are offered); covered only when present. */
  buyerId?: string | null;
}

/**
 * The button's v2 order sign: lowercase hex HMAC-SHA256(appSecret, canonicalJson({amount, app_id, bill_timeout,
 * optional, out_trade_no, return_url, sign_type: "HMAC-SHA256", title[, buyer_id]})) — buyer_id only when the order
 * has one. Named fields, so {title "Book", amount
 * 1234} and {title "Book123", amount 4} sign differently (the legacy md5 of the concatenation does not tell them
 * apart); return_url, optional and bill_timeout are covered too.
 */
export function buttonOrderSignV2(fields: ButtonSignFields, appSecret: string): string {
  const message = canonicalJson({
    amount: fields.amount,
    app_id: fields.appId,
    bill_timeout: fields.billTimeout ?? null,
    optional: fields.optional ?? null,
    out_trade_no: fields.outTradeNo,
    // An empty return_url is no return_url (the widget does not send it).
    return_url: fields.returnUrl || null,
    sign_type: BUTTON_SIGN_TYPE_V2,
    title: fields.title,
    // Added with coupons: present only when the order names a buyer, so orders without one sign as before.
    ...(fields.buyerId ? { buyer_id: fields.buyerId } : {}),
  });
  return createHmac('sha256', appSecret).update(message, 'utf8').digest('hex');
}

/** What the v2 REST request signature covers. */
export interface RestRequestToSign {
  /** GET, POST, PUT … (upper case). */
  method: string;
  /** The request target from `/2/` on, query included, exactly as sent: `/2/rest/bills?para=%7B…`. */
  pathAndQuery: string;
  appId: string;
  /** Milliseconds since the epoch (the X-Spay-Timestamp header). */
  timestamp: number;
  /** 16–64 letters, digits, `-` or `_`, never reused (the X-Spay-Nonce header). */
  nonce: string;
  /** The body bytes as sent ("" when there is none). */
  body: string | Uint8Array;
}

/** The header names of the v2 REST request signature. */
export const REQUEST_SIGNATURE_HEADERS = {
  timestamp: 'x-spay-timestamp',
  nonce: 'x-spay-nonce',
  signature: 'x-spay-signature',
} as const;

/**
 * The v2 REST request signature (the X-Spay-Signature header): lowercase hex HMAC-SHA256(secret, the lines
 * "SPAY-REQUEST-V2", METHOD, path and query, app_id, timestamp, nonce, hex SHA-256 of the body, joined by "\n").
 * The secret is the one the endpoint requires (app, master or test secret, as for app_sign).
 */
export function restRequestSignature(request: RestRequestToSign, secret: string): string {
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const message = [
    'SPAY-REQUEST-V2',
    request.method.toUpperCase(),
    request.pathAndQuery,
    request.appId,
    String(request.timestamp),
    request.nonce,
    bodyHash,
  ].join('\n');
  return createHmac('sha256', secret).update(message, 'utf8').digest('hex');
}

/** The REST API's request sign: md5(app_id + timestamp + secret). */
export function restAppSign(appId: string, timestamp: number, secret: string): string {
  return md5Hex(appId + String(timestamp) + secret);
}

/** The webhook's legacy `sign`: md5(app_id + app_secret + timestamp) (test_secret in test mode). */
export function webhookLegacySign(appId: string, secret: string, timestamp: number): string {
  return md5Hex(appId + secret + String(timestamp));
}

/** The webhook's `signature` (2017): md5(app_id + transaction_id + transaction_type + channel_type + transaction_fee + master_secret). */
export function webhookSignature(
  appId: string,
  transactionId: string,
  transactionType: string,
  channelType: string,
  transactionFee: number,
  masterSecret: string,
): string {
  return md5Hex(
    appId + transactionId + transactionType + channelType + String(transactionFee) + masterSecret,
  );
}

/** Decodes a Standard Webhooks secret (`whsec_` + base64) into its key bytes. */
export function webhookSecretKey(whsec: string): Buffer {
  const encoded = whsec.startsWith('whsec_') ? whsec.slice('whsec_'.length) : whsec;
  return Buffer.from(encoded, 'base64');
}

/** Standard Webhooks: `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)), timestamp in seconds. */
export function standardWebhookSignature(
  whsec: string,
  id: string,
  timestampSeconds: number,
  body: string,
): string {
  const mac = createHmac('sha256', webhookSecretKey(whsec))
    .update(`${id}.${timestampSeconds}.${body}`, 'utf8')
    .digest('base64');
  return `v1,${mac}`;
}

/** Compares two signatures in constant time (for equal lengths); case-sensitive. */
export function signaturesEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  if (a.length !== b.length) {
    // Still spend the comparison so the timing does not reveal where the lengths differ.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** Compares two hex digests in constant time, ignoring case (BeeCloud accepted either case). */
export function hexSignaturesEqual(expected: string, received: string): boolean {
  return signaturesEqual(expected.toLowerCase(), received.toLowerCase());
}
