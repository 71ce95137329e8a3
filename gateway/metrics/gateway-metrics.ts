/**
 * The gateway's Prometheus metrics, in the payment domain's terms (prom-client, one registry per gateway). It is
 * the `GatewayObserver` the core, the channel registry and the webhook dispatcher call at their seams; the outbox
 * backlog is read from the store at each scrape; HTTP latency by route and open event streams come from Fastify
 * hooks (metrics-routes.ts). Amounts are integer fen, as everywhere in spay.
 */
import client from 'prom-client';
import type { Bill } from '../bills/bill.ts';
import type {
  BillEvent,
  ChannelCall,
  GatewayObserver,
  RefundOutcome,
  WebhookAttemptOutcome,
} from '../core/observer.ts';
import type { Refund } from '../refunds/refund.ts';
import type { OutboxStore } from '../storage/outbox-store.ts';

const billLabels = ['app_id', 'mode', 'channel'] as const;
const callBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const deliveryBuckets = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600, 6 * 3600, 24 * 3600];
const httpBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface GatewayMetricsOptions {
  /** Where the webhook backlog is read at each scrape. */
  outbox: Pick<OutboxStore, 'pendingBacklog'>;
  now?: () => number;
  /** Process metrics (CPU, memory, event loop lag, GC) with the `spay_process_`… names (default true). */
  processMetrics?: boolean;
  onCollectError?: (error: unknown) => void;
}

export class GatewayMetrics implements GatewayObserver {
  readonly registry = new client.Registry();
  private readonly bills: Record<BillEvent, client.Counter<(typeof billLabels)[number]>>;
  private readonly billAmounts: Record<'created' | 'paid', client.Counter<(typeof billLabels)[number]>>;
  private readonly channelCalls: client.Histogram<'family' | 'call' | 'outcome'>;
  private readonly channelErrors: client.Counter<'family' | 'call'>;
  private readonly notifyFailures: client.Counter<'family'>;
  private readonly refunds: client.Counter<'app_id' | 'mode' | 'channel' | 'outcome'>;
  private readonly refundedAmount: client.Counter<'app_id' | 'mode' | 'channel'>;
  private readonly webhookAttempts: client.Counter<'outcome'>;
  private readonly webhookAttemptDuration: client.Histogram<'outcome'>;
  private readonly webhookDeliveryLatency: client.Histogram;
  readonly httpDuration: client.Histogram<'method' | 'route' | 'status_class'>;
  readonly eventStreams: client.Gauge;
  private backlog: Promise<{ count: number; oldestCreatedAt: number | null }> | undefined;

  constructor(private readonly options: GatewayMetricsOptions) {
    const registers = [this.registry];
    const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new client.Counter<L>({ name, help, labelNames, registers });
    this.bills = {
      created: counter('spay_bills_created_total', 'Bills (channel attempts) created.', billLabels),
      paid: counter(
        'spay_bills_paid_total',
        'Bills paid (booked from a verified notify or a query).',
        billLabels,
      ),
      closed: counter(
        'spay_bills_closed_total',
        'Open bills closed (payer cancelled, another attempt paid).',
        billLabels,
      ),
      expired: counter('spay_bills_expired_total', 'Open bills expired unpaid.', billLabels),
    };
    this.billAmounts = {
      created: counter('spay_bills_created_amount_fen_total', 'Amount of bills created, in fen.', billLabels),
      paid: counter('spay_bills_paid_amount_fen_total', 'Amount paid, in fen.', billLabels),
    };
    this.channelCalls = new client.Histogram({
      name: 'spay_channel_call_duration_seconds',
      help: 'Calls to payment channels (sandbox, ALI, WX, UN) by call and outcome.',
      labelNames: ['family', 'call', 'outcome'],
      buckets: callBuckets,
      registers,
    });
    this.channelErrors = counter(
      'spay_channel_call_errors_total',
      'Calls to payment channels that failed (error or refusal).',
      ['family', 'call'],
    );
    this.notifyFailures = counter(
      'spay_notify_verification_failures_total',
      'Channel notifies refused because their signature or content did not verify.',
      ['family'],
    );
    this.refunds = counter('spay_refunds_total', 'Refunds settled, by outcome.', [...billLabels, 'outcome']);
    this.refundedAmount = counter(
      'spay_refunds_succeeded_amount_fen_total',
      'Amount refunded successfully, in fen.',
      billLabels,
    );
    this.webhookAttempts = counter('spay_webhook_attempts_total', 'Webhook attempts by outcome.', [
      'outcome',
    ]);
    this.webhookAttemptDuration = new client.Histogram({
      name: 'spay_webhook_attempt_duration_seconds',
      help: "Time a merchant's webhook receiver took to answer one attempt.",
      labelNames: ['outcome'],
      buckets: callBuckets,
      registers,
    });
    this.webhookDeliveryLatency = new client.Histogram({
      name: 'spay_webhook_delivery_latency_seconds',
      help: 'From the change that wrote a webhook to its successful delivery (retries included).',
      buckets: deliveryBuckets,
      registers,
    });
    this.httpDuration = new client.Histogram({
      name: 'spay_http_request_duration_seconds',
      help: 'HTTP requests by route (the route pattern), method and status class.',
      labelNames: ['method', 'route', 'status_class'],
      buckets: httpBuckets,
      registers,
    });
    this.eventStreams = new client.Gauge({
      name: 'spay_sse_streams_open',
      help: "Payers' bill status event streams (SSE) open now.",
      registers,
    });
    const backlog = () => this.readBacklog();
    const now = options.now ?? Date.now;
    new client.Gauge({
      name: 'spay_webhook_outbox_pending',
      help: 'Webhooks waiting to be delivered (the outbox depth).',
      registers,
      async collect() {
        const value = await backlog();
        if (value) this.set(value.count);
      },
    });
    new client.Gauge({
      name: 'spay_webhook_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest webhook still waiting to be delivered (0 when none).',
      registers,
      async collect() {
        const value = await backlog();
        if (value)
          this.set(value.oldestCreatedAt === null ? 0 : Math.max(0, now() - value.oldestCreatedAt) / 1000);
      },
    });
    if (options.processMetrics !== false) {
      client.collectDefaultMetrics({ register: this.registry, prefix: 'spay_' });
    }
  }

  /** One read of the backlog for both gauges of a scrape (they share a read in flight); undefined on failure. */
  private async readBacklog(): Promise<{ count: number; oldestCreatedAt: number | null } | undefined> {
    this.backlog ??= this.options.outbox.pendingBacklog().finally(() => {
      this.backlog = undefined;
    });
    try {
      return await this.backlog;
    } catch (error) {
      this.options.onCollectError?.(error);
      return undefined;
    }
  }

  /** The text exposition format. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  billEvent(bill: Bill, event: BillEvent): void {
    const labels = { app_id: bill.appId, mode: bill.mode, channel: bill.subChannel };
    this.bills[event].inc(labels);
    if (event === 'created' || event === 'paid') this.billAmounts[event].inc(labels, bill.totalFee);
  }

  refundSettled(refund: Refund, outcome: RefundOutcome): void {
    const labels = { app_id: refund.appId, mode: refund.mode, channel: refund.subChannel };
    this.refunds.inc({ ...labels, outcome });
    if (outcome === 'succeeded') this.refundedAmount.inc(labels, refund.refundFee);
  }

  notifyRejected(family: string): void {
    this.notifyFailures.inc({ family });
  }

  channelCall(family: string, call: ChannelCall, seconds: number, failed: boolean): void {
    this.channelCalls.observe({ family, call, outcome: failed ? 'error' : 'ok' }, seconds);
    if (failed) this.channelErrors.inc({ family, call });
  }

  webhookAttempt(outcome: WebhookAttemptOutcome, attemptSeconds: number, sinceWrittenSeconds: number): void {
    this.webhookAttempts.inc({ outcome });
    this.webhookAttemptDuration.observe({ outcome }, attemptSeconds);
    if (outcome === 'delivered') this.webhookDeliveryLatency.observe(sinceWrittenSeconds);
  }
}
