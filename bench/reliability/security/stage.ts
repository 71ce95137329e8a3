/**
 * The stage the security checks play on: the gateway process (built widget), the demo merchant (its real
 * webhook route and pages) on a port the gateway's webhook URL points at, Chromium, and a log of every response
 * for the secret scan. `openPage` gives a zh-CN browser context that counts dialogs (an XSS `alert` would show).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import type { SeedApp } from '../../../gateway/apps/app.ts';
import { buildDemoServer, type DemoServer } from '../../../demo-server/server.ts';
import { freePort } from '../../../e2e/stack.ts';
import { launchChromium } from '../../lib/browser.ts';
import { demoApp, repoRoot } from '../../lib/demo-app.ts';
import { startGatewayProcess, type GatewayProcess } from '../../lib/gateway-process.ts';
import { ResponseLog } from '../lib/response-log.ts';

export interface SecurityStage {
  app: SeedApp;
  gateway: GatewayProcess;
  demo: DemoServer;
  demoUrl: string;
  browser: Browser;
  log: ResponseLog;
  dataDir: string;
  /** POSTs JSON to the gateway, recording the answer. */
  post(path: string, body: unknown): Promise<{ status: number; text: string; headers: Headers }>;
  json(text: string): Record<string, unknown>;
  close(): Promise<void>;
}

export async function startSecurityStage(): Promise<SecurityStage> {
  const log = new ResponseLog();
  const dataDir = mkdtempSync(join(tmpdir(), 'spay-reliability-security-'));
  const demoPort = await freePort();
  const app = demoApp({ webhookUrl: `http://127.0.0.1:${demoPort}/webhook` });
  const gateway = await startGatewayProcess({ dataDir, app, widgetDir: join(repoRoot, 'dist/widget') });
  const demo = await buildDemoServer({ dataDir, gatewayUrl: gateway.url, app });
  await demo.server.listen({ host: '127.0.0.1', port: demoPort });
  const browser = await launchChromium();
  return {
    app,
    gateway,
    demo,
    demoUrl: `http://127.0.0.1:${demoPort}`,
    browser,
    log,
    dataDir,
    post: (path, body) =>
      log.fetch(`${gateway.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    json: (text) => JSON.parse(text) as Record<string, unknown>,
    async close() {
      await browser.close();
      await demo.server.close();
      await gateway.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface OpenedPage {
  page: Page;
  /** Dialogs (alert, confirm) the page opened; each is dismissed. */
  dialogs: { count: number };
  close(): Promise<void>;
}

export async function openPage(stage: SecurityStage, userAgent?: string): Promise<OpenedPage> {
  const context = await stage.browser.newContext({ locale: 'zh-CN', ...(userAgent ? { userAgent } : {}) });
  const page = await context.newPage();
  const dialogs = { count: 0 };
  page.on('dialog', (dialog) => {
    dialogs.count += 1;
    void dialog.dismiss();
  });
  stage.log.watch(page);
  return { page, dialogs, close: () => context.close() };
}
