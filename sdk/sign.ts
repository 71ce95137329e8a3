/**
 * Every signature BeeCloud defined, plus the Standard Webhooks signature spay adds.
 * Shared by the merchant SDK, the gateway and the demo server: one implementation of each.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
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
