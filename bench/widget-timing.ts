/**
 * Widget timing in Chromium, median of ≥ 20 fresh page loads (a new browser context each, so nothing is cached):
 *   - script load → `beecloud:onready` (from the script request's start, Resource Timing);
 *   - click → channel menu visible; click → WeChat QR visible (instant_channel wxmp, a real bill on the gateway);
 *   - sandbox payment → the QR panel shows paid (the widget's push stream), next to a 3 s poller in the same page
 *     (the original's method), for the same payment; the poller's 3 s cycle starts at a random phase.
 * The gateway is a child process on 127.0.0.1 serving the built widget (dist/widget).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { launchChromium } from './lib/browser.ts';
import { demoApp, repoRoot } from './lib/demo-app.ts';
import { startGatewayProcess } from './lib/gateway-process.ts';
import { startMerchantSite } from './lib/merchant-page.ts';
import { sandboxPay } from './lib/rest-requests.ts';
import { round, summarize, type Summary } from './lib/stats.ts';
import { timingPageScript } from './widget-timing-page.ts';

export interface WidgetTimingResult {
  pageLoads: number;
  scriptToReadyMs: Summary;
  clickToMenuMs: Summary;
  clickToQrMs: Summary;
  paymentToPaidPushMs: Summary;
  paymentToPaidPolling3sMs: Summary;
  /** Polling's median divided by push's median. */
  pollingOverPush: number;
}

interface BenchState {
  marks: Record<string, number>;
  times: Record<string, number>;
  billId?: string;
}

export async function waitForMark(page: Page, kind: 'marks' | 'times', name: string, timeoutMs = 15_000) {
  await page.waitForFunction(
    ([kind, name]) => {
      const bench = (window as unknown as { __spayBench?: BenchState }).__spayBench;
      return bench !== undefined && name! in bench[kind as 'marks' | 'times'];
    },
    [kind, name],
    { timeout: timeoutMs, polling: 20 },
  );
}

function benchState(page: Page): Promise<BenchState> {
  return page.evaluate(() => (window as unknown as { __spayBench: BenchState }).__spayBench);
}

export async function measureWidgetTiming(options: { pageLoads?: number } = {}): Promise<WidgetTimingResult> {
  const pageLoads = options.pageLoads ?? 20;
  const dataDir = mkdtempSync(join(tmpdir(), 'spay-bench-widget-'));
  const app = demoApp({ webhookUrl: '' });
  const gateway = await startGatewayProcess({ dataDir, app, widgetDir: join(repoRoot, 'dist/widget') });
  const site = await startMerchantSite({ gatewayUrl: gateway.url, app, pageScript: timingPageScript });
  const browser = await launchChromium();
  const samples = {
    ready: [] as number[],
    menu: [] as number[],
    qr: [] as number[],
    push: [] as number[],
    poll: [] as number[],
  };
  try {
    // One warm-up load (browser process, gateway JIT) that is not counted.
    for (let load = -1; load < pageLoads; load += 1) {
      const context = await browser.newContext({ locale: 'zh-CN' });
      const page = await context.newPage();
      try {
        await page.goto(`${site.url}/shop`);
        await waitForMark(page, 'marks', 'ready');
        const scriptStart = await page.evaluate(
          () =>
            performance
              .getEntriesByType('resource')
              .find((entry) => entry.name.includes('/1/pay/jsbutton/returnscripts'))?.startTime ?? Number.NaN,
        );
        await page.click('#open-menu');
        await waitForMark(page, 'marks', 'menuVisible');
        await page.evaluate(() => (window as unknown as { BC: { close(): void } }).BC.close());
        await page.click('#open-qr');
        await waitForMark(page, 'marks', 'qrVisible');
        const billId = (await benchState(page)).billId;
        if (!billId) throw new Error('the QR showed without a beecloud:qrshown bill_id');
        const paidAt = Date.now();
        const paid = await sandboxPay(gateway.url, app, billId);
        if (paid.json.result_code !== 0) throw new Error(`sandbox payment refused: ${paid.text}`);
        await waitForMark(page, 'times', 'pushPaid');
        await waitForMark(page, 'times', 'pollPaid');
        const { marks, times } = await benchState(page);
        if (load < 0) continue;
        samples.ready.push(marks.ready! - scriptStart);
        samples.menu.push(marks.menuVisible! - marks.menuClick!);
        samples.qr.push(marks.qrVisible! - marks.qrClick!);
        samples.push.push(times.pushPaid! - paidAt);
        samples.poll.push(times.pollPaid! - paidAt);
      } finally {
        await context.close();
      }
    }
    const push = summarize(samples.push);
    const poll = summarize(samples.poll);
    return {
      pageLoads,
      scriptToReadyMs: summarize(samples.ready),
      clickToMenuMs: summarize(samples.menu),
      clickToQrMs: summarize(samples.qr),
      paymentToPaidPushMs: push,
      paymentToPaidPolling3sMs: poll,
      pollingOverPush: round(poll.median / push.median, 1),
    };
  } finally {
    await browser.close();
    await site.close();
    await gateway.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
