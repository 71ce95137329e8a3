/** Everything the routes share: the store, the domain services, the channel adapters and the public URL. */
import type { FastifyBaseLogger } from 'fastify';
import type { AppStore } from './apps/app-store.ts';
import type { App, AppMode } from './apps/app.ts';
import type { BillEvents } from './bills/bill-events.ts';
import type { BillService } from './bills/bill-service.ts';
import type { ChannelAdapter } from './channels/channel-adapter.ts';
import type { SandboxChannel } from './channels/sandbox-adapter.ts';
import type { OutboundHttpClient } from './net/outbound-http.ts';
import type { GatewayStore } from './storage/store.ts';
import type { WebhookDispatcher } from './webhooks/webhook-dispatcher.ts';

export interface GatewayContext {
  store: GatewayStore;
  apps: AppStore;
  bills: BillService;
  billEvents: BillEvents;
  webhooks: WebhookDispatcher;
  /** The one client for calls to addresses the gateway does not control (webhooks; channels via `.http`). */
  outbound: OutboundHttpClient;
  sandbox: SandboxChannel;
  /** Adapters by name, for POST /notify/{name}. */
  adapters: Map<string, ChannelAdapter>;
  /** The adapter that handles an app's bills in a mode; undefined when the channel is not configured. */
  adapterFor(app: App, mode: AppMode): ChannelAdapter | undefined;
  /** `http://host:port` as browsers reach the gateway (no trailing slash). */
  publicUrl(): string;
  widgetDir: string;
  webhookRetryScale: number;
  log: FastifyBaseLogger;
}
