/** Builds the webhook body of reference §5 (its type is the SDK's), with BeeCloud's two signatures (sdk/sign.ts). */
import { webhookLegacySign, webhookSignature } from '../../sdk/sign.ts';
import type { TransactionType, WebhookBody } from '../../sdk/webhook.ts';
import { paySecretFor, type App, type AppMode } from '../apps/app.ts';

export interface WebhookFacts {
  app: App;
  mode: AppMode;
  transactionType: TransactionType;
  /** bill_no for PAY (the button's out_trade_no), refund_no for REFUND. */
  transactionId: string;
  channelType: string;
  subChannelType: string;
  transactionFee: number;
  optional: Record<string, unknown> | null;
  messageDetail: Record<string, unknown>;
  channelTransactionId: string;
  /** false for a transfer that failed (default true: PAY and REFUND webhooks announce successes). */
  tradeSuccess?: boolean;
  /** Further fields for this transaction type (e.g. a refund's bill_no). */
  extraFields?: Record<string, unknown>;
}

export function buildWebhookBody(facts: WebhookFacts, timestampMs: number): WebhookBody {
  const { app } = facts;
  // The extra fields first, the standard ones over them; Object.assign rather than `{ ...extra, sign, … }` (V8's
  // slow path on Node 20: see okAnswer).
  return Object.assign({}, facts.extraFields, {
    sign: webhookLegacySign(app.appId, paySecretFor(app, facts.mode), timestampMs),
    signature: webhookSignature(
      app.appId,
      facts.transactionId,
      facts.transactionType,
      facts.channelType,
      facts.transactionFee,
      app.masterSecret,
    ),
    timestamp: timestampMs,
    channel_type: facts.channelType,
    sub_channel_type: facts.subChannelType,
    transaction_type: facts.transactionType,
    transaction_id: facts.transactionId,
    transaction_fee: facts.transactionFee,
    trade_success: facts.tradeSuccess ?? true,
    message_detail: facts.messageDetail,
    optional: facts.optional ?? {},
    channel_transaction_id: facts.channelTransactionId,
  });
}
