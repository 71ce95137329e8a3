/**
 * The widget on a merchant page with a strict Content-Security-Policy (default-src 'none', no unsafe-inline or
 * unsafe-eval): the menu opens, the QR shows, the paid state shows, and the browser reports no violation.
 */
import { startMerchantSite } from '../../lib/merchant-page.ts';
import { signedAuth } from '../../lib/rest-requests.ts';
import { timingPageScript } from '../../widget-timing-page.ts';
import { waitForMark } from '../../widget-timing.ts';
import type { Checks } from '../lib/checks.ts';
import { openPage, type SecurityStage } from './stage.ts';

export async function checkStrictCsp(stage: SecurityStage, checks: Checks): Promise<void> {
  const { app, gateway, browser, log } = stage;
  const csp = `default-src 'none'; script-src 'self' ${gateway.url}; connect-src ${gateway.url}; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action ${gateway.url}; frame-ancestors 'none'`;
  const strictSite = await startMerchantSite({
    gatewayUrl: gateway.url,
    app,
    pageScript: timingPageScript,
    csp,
  });
  const strict = await openPage(stage);
  const violations: string[] = [];
  strict.page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text()))
      violations.push(message.text().slice(0, 160));
  });
  let strictPaid = false;
  try {
    // Function forms only: under this CSP the page may not evaluate strings.
    await strict.page.goto(`${strictSite.url}/shop`);
    await waitForMark(strict.page, 'marks', 'ready');
    await strict.page.click('#open-menu');
    await waitForMark(strict.page, 'marks', 'menuVisible');
    await strict.page.evaluate(() => (window as unknown as { BC: { close(): void } }).BC.close());
    await strict.page.click('#open-qr');
    await waitForMark(strict.page, 'marks', 'qrVisible');
    const billId = await strict.page.evaluate(
      () => (window as unknown as { __spayBench: { billId?: string } }).__spayBench.billId,
    );
    const auth = signedAuth(app, 'test');
    await log.fetch(
      `${gateway.url}/2/rest/sandbox/notify/${app.appId}/${String(billId)}?app_id=${auth.app_id}&timestamp=${auth.timestamp}&app_sign=${auth.app_sign}`,
    );
    await waitForMark(strict.page, 'times', 'pushPaid', 10_000);
    strictPaid = true;
  } catch (error) {
    violations.push(`flow stopped: ${String(error).slice(0, 160)}`);
  }
  await strict.close();
  await strictSite.close();
  checks.check(
    'the widget works on a page with a strict CSP (no unsafe-inline)',
    strictPaid && violations.length === 0,
    `menu, QR and paid shown: ${strictPaid ? 'yes' : 'no'}; ${violations.length} CSP violations${violations[0] ? ` (first: ${violations[0]})` : ''}`,
  );
}
