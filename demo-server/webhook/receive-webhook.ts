/**
 * What the demo merchant does with a webhook, as the seed tutorial teaches and a little stricter:
 * verify the signatures → ignore a duplicate → check the amount against the stored order → record PAY / REFUND.
 * Only a processed webhook (or a duplicate of one) is answered `success`; anything else changes nothing and gets
 * another answer, so the gateway retries or a human looks at it.
 */
import type { SpayApp } from '../../sdk/app.ts';
import { verifyWebhook, type WebhookBody, type WebhookHeaders } from '../../sdk/webhook.ts';
import type { OrderStore } from '../orders/order-store.ts';

export type WebhookOutcome =
  | 'paid'
  | 'payment-failed'
  | 'refunded'
  | 'refund-failed'
  | 'duplicate'
  | 'bad-request'
  | 'bad-signature'
  | 'unknown-order'
  | 'amount-mismatch'
  | 'not-refundable';

export interface WebhookDecision {
  /** The body to answer: `success` stops the gateway's retries, anything else asks for another try. */
  answer: string;
  httpStatus: number;
  outcome: WebhookOutcome;
  /** What happened, for the log. */
  reason: string;
}

export interface WebhookContext {
  app: Pick<SpayApp, 'appId' | 'appSecret' | 'masterSecret' | 'testSecret' | 'testMode' | 'webhookSecret'>;
  orders: OrderStore;
  now?: () => number;
  toleranceSeconds?: number;
}

function processed(outcome: WebhookOutcome, reason: string): WebhookDecision {
  return { answer: 'success', httpStatus: 200, outcome, reason };
}

function refused(outcome: WebhookOutcome, httpStatus: number, reason: string): WebhookDecision {
  return { answer: `fail: ${reason}`, httpStatus, outcome, reason };
}

export function receiveWebhook(
  rawBody: string | Buffer,
  headers: WebhookHeaders,
  context: WebhookContext,
): WebhookDecision {
  const now = context.now ?? Date.now;
  const verification = verifyWebhook(rawBody, headers, context.app, {
    now,
    toleranceSeconds: context.toleranceSeconds,
  });
  if (!verification.ok) {
    const badInput = verification.failure === 'body' || verification.failure === 'field';
    return refused(badInput ? 'bad-request' : 'bad-signature', badInput ? 400 : 401, verification.message);
  }
  const webhook = verification.webhook;
  return context.orders.transaction(() =>
    webhook.transaction_type === 'PAY'
      ? receivePayment(webhook, context.orders, now())
      : receiveRefund(webhook, context.orders, now()),
  );
}

function receivePayment(webhook: WebhookBody, orders: OrderStore, now: number): WebhookDecision {
  const order = orders.findOrder(webhook.transaction_id);
  if (order === undefined) {
    return refused('unknown-order', 404, `transaction_id: no order ${webhook.transaction_id}`);
  }
  if (orders.hasWebhookReceipt('PAY', webhook.transaction_id)) {
    return processed('duplicate', `PAY ${webhook.transaction_id} was already processed`);
  }
  if (webhook.transaction_fee !== order.amount) {
    return refused(
      'amount-mismatch',
      409,
      `transaction_fee: ${webhook.transaction_fee} fen does not match the order's ${order.amount} fen`,
    );
  }
  orders.addWebhookReceipt({
    transactionType: 'PAY',
    transactionId: webhook.transaction_id,
    transactionFee: webhook.transaction_fee,
    tradeSuccess: webhook.trade_success,
    receivedAt: now,
  });
  if (!webhook.trade_success) {
    return processed(
      'payment-failed',
      `PAY ${webhook.transaction_id} failed at the channel; the order stays unpaid`,
    );
  }
  orders.markPaid(order.outTradeNo, {
    channel: webhook.channel_type,
    subChannel: webhook.sub_channel_type ?? null,
    paidAt: now,
  });
  return processed('paid', `order ${order.outTradeNo} paid ${webhook.transaction_fee} fen`);
}

function receiveRefund(webhook: WebhookBody, orders: OrderStore, now: number): WebhookDecision {
  const refundNo = webhook.transaction_id;
  const requested = orders.findRefund(refundNo);
  const outTradeNo = requested?.outTradeNo ?? webhook.bill_no;
  if (outTradeNo === undefined) {
    return refused(
      'unknown-order',
      404,
      `transaction_id: no refund ${refundNo} and no bill_no to find its order`,
    );
  }
  if (requested !== undefined && webhook.bill_no !== undefined && webhook.bill_no !== requested.outTradeNo) {
    return refused(
      'unknown-order',
      409,
      `bill_no: refund ${refundNo} belongs to order ${requested.outTradeNo}, not ${webhook.bill_no}`,
    );
  }
  const order = orders.findOrder(outTradeNo);
  if (order === undefined) return refused('unknown-order', 404, `bill_no: no order ${outTradeNo}`);
  if (orders.hasWebhookReceipt('REFUND', refundNo)) {
    return processed('duplicate', `REFUND ${refundNo} was already processed`);
  }
  if (requested !== undefined && webhook.transaction_fee !== requested.refundFee) {
    return refused(
      'amount-mismatch',
      409,
      `transaction_fee: ${webhook.transaction_fee} fen does not match the requested refund of ${requested.refundFee} fen`,
    );
  }
  if (order.status === 'created') {
    return refused('not-refundable', 409, `bill_no: order ${order.outTradeNo} was never paid`);
  }
  const refundable = order.amount - order.refundedFee;
  if (webhook.trade_success && (webhook.transaction_fee <= 0 || webhook.transaction_fee > refundable)) {
    return refused(
      'amount-mismatch',
      409,
      `transaction_fee: ${webhook.transaction_fee} fen is more than the ${refundable} fen left to refund`,
    );
  }
  orders.addWebhookReceipt({
    transactionType: 'REFUND',
    transactionId: refundNo,
    transactionFee: webhook.transaction_fee,
    tradeSuccess: webhook.trade_success,
    receivedAt: now,
  });
  if (!webhook.trade_success) {
    if (requested !== undefined)
      orders.markRefundFailed(refundNo, 'the channel reported the refund failed', now);
    return processed('refund-failed', `REFUND ${refundNo} failed at the channel; the order stays paid`);
  }
  orders.markRefunded({
    refundNo,
    outTradeNo: order.outTradeNo,
    refundFee: webhook.transaction_fee,
    refundedAt: now,
  });
  return processed('refunded', `order ${order.outTradeNo} refunded ${webhook.transaction_fee} fen`);
}
