/**
 * The demo merchant site of the seed tutorial, on the SDK: a product page with the 秒支付 button, the return_url
 * page, the webhook receiver and the orders page with refunds. Orders live in `<dataDir>/demo.sqlite`.
 */
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdir } from 'node:fs/promises';
import { appFromConfig } from '../sdk/app.ts';
import { SpayClient } from '../sdk/client.ts';
import { checkDemoApp, type DemoAppConfig } from './config.ts';
import type { DemoContext } from './demo-context.ts';
import { OrderStore } from './orders/order-store.ts';
import { registerAssetRoutes } from './routes/asset-routes.ts';
import { registerOrdersRoutes } from './routes/orders-routes.ts';
import { registerShopRoutes } from './routes/shop-routes.ts';
import { registerWebhookRoute } from './routes/webhook-route.ts';
import { contentSecurityPolicy } from './security-headers.ts';

export type { DemoAppConfig } from './config.ts';

export interface DemoServerOptions {
  host?: string;
  port?: number;
  dataDir: string;
  /** Where the widget script and the REST API are. */
  gatewayUrl: string;
  app: DemoAppConfig;
  logger?: boolean;
  /** Milliseconds before a REST call to the gateway is abandoned (default 10 000). */
  gatewayTimeoutMs?: number;
}

export interface DemoServer {
  server: FastifyInstance;
  orders: OrderStore;
  context: DemoContext;
}

export async function buildDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const appConfig = checkDemoApp(options.app, 'DemoServerOptions.app');
  const gatewayUrl = checkGatewayUrl(options.gatewayUrl);
  await mkdir(options.dataDir, { recursive: true });
  const app = appFromConfig(appConfig, gatewayUrl);
  const orders = OrderStore.inDataDir(options.dataDir);
  const client = new SpayClient(app, { timeoutMs: options.gatewayTimeoutMs });
  const context: DemoContext = { app, gatewayUrl, orders, client };

  const server = Fastify({ logger: options.logger ?? false });
  await server.register(formbody);
  const policy = contentSecurityPolicy(gatewayUrl);
  server.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) {
      reply.header('content-security-policy', policy);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'same-origin');
    }
    return payload;
  });
  server.addHook('onClose', async () => orders.close());

  registerShopRoutes(server, context);
  registerOrdersRoutes(server, context);
  registerWebhookRoute(server, context);
  await registerAssetRoutes(server);
  return { server, orders, context };
}

/** The gateway's base URL without a trailing slash; it must be http(s). */
function checkGatewayUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`gatewayUrl: not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`gatewayUrl: must be http(s): ${value}`);
  return value.replace(/\/+$/, '');
}

export async function startDemoServer(
  options: DemoServerOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const { server } = await buildDemoServer(options);
  const host = options.host ?? '127.0.0.1';
  await server.listen({ host, port: options.port ?? 0 });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('the demo server has no TCP address');
  return {
    url: `http://${host}:${address.port}`,
    close: () => server.close(),
  };
}
