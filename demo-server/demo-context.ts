/** What the demo's routes share: the app, the gateway, the order store and the SDK client. */
import type { SpayApp } from '../sdk/app.ts';
import type { SpayClient } from '../sdk/client.ts';
import type { OrderStore } from './orders/order-store.ts';

export interface DemoContext {
  app: SpayApp;
  gatewayUrl: string;
  orders: OrderStore;
  client: SpayClient;
}
