/**
 * Starts the whole spay stack for a test: the gateway (with the demo app seeded) and the demo merchant server,
 * each on 127.0.0.1 and a free port, with their SQLite files in a fresh temporary directory.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeedApp } from '../gateway/apps/app.ts';
import { buildGateway, listenGateway } from '../gateway/server.ts';
import { startDemoServer } from '../demo-server/server.ts';
import { startMerchantOrigin, type MerchantOrigin } from './merchant-origin.ts';

/** The demo app of config/demo-app.json, as the gateway seeds it. */
export type DemoApp = SeedApp;

export interface Stack {
  gatewayUrl: string;
  demoUrl: string;
  app: DemoApp;
  dataDir: string;
  /** A third origin on 127.0.0.1 for host pages written by tests (hostile CSS, strict CSP, the seed's markup…). */
  merchant: MerchantOrigin;
  stop(): Promise<void>;
}

export async function readDemoApp(): Promise<DemoApp> {
  const text = await readFile(new URL('../config/demo-app.json', import.meta.url), 'utf8');
  return JSON.parse(text) as DemoApp;
}

/**
 * Asks the OS for a free port on 127.0.0.1, for a child process that cannot report the port it bound. The port is
 * released before it is used, so another process may take it first: servers in this process bind port 0 instead.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port'));
      server.close(() => resolve(address.port));
    });
  });
}

export async function startStack(overrides: { webhookRetryScale?: number } = {}): Promise<Stack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'spay-e2e-'));
  const merchant = await startMerchantOrigin();
  const demoApp = await readDemoApp();
  // Every server binds port 0 and reports the port it got (no port is picked first and released: no race).
  // The demo needs the gateway's URL and the app needs the demo's: the app is completed once both listen.
  const gateway = await buildGateway({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    seedApps: [demoApp],
    webhookRetryScale: overrides.webhookRetryScale ?? 0.01,
    logger: false,
    // The demo shop's webhook receiver is on 127.0.0.1.
    allowPrivateTargets: true,
  });
  const gatewayUrl = await listenGateway(gateway, { host: '127.0.0.1', port: 0 });
  const demo = await startDemoServer({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    gatewayUrl,
    app: demoApp,
  });
  // The demo shop and the tests' own host pages are the app's registered origins.
  const app = {
    ...demoApp,
    webhookUrl: `${demo.url}/webhook`,
    allowedOrigins: [demo.url, merchant.url],
  };
  await gateway.ctx.store.apps.updateApp(app.appId, {
    webhookUrl: app.webhookUrl,
    allowedOrigins: app.allowedOrigins,
  });
  return {
    gatewayUrl,
    demoUrl: demo.url,
    app,
    dataDir,
    merchant,
    async stop() {
      await merchant.close();
      await demo.close();
      await gateway.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
