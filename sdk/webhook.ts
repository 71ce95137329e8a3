/**
 * Verifying a webhook the gateway sent: the legacy `sign`, the 2017 `signature` and, when present, the Standard
 * Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`). Every comparison is constant-time.
 * The result names what failed, so a merchant can log it and answer anything but `success`.
 */
import type { SpayApp } from './app.ts';
import { webhookSignSecretFor } from './app.ts';
import {
  hexSignaturesEqual,
  signaturesEqual,
  standardWebhookSignature,
  webhookLegacySign,
  webhookSignature,
} from './sign.ts';

export type TransactionType = 'PAY' | 'REFUND' | 'TRANSFER' | 'SUBSCRIPTION';

/** The webhook body of reference §5 (spay adds `bill_no` to REFUND webhooks). */
export interface WebhookBody {
  sign: string;
  signature: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** WX, ALI, UN, PAYPAL (`ChannelFamily`); for TRANSFER webhooks the transfer's family. */
  channel_type: string;
  /**
   * The channel: ALI_WEB … UN_WAP, the offline WX_SCAN / ALI_SCAN / ALI_OFFLINE_QRCODE, the international
   * PAYPAL_PAYPAL / PAYPAL_CREDITCARD / PAYPAL_SAVED_CREDITCARD (their `transaction_fee` is in the minor units of
   * `message_detail.currency`), or a transfer channel.
   */
  sub_channel_type: string;
  transaction_type: TransactionType;
  /**
   * The bill_no (the button's out_trade_no) for PAY, the refund_no for REFUND, the transfer_no for TRANSFER (the
   * bill_no of a bank-card transfer, the transfer_id of an item of an Alipay batch), the subscription id for
   * SUBSCRIPTION, the charge's id for a subscription charge's PAY (sub_channel_type BC_SUBSCRIPTION).
   */
  transaction_id: string;
  /** Integer fen. */
  transaction_fee: number;
  trade_success: boolean;
  message_detail?: unknown;
  optional?: Record<string, unknown>;
  channel_transaction_id?: string;
  /** The refunded bill's bill_no, on REFUND webhooks. */
  bill_no?: string;
  /** On TRANSFER webhooks: SUCCESS or FAIL (trade_success says the same). */
  transfer_status?: 'SUCCESS' | 'FAIL';
  /** On TRANSFER webhooks of an item of an Alipay batch: the batch's batch_no. */
  batch_no?: string;
  [field: string]: unknown;
}

export type WebhookFailure =
  | 'body' // not a JSON object
  | 'field' // a required field is missing or has the wrong type
  | 'sign' // the legacy sign does not match
  | 'signature' // the 2017 signature does not match
  | 'standard-signature' // the Standard Webhooks signature does not match (or its headers are incomplete)
  | 'timestamp'; // the Standard Webhooks timestamp is too old or too far in the future

export type WebhookVerification =
  | { ok: true; webhook: WebhookBody; checked: ('sign' | 'signature' | 'standard-signature')[] }
  | { ok: false; failure: WebhookFailure; message: string };

/** Header values as Node gives them (`request.headers`) or as a fetch `Headers`. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** How far `webhook-timestamp` may be from now, in seconds (default 300). */
  toleranceSeconds?: number;
  /**
   * Refuse webhooks whose Standard Webhooks headers are missing or cannot be checked for want of a
   * `webhookSecret` (default false: BeeCloud never sent them).
   */
  requireStandardSignature?: boolean;
  /** The clock, in milliseconds (tests). */
  now?: () => number;
}

const DEFAULT_TOLERANCE_SECONDS = 300;

/** Checks a webhook's raw body and headers against the app's secrets. Never throws for bad input. */
export function verifyWebhook(
  rawBody: string | Buffer,
  headers: WebhookHeaders,
  app: Pick<SpayApp, 'appId' | 'appSecret' | 'masterSecret' | 'testSecret' | 'testMode' | 'webhookSecret'>,
  options: VerifyWebhookOptions = {},
): WebhookVerification {
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const parsed = parseWebhookBody(body);
  if (!parsed.ok) return parsed;
  const webhook = parsed.webhook;
  const checked: ('sign' | 'signature' | 'standard-signature')[] = [];

  const standard = checkStandardSignature(body, headers, app.webhookSecret, options);
  if (standard === 'absent') {
    if (options.requireStandardSignature) {
      return fail('standard-signature', 'webhook-signature: the Standard Webhooks headers are missing');
    }
  } else if (standard !== 'valid') {
    return standard;
  } else {
    checked.push('standard-signature');
  }

  const expectedSign = webhookLegacySign(app.appId, webhookSignSecretFor(app), webhook.timestamp);
  if (!hexSignaturesEqual(expectedSign, webhook.sign)) {
    return fail(
      'sign',
      `sign: does not match md5(app_id + ${app.testMode ? 'test' : 'app'}_secret + timestamp)`,
    );
  }
  checked.push('sign');

  const expectedSignature = webhookSignature(
    app.appId,
    webhook.transaction_id,
    webhook.transaction_type,
    webhook.channel_type,
    webhook.transaction_fee,
    app.masterSecret,
  );
  if (!hexSignaturesEqual(expectedSignature, webhook.signature)) {
    return fail(
      'signature',
      'signature: does not match md5(app_id + transaction_id + transaction_type + channel_type + transaction_fee + master_secret)',
    );
  }
  checked.push('signature');

  return { ok: true, webhook, checked };
}

function fail(failure: WebhookFailure, message: string): WebhookVerification {
  return { ok: false, failure, message };
}

/** Parses and type-checks the body; the first wrong field is named. */
export function parseWebhookBody(
  body: string,
): { ok: true; webhook: WebhookBody } | { ok: false; failure: WebhookFailure; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, failure: 'body', message: 'body: not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, failure: 'body', message: 'body: not a JSON object' };
  }
  const record = value as Record<string, unknown>;
  const problem = firstFieldProblem(record);
  if (problem !== undefined) return { ok: false, failure: 'field', message: problem };
  return { ok: true, webhook: record as WebhookBody };
}

function firstFieldProblem(record: Record<string, unknown>): string | undefined {
  for (const field of ['sign', 'signature', 'channel_type', 'transaction_id'] as const) {
    if (typeof record[field] !== 'string' || record[field] === '') return `${field}: missing or not a string`;
  }
  if (typeof record.timestamp !== 'number' || !Number.isSafeInteger(record.timestamp)) {
    return 'timestamp: missing or not an integer number of milliseconds';
  }
  if (
    record.transaction_type !== 'PAY' &&
    record.transaction_type !== 'REFUND' &&
    record.transaction_type !== 'TRANSFER' &&
    record.transaction_type !== 'SUBSCRIPTION'
  ) {
    return 'transaction_type: must be PAY, REFUND, TRANSFER or SUBSCRIPTION';
  }
  const fee = record.transaction_fee;
  if (typeof fee !== 'number' || !Number.isSafeInteger(fee) || fee < 0) {
    return 'transaction_fee: missing or not an integer number of fen';
  }
  if (typeof record.trade_success !== 'boolean') return 'trade_success: missing or not a boolean';
  if (record.sub_channel_type !== undefined && typeof record.sub_channel_type !== 'string') {
    return 'sub_channel_type: not a string';
  }
  if (record.bill_no !== undefined && typeof record.bill_no !== 'string') return 'bill_no: not a string';
  if (
    record.optional !== undefined &&
    record.optional !== null &&
    (typeof record.optional !== 'object' || Array.isArray(record.optional))
  ) {
    return 'optional: not an object';
  }
  return undefined;
}

function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

function checkStandardSignature(
  body: string,
  headers: WebhookHeaders,
  webhookSecret: string | undefined,
  options: VerifyWebhookOptions,
): 'absent' | 'valid' | WebhookVerification {
  const id = headerValue(headers, 'webhook-id');
  const timestamp = headerValue(headers, 'webhook-timestamp');
  const signatures = headerValue(headers, 'webhook-signature');
  if (id === undefined && timestamp === undefined && signatures === undefined) return 'absent';
  // Without a webhookSecret (an app set up as for BeeCloud) the headers cannot be checked: the BeeCloud
  // signatures still are. `requireStandardSignature` turns this into a refusal.
  if (webhookSecret === undefined || webhookSecret === '') return 'absent';
  if (id === undefined || timestamp === undefined || signatures === undefined) {
    return fail(
      'standard-signature',
      'webhook-id, webhook-timestamp and webhook-signature must come together',
    );
  }
  if (!/^\d{1,12}$/.test(timestamp)) return fail('timestamp', 'webhook-timestamp: not a number of seconds');
  const seconds = Number(timestamp);
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(nowSeconds - seconds) > tolerance) {
    return fail('timestamp', `webhook-timestamp: more than ${tolerance} s from now`);
  }
  const expected = standardWebhookSignature(webhookSecret, id, seconds, body);
  // The header may carry several space-separated signatures (key rotation); one match is enough.
  let matched = false;
  for (const candidate of signatures.split(' ')) {
    if (candidate !== '' && signaturesEqual(expected, candidate)) matched = true;
  }
  return matched ? 'valid' : fail('standard-signature', 'webhook-signature: no v1 signature matches');
}
