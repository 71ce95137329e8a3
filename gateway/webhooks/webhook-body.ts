/** The webhook body of reference §5, with BeeCloud's two signatures (from sdk/sign.ts). */
import { webhookLegacySign, webhookSignature } from '../../sdk/sign.ts';
import { paySecretFor, type App, type AppMode } from '../apps/app.ts';

export type TransactionType = 'PAY' | 'REFUND';

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
  /** Further fields for this transaction type (e.g. a refund's bill_no). */
  extraFields?: Record<string, unknown>;
}

export interface WebhookBody {
  sign: string;
  signature: string;
  timestamp: number;
  channel_type: string;
  sub_channel_type: string;
  transaction_type: TransactionType;
  transaction_id: string;
  transaction_fee: number;
  trade_success: boolean;
  message_detail: Record<string, unknown>;
  optional: Record<string, unknown>;
  channel_transaction_id: string;
  [extra: string]: unknown;
}

export function buildWebhookBody(facts: WebhookFacts, timestampMs: number): WebhookBody {
  const { app } = facts;
  return {
    ...facts.extraFields,
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
    trade_success: true,
    message_detail: facts.messageDetail,
    optional: facts.optional ?? {},
    channel_transaction_id: facts.channelTransactionId,
  };
}
