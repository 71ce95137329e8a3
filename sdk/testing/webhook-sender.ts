/**
 * Builds webhooks exactly as the gateway signs them (reference §5 body, legacy `sign`, `signature`, Standard
 * Webhooks headers), for tests of webhook receivers. Uses the one implementation of each signature in sign.ts.
 */
import type { SpayApp } from '../app.ts';
import { webhookSignSecretFor } from '../app.ts';
import { standardWebhookSignature, webhookLegacySign, webhookSignature } from '../sign.ts';
import type { TransactionType } from '../webhook.ts';

export interface WebhookFacts {
  transactionType: TransactionType;
  transactionId: string;
  transactionFee: number;
  channelType?: string;
  subChannelType?: string;
  tradeSuccess?: boolean;
  /** Milliseconds; default now. */
  timestamp?: number;
  billNo?: string;
  optional?: Record<string, unknown>;
}

type SigningApp = Pick<SpayApp, 'appId' | 'appSecret' | 'masterSecret' | 'testSecret' | 'testMode'>;

export function signedWebhookBody(app: SigningApp, facts: WebhookFacts): Record<string, unknown> {
  const timestamp = facts.timestamp ?? Date.now();
  const channelType = facts.channelType ?? 'ALI';
  return {
    sign: webhookLegacySign(app.appId, webhookSignSecretFor(app), timestamp),
    signature: webhookSignature(
      app.appId,
      facts.transactionId,
      facts.transactionType,
      channelType,
      facts.transactionFee,
      app.masterSecret,
    ),
    timestamp,
    channel_type: channelType,
    sub_channel_type: facts.subChannelType ?? `${channelType}_WEB`,
    transaction_type: facts.transactionType,
    transaction_id: facts.transactionId,
    transaction_fee: facts.transactionFee,
    trade_success: facts.tradeSuccess ?? true,
    message_detail: { sandbox: true },
    optional: facts.optional ?? {},
    channel_transaction_id: `sandbox${facts.transactionId}`,
    ...(facts.billNo === undefined ? {} : { bill_no: facts.billNo }),
  };
}

/** The Standard Webhooks headers for a raw body, as the gateway's dispatcher sends them. */
export function standardWebhookHeaders(
  webhookSecret: string,
  rawBody: string,
  options: { id?: string; timestampSeconds?: number } = {},
): Record<string, string> {
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const timestampSeconds = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': standardWebhookSignature(webhookSecret, id, timestampSeconds, rawBody),
  };
}
