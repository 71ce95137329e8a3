/**
 * What the gateway tells an observer (metrics) about the payment domain, at its seams: the core after each
 * committed bill or refund change and each notify that does not verify, the channel registry around each channel
 * call, the webhook dispatcher after each attempt. Calls are synchronous and must not throw or block; the default
 * observer does nothing. gateway/metrics/ implements it with Prometheus counters and histograms.
 */
import type { Bill } from '../bills/bill.ts';
import type { Refund } from '../refunds/refund.ts';

/** What happened to a bill (one channel attempt), after the commit. */
export type BillEvent = 'created' | 'paid' | 'closed' | 'expired';
/** How a refund ended (after the commit that settled it). */
export type RefundOutcome = 'succeeded' | 'failed' | 'denied';
/** The channel adapter calls that go to the channel. */
export type ChannelCall = 'createPayment' | 'queryPayment' | 'closePayment' | 'refund' | 'queryRefund';
/** One webhook attempt: delivered, failed with a retry ahead, or failed for good (no retry left). */
export type WebhookAttemptOutcome = 'delivered' | 'retrying' | 'failed';

export interface GatewayObserver {
  billEvent(bill: Bill, event: BillEvent): void;
  refundSettled(refund: Refund, outcome: RefundOutcome): void;
  /** A channel notify whose signature or content did not verify (`NotifyRejected`). */
  notifyRejected(family: string): void;
  channelCall(family: string, call: ChannelCall, seconds: number, failed: boolean): void;
  /**
   * `attemptSeconds`: the receiver's answer time; `sinceWrittenSeconds`: from the webhook being written (the
   * change that caused it) to the end of this attempt — the delivery latency when delivered.
   */
  webhookAttempt(outcome: WebhookAttemptOutcome, attemptSeconds: number, sinceWrittenSeconds: number): void;
}

export const quietObserver: GatewayObserver = {
  billEvent() {},
  refundSettled() {},
  notifyRejected() {},
  channelCall() {},
  webhookAttempt() {},
};
