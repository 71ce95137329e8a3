/**
 * Issue 21 item 10: a flood of script requests for unknown appIds evicted the real apps' scripts from the cache
 * (each unknown appId had its own entry), so every real page load recompressed the widget. Now an app's script
 * has its own slot (known apps only) and the unknown-app answer is one entry, whatever the appId.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayContext } from '../gateway-context.ts';
import { openSqliteStore, type GatewayStore } from '../storage/store.ts';
import { testApp } from '../testing/gateway-harness.ts';
import { registerWidgetScriptRoutes } from './widget-script-routes.ts';
import { WidgetScriptCache } from './widget-script.ts';

let dataDir: string;
let store: GatewayStore;
const server = Fastify();
const cache = new WidgetScriptCache();
const app = testApp();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'spay-script-cache-'));
  await mkdir(join(dataDir, 'widget'));
  await writeFile(join(dataDir, 'widget', 'spay.js'), 'window.BC = {};\n');
  store = await openSqliteStore(dataDir);
  await store.apps.seedApp(app);
  const ctx = { store, widgetDir: join(dataDir, 'widget'), publicUrl: () => 'http://gateway.test' };
  registerWidgetScriptRoutes(server, ctx as unknown as GatewayContext, cache);
  await server.ready();
});
afterAll(async () => {
  await server.close();
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

const script = (appId: string) =>
  server.inject({ method: 'GET', url: `/1/pay/jsbutton/returnscripts?appId=${encodeURIComponent(appId)}` });

describe('the script cache under a flood of unknown appIds', () => {
  it('keeps the real app’s script, and no unknown appId enters the cache', async () => {
    const first = await script(app.appId);
    expect(first.statusCode).toBe(200);
    const appBuilds = cache.appScriptBuilds;
    const size = cache.size;
    for (let i = 0; i < 300; i += 1) {
      const appId = `unknown-${i}-${'x'.repeat(40)}`;
      const unknown = await script(appId);
      expect(unknown.statusCode).toBe(200);
      expect(unknown.body).toContain(`appId: no app ${appId} on this gateway`);
    }
    expect(cache.size).toBe(size);
    const again = await script(app.appId);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(cache.appScriptBuilds).toBe(appBuilds);
  });
});
