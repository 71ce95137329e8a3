/**
 * What the console API answers for apps, bills, refunds and deliveries (docs/console-api.md). An app's secrets
 * appear only masked (the last 4 characters), channel settings only as the names of the fields that are set.
 */
import type { App, SecretKind } from '../apps/app.ts';
import type { Bill } from '../bills/bill.ts';
import { channelFamilies, type ChannelFamily } from '../channels/channels.ts';
import type { Refund } from '../refunds/refund.ts';
import type { DeliveryWithAttempts } from '../storage/console-query-store.ts';

export interface Credential {
  configured: boolean;
  fieldsSet: string[];
}

export function maskSecret(secret: string): string {
  return `••••${secret.slice(-4)}`;
}

function secretView(app: App, kind: SecretKind, value: string, now: number) {
  const previous = (app.previousSecrets ?? []).find(
    (secret) => secret.kind === kind && secret.validUntil > now,
  );
  return {
    masked: maskSecret(value),
    rotatedAt: app.secretsRotatedAt?.[kind] ?? null,
    previousValidUntil: previous?.validUntil ?? null,
  };
}

export function credentialOf(app: App, family: ChannelFamily): Credential {
  const settings = app.channelSettings[family] ?? {};
  const fieldsSet = Object.entries(settings)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([name]) => name)
    .sort();
  return { configured: fieldsSet.length > 0, fieldsSet };
}

export function credentialsOf(app: App): Record<ChannelFamily, Credential> {
  return Object.fromEntries(channelFamilies.map((family) => [family, credentialOf(app, family)])) as Record<
    ChannelFamily,
    Credential
  >;
}

export function consoleApp(app: App, now: number) {
  return {
    appId: app.appId,
    name: app.name,
    mode: app.mode,
    webhookUrl: app.webhookUrl,
    liveWebhookUrl: app.liveWebhookUrl,
    allowedOrigins: [...app.allowedOrigins],
    channels: [...app.channels],
    secrets: {
      appSecret: secretView(app, 'app', app.appSecret, now),
      masterSecret: secretView(app, 'master', app.masterSecret, now),
      testSecret: secretView(app, 'test', app.testSecret, now),
      webhookSecret: secretView(app, 'webhook', app.webhookSecret, now),
    },
    credentials: credentialsOf(app),
    createdAt: app.createdAt ?? null,
    updatedAt: app.updatedAt ?? null,
  };
}

export function consoleBill(bill: Bill, refundedFee: number) {
  return {
    id: bill.id,
    billNo: bill.billNo,
    mode: bill.mode,
    channel: bill.channel,
    subChannel: bill.subChannel,
    title: bill.title,
    totalFee: bill.totalFee,
    status: bill.status,
    tradeNo: bill.tradeNo,
    createTime: bill.createTime,
    paidTime: bill.paidTime,
    closedTime: bill.closedTime,
    refundRequired: bill.refundRequired,
    refundedFee,
  };
}

export function consoleRefund(refund: Refund) {
  return {
    id: refund.id,
    refundNo: refund.refundNo,
    billId: refund.billId,
    billNo: refund.billNo,
    mode: refund.mode,
    channel: refund.channel,
    subChannel: refund.subChannel,
    totalFee: refund.totalFee,
    refundFee: refund.refundFee,
    status: refund.status,
    needApproval: refund.needApproval,
    denyReason: refund.denyReason,
    latePayment: refund.latePayment,
    channelRefundNo: refund.channelRefundNo,
    createTime: refund.createTime,
    updateTime: refund.updateTime,
    finishTime: refund.finishTime,
  };
}

export const EXCERPT_LENGTH = 512;

export function consoleDelivery({ row, attempts }: DeliveryWithAttempts) {
  return {
    id: row.id,
    type: row.transaction_type,
    billId: row.bill_id,
    refundId: row.refund_id,
    transactionId: row.transaction_id,
    targetUrl: row.target_url,
    status: row.status,
    attemptCount: row.attempt_count,
    nextAttemptAt: row.status === 'pending' ? Number(row.next_attempt_at) : null,
    createdAt: Number(row.created_at),
    deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
    attempts: attempts.map((attempt) => ({
      at: Number(attempt.attempted_at),
      httpStatus: attempt.http_status,
      latencyMs: attempt.latency_ms,
      excerpt: attempt.response_excerpt.slice(0, EXCERPT_LENGTH),
      error: attempt.error,
    })),
  };
}
