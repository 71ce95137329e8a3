/** Everything the edges (routes) share: the core, the store (apps for authentication), the public URL. */
import type { FastifyBaseLogger } from 'fastify';
import type { GatewayCore } from './core/gateway-core.ts';
import type { OutboundHttpClient } from './net/outbound-http.ts';
import type { GatewayStore } from './storage/store.ts';
import type { WebhookDispatcher } from './webhooks/webhook-dispatcher.ts';

export interface GatewayContext {
  core: GatewayCore;
  store: GatewayStore;
  webhooks: WebhookDispatcher;
  /** The one client for calls to addresses the gateway does not control (webhooks; channels via `.http`). */
  outbound: OutboundHttpClient;
  /** `http://host:port` as browsers reach the gateway (no trailing slash). */
  publicUrl(): string;
  widgetDir: string;
  /** The built merchant console, served at /console/. */
  consoleDir: string;
  webhookRetryScale: number;
  log: FastifyBaseLogger;
}
