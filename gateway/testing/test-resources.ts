/**
 * What a store-level test opens, closed after each test (newest first): a store in a temporary directory (the run's
 * engine by default, see test-database.ts), a local webhook receiver, and apps seeded in a store. `cleanups` takes
 * anything else the test starts (a dispatcher, a server).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { App } from '../apps/app.ts';
import type { GatewayStore } from '../storage/store.ts';
import { openTestStore } from './test-database.ts';
import { testApp } from './test-app.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

export interface TestResources {
  cleanups: Array<() => Promise<void>>;
  openStore(): Promise<GatewayStore>;
  receiver(): Promise<WebhookReceiver>;
  seededApp(store: GatewayStore, webhookUrl: string): Promise<App>;
}

export function useTestResources(options: {
  /** The temporary directory's name prefix. */
  prefix: string;
  open?: (dir: string) => Promise<GatewayStore>;
}): TestResources {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const open = options.open ?? openTestStore;
  return {
    cleanups,
    async openStore() {
      const dir = await mkdtemp(join(tmpdir(), options.prefix));
      const store = await open(dir);
      cleanups.push(async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      });
      return store;
    },
    async receiver() {
      const started = await startWebhookReceiver();
      cleanups.push(() => started.close());
      return started;
    },
    async seededApp(store, webhookUrl) {
      const seed = testApp({ webhookUrl });
      await store.apps.seedApp(seed);
      return (await store.apps.findApp(seed.appId))!;
    },
  };
}
