/**
 * The simulator's side of ACP 5.1.0 messages, written from the protocol (not shared with the gateway's adapter):
 * signMethod 01 = SHA256withRSA over the lowercase SHA-256 hex of the sorted `k=v&` text of the non-empty fields
 * other than `signature`.
 */
import { createHash, createPrivateKey, sign, verify, X509Certificate } from 'node:crypto';

export type Fields = Record<string, string>;

function digestHex(fields: Fields): string {
  const text = Object.entries(fields)
    .filter(([key, value]) => key !== 'signature' && value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Signs as UnionPay does, putting the signer's certificate in `signPubKeyCert` first (it is signed too). */
export function signAsUnionpay(
  fields: Fields,
  signer: { privateKeyPem: string; certificatePem: string },
): Fields {
  const withCert: Fields = { ...fields, signMethod: '01', signPubKeyCert: signer.certificatePem };
  const signature = sign(
    'sha256',
    Buffer.from(digestHex(withCert), 'utf8'),
    createPrivateKey(signer.privateKeyPem),
  );
  return { ...withCert, signature: signature.toString('base64') };
}

/** Verifies a merchant's request with the merchant certificate registered for it. */
export function verifyMerchantSignature(fields: Fields, certificatePem: string): boolean {
  if (!fields.signature) return false;
  try {
    const key = new X509Certificate(certificatePem).publicKey;
    return verify(
      'sha256',
      Buffer.from(digestHex(fields), 'utf8'),
      key,
      Buffer.from(fields.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

/** A synchronous answer body: `k=v&k=v`, raw values, as UnionPay's back-end answers are. */
export function answerBody(fields: Fields): string {
  return Object.entries(fields)
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/** China time (UTC+8) `yyyyMMddHHmmss`. */
export function chinaTime(ms: number): string {
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/** Whether `yyyyMMddHHmmss` is a real date-time; its instant (read as China time) or null. */
export function readChinaTime(text: string): number | null {
  if (!/^\d{14}$/.test(text)) return null;
  const ms =
    Date.UTC(
      Number(text.slice(0, 4)),
      Number(text.slice(4, 6)) - 1,
      Number(text.slice(6, 8)),
      Number(text.slice(8, 10)),
      Number(text.slice(10, 12)),
      Number(text.slice(12, 14)),
    ) -
    8 * 3600 * 1000;
  return chinaTime(ms) === text ? ms : null;
}

/** `¥12.34` from fen, exactly. */
export function yuan(fen: number): string {
  return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
