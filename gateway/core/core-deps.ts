/** What the core's use cases share: the stores, the channel registry, bill events, the webhook wake-up, clocks. */
import type { App } from '../apps/app.ts';
import type { BillEvents } from '../bills/bill-events.ts';
import type { Bill } from '../bills/bill.ts';
import { outTradeNoFor, type ChannelAttempt, type ChannelUrls } from '../channels/channel.ts';
import { channelInfo } from '../channels/channels.ts';
import type { GatewayStore } from '../storage/store.ts';
import type { ChannelRegistry } from './channel-registry.ts';
import type { GatewayObserver } from './observer.ts';

export type CoreLog = (
  level: 'info' | 'warn' | 'error',
  message: string,
  fields: Record<string, unknown>,
) => void;

export interface CoreDeps {
  store: GatewayStore;
  registry: ChannelRegistry;
  events: BillEvents;
  /** Called after a commit that enqueued a webhook (the dispatcher's wake). */
  webhooksEnqueued(): void;
  webhookRetryScale: number;
  /** `http://host:port` as browsers and channels reach the gateway (no trailing slash). */
  publicUrl(): string;
  log: CoreLog;
  now(): number;
  /** Accept notify URLs on loopback / private addresses (local development only). */
  allowPrivateTargets: boolean;
  /** Told about committed bill and refund changes and rejected notifies (metrics). */
  observer: GatewayObserver;
}

/** The attempt as its channel adapter sees it. */
export function attemptOf(bill: Bill, payerIp: string | null = null): ChannelAttempt {
  return {
    billId: bill.id,
    outTradeNo: outTradeNoFor(bill.id),
    billNo: bill.billNo,
    channel: bill.subChannel,
    title: bill.title,
    totalFee: bill.totalFee,
    createTime: bill.createTime,
    expiresAt: bill.expiresAt,
    openid: bill.openid,
    payerIp,
  };
}

/** The bill id behind a channel's out_trade_no (32 hex characters), or undefined when it is not one of ours. */
export function billIdFor(outTradeNo: string): string | undefined {
  if (!/^[0-9a-f]{32}$/i.test(outTradeNo)) return undefined;
  const hex = outTradeNo.toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Where the channel notifies (per app for live families, one sandbox URL) and where the payer comes back. */
export function channelUrlsFor(publicUrl: string, app: App, bill: Bill): ChannelUrls {
  const notifyUrl =
    bill.mode === 'test'
      ? `${publicUrl}/notify/sandbox`
      : `${publicUrl}/notify/${channelInfo(bill.subChannel).family.toLowerCase()}/${encodeURIComponent(app.appId)}`;
  return {
    notifyUrl,
    returnUrl: `${publicUrl}/1/pay/jsbutton/result/${bill.id}`,
    quitUrl: bill.returnUrl,
  };
}
