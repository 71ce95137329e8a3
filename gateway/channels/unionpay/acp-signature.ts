/**
 * ACP 5.1.0 signatures (signMethod 01): every field except `signature` and empty values, sorted by key, joined
 * `k=v&k=v` with raw values; the lowercase SHA-256 hex of that text is what is signed (SHA256withRSA over the hex
 * string's bytes, not over the digest bytes), base64.
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';

export type AcpFields = Record<string, string>;

/** The text whose SHA-256 hex is signed. */
export function acpSigningText(fields: AcpFields): string {
  return Object.keys(fields)
    .filter((key) => key !== 'signature' && fields[key] !== '')
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('&');
}

/** Lowercase SHA-256 hex of the signing text: the string UnionPay signs. */
export function acpDigestHex(fields: AcpFields): string {
  return createHash('sha256').update(acpSigningText(fields), 'utf8').digest('hex');
}

/** Base64 SHA256withRSA signature over the digest hex string. */
export function acpSign(fields: AcpFields, privateKey: KeyObject): string {
  return sign('sha256', Buffer.from(acpDigestHex(fields), 'utf8'), privateKey).toString('base64');
}

/** Whether `fields.signature` is a valid signature of the other fields by `publicKey`. */
export function acpVerify(fields: AcpFields, publicKey: KeyObject): boolean {
  const signature = fields.signature;
  if (!signature || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return verify(
      'sha256',
      Buffer.from(acpDigestHex(fields), 'utf8'),
      publicKey,
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}

const chinaOffsetMs = 8 * 60 * 60 * 1000;

/** `yyyyMMddHHmmss` in China time (UTC+8, no daylight saving), whatever the host's time zone. */
export function chinaTimestamp(ms: number): string {
  const iso = new Date(ms + chinaOffsetMs).toISOString(); // 2026-12-02T22:06:33.000Z, already shifted
  return iso.slice(0, 19).replace(/[-T:]/g, '');
}

/** The instant a China-time `yyyyMMddHHmmss` names, or null when it is not a real time. */
export function parseChinaTimestamp(text: string): number | null {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (chinaTimestamp(ms - chinaOffsetMs) !== text) return null; // 20261331… rolls over: not a real time
  return ms - chinaOffsetMs;
}

/** ACP `txnAmt`: integer fen as digits, no sign, no decimals. */
export function fenToTxnAmt(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen <= 0)
    throw new RangeError(`amount must be a positive integer of fen, got ${fen}`);
  return String(fen);
}

/** Reads a `txnAmt` back; null when it is not 1–12 digits. */
export function txnAmtToFen(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,12}$/.test(text)) return null;
  return Number(text);
}

/**
 * Reads UnionPay's synchronous answer body: `k=v&k=v` with raw (not URL-encoded) values, where a value that itself
 * contains `&` or `=` is wrapped in `{…}` (nested braces balanced). Keeps the first occurrence of a key.
 */
export function parseAcpAnswer(body: string): AcpFields {
  const fields: AcpFields = {};
  let index = 0;
  const text = body.trim();
  while (index < text.length) {
    const equals = text.indexOf('=', index);
    if (equals < 0) break;
    const key = text.slice(index, equals);
    let valueEnd: number;
    let value: string;
    if (text[equals + 1] === '{') {
      let depth = 0;
      let cursor = equals + 1;
      for (; cursor < text.length; cursor++) {
        if (text[cursor] === '{') depth++;
        else if (text[cursor] === '}' && --depth === 0) break;
      }
      value = text.slice(equals + 1, cursor + 1);
      valueEnd = cursor + 1;
    } else {
      const amp = text.indexOf('&', equals + 1);
      valueEnd = amp < 0 ? text.length : amp;
      value = text.slice(equals + 1, valueEnd);
    }
    if (key && !(key in fields)) fields[key] = value;
    index = valueEnd + 1;
  }
  return fields;
}

/** Form fields as a POST body (`application/x-www-form-urlencoded`). */
export function encodeForm(fields: AcpFields): string {
  return new URLSearchParams(fields).toString();
}
