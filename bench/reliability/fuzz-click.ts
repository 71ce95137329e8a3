/**
 * Fuzz BC.click: ≥ 1,000 mutated data objects through the widget's validation module (never throws; whatever it
 * accepts obeys reference §2, checked by an independent oracle), then a sample through the built widget in
 * Chromium against a real gateway: no uncaught exception, and every bill request that leaves the page carries
 * valid data and belongs to data the validation accepted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateClickData } from '../../widget/validate.ts';
import { launchChromium } from '../lib/browser.ts';
import { demoApp, repoRoot } from '../lib/demo-app.ts';
import { startGatewayProcess } from '../lib/gateway-process.ts';
import { startMerchantSite } from '../lib/merchant-page.ts';
import { Checks } from './lib/checks.ts';
import { waitUntil } from './lib/wait.ts';
import { brokenOrderRule, mutatedClickData } from './fuzz/click-data.ts';
import { jsonSafe, seededRandom } from './fuzz/random.ts';

function parseBillRequest(url: string, postData: string | null): Record<string, unknown> | undefined {
  try {
    if (postData) return JSON.parse(postData) as Record<string, unknown>;
    const para = new URL(url).searchParams.get('para');
    return para ? (JSON.parse(para) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function clickFuzzScenario(cases = 2000, browserCases = 300): Promise<Checks> {
  const checks = new Checks('fuzz-click');
  const random = seededRandom();
  const app = demoApp({ webhookUrl: '' });
  checks.tried_(
    `${cases} mutated BC.click data objects (seed ${random.seed}, replay: SPAY_FUZZ_SEED=${random.seed}), ${browserCases} of them in Chromium`,
  );

  let threw = 0;
  let accepted = 0;
  const wronglyAccepted: string[] = [];
  for (let i = 0; i < cases; i += 1) {
    const data = mutatedClickData(app, random);
    try {
      const checked = validateClickData(data);
      if (checked.ok) {
        accepted += 1;
        const broken = brokenOrderRule(data as Record<string, unknown>);
        if (broken) wronglyAccepted.push(`${broken}: ${JSON.stringify(data).slice(0, 160)}`);
      } else if (!checked.error.message.startsWith(checked.error.field)) {
        wronglyAccepted.push(`error does not name its field: ${JSON.stringify(checked.error)}`);
      }
    } catch (error) {
      threw += 1;
      wronglyAccepted.push(`threw ${String(error)}`);
    }
  }
  checks.check('the validation module never throws', threw === 0, `${threw} exceptions in ${cases} calls`);
  checks.check(
    'everything it accepts is valid, every refusal names its field',
    wronglyAccepted.length === 0,
    `${accepted} accepted, ${cases - accepted} refused, ${wronglyAccepted.length} wrong` +
      `${wronglyAccepted[0] ? ` (first: ${wronglyAccepted[0]})` : ''}`,
  );

  const dataDir = mkdtempSync(join(tmpdir(), 'spay-reliability-fuzz-click-'));
  const gateway = await startGatewayProcess({ dataDir, app, widgetDir: join(repoRoot, 'dist/widget') });
  const site = await startMerchantSite({ gatewayUrl: gateway.url, app, pageScript: '' });
  const browser = await launchChromium();
  try {
    const samples = Array.from({ length: browserCases }, () => jsonSafe(mutatedClickData(app, random)));
    const acceptedNos = new Set<string>();
    for (const data of samples) {
      const checked = validateClickData(data);
      if (checked.ok) acceptedNos.add(checked.value.outTradeNo);
    }
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    const requests: { url: string; body: Record<string, unknown> | undefined }[] = [];
    let dialogs = 0;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    page.on('request', (request) => {
      if (request.url().includes('/2/rest/jsbutton/'))
        requests.push({ url: request.url(), body: parseBillRequest(request.url(), request.postData()) });
    });
    // A fuzzed order can be valid and correctly signed: the widget then submits the payment form, which would
    // navigate away mid-run. Count those hand-offs instead of following them; the bill request is still checked.
    // Bill requests are counted in the page too (started, settled), so the run can wait for every one of them to
    // have settled and been seen here instead of sleeping.
    await page.addInitScript(`(() => {
      window.paymentRedirects = 0;
      HTMLFormElement.prototype.submit = function () { window.paymentRedirects += 1; };
      var billRequests = (window.billRequests = { started: 0, settled: 0 });
      var pageFetch = window.fetch.bind(window);
      window.fetch = function (input, init) {
        var url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        if (url.indexOf('/2/rest/jsbutton/') === -1) return pageFetch(input, init);
        billRequests.started += 1;
        var sent = pageFetch(input, init);
        sent.then(function () { billRequests.settled += 1; }, function () { billRequests.settled += 1; });
        return sent;
      };
    })()`);
    await page.goto(`${site.url}/shop`);
    await page.waitForFunction(() => typeof (window as unknown as { BC?: unknown }).BC === 'object');
    // Plain JavaScript text: functions compiled by tsx would carry helper calls the page does not have. The data
    // goes through JSON.parse on both sides (an object literal would turn a "__proto__" key into a prototype).
    const thrown = (await page.evaluate(`(async (cases) => {
      var errors = [];
      for (var i = 0; i < cases.length; i++) {
        try { BC.click(cases[i], { dataError: function () {} }); } catch (error) { errors.push(String(error)); }
        await new Promise(function (resolve) { setTimeout(resolve, 25); });
      }
      BC.close();
      return errors;
    })(JSON.parse(${JSON.stringify(JSON.stringify(samples))}))`)) as string[];
    // BC.close() ended the last flow: wait until every bill request the page started has settled and was seen.
    await page.waitForFunction('window.billRequests.settled === window.billRequests.started');
    const started = (await page.evaluate('window.billRequests.started')) as number;
    if (!(await waitUntil(() => requests.length >= started, 10_000)))
      throw new Error(`${started} bill requests started in the page, ${requests.length} seen`);
    const badRequests = requests.filter((request) => {
      if (!request.body) return true;
      const outTradeNo = String(request.body.out_trade_no);
      return brokenOrderRule(request.body) !== null || !acceptedNos.has(outTradeNo);
    });
    checks.check(
      'no uncaught exception in the page',
      pageErrors.length === 0 && thrown.length === 0,
      `${pageErrors.length} page errors, ${thrown.length} throws from BC.click over ${browserCases} clicks` +
        `${(pageErrors[0] ?? thrown[0]) ? ` (first: ${pageErrors[0] ?? thrown[0]})` : ''}`,
    );
    checks.check(
      'never a bill request with invalid data',
      badRequests.length === 0,
      `${requests.length} bill requests for ${acceptedNos.size} accepted data objects, ${badRequests.length} invalid, ` +
        `${dialogs} debug alerts` +
        `${badRequests[0] ? ` (first: ${badRequests[0].body ? brokenOrderRule(badRequests[0].body) : 'unreadable'} in ${JSON.stringify(badRequests[0].body).slice(0, 400)})` : ''}`,
    );
    await page.close();
  } finally {
    await browser.close();
    await site.close();
    await gateway.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  return checks;
}
