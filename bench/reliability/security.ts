/**
 * Security: XSS payloads render as text on every page; tampered orders and webhooks are refused; a replayed
 * app_sign outside the timestamp window is refused; a re-split order under the v2 sign and a replayed refund sign
 * are refused; return_url schemes other than http(s) are refused; the
 * widget works under a strict Content-Security-Policy; and no app secret appears in any response of the run.
 * Each check lives in security/, all on one stage (gateway process, demo merchant, Chromium).
 */
import { appSecrets } from '../lib/demo-app.ts';
import { Checks } from './lib/checks.ts';
import { checkReplayedRefundSign, checkResplitOrder } from './security/order-and-sign-replay.ts';
import { checkReplayWindow } from './security/replay-window.ts';
import { checkReturnUrlSchemes } from './security/return-url-schemes.ts';
import { startSecurityStage } from './security/stage.ts';
import { checkStrictCsp } from './security/strict-csp.ts';
import { checkTampering } from './security/tampering.ts';
import { checkXssPages } from './security/xss-pages.ts';

export async function securityScenario(): Promise<Checks> {
  const checks = new Checks('security');
  const stage = await startSecurityStage();
  const { app, gateway, demoUrl, log } = stage;
  try {
    await checkXssPages(stage, checks);
    await checkTampering(stage, checks);
    await checkReplayWindow(stage, checks);
    await checkResplitOrder(stage, checks);
    await checkReplayedRefundSign(stage, checks);
    await checkReturnUrlSchemes(stage, checks);
    await checkStrictCsp(stage, checks);

    // Pages and scripts no check above asked for, then every recorded answer is scanned.
    for (const path of ['/', '/orders', '/orders.json', '/payresult?bill_no=x'])
      await log.fetch(`${demoUrl}${path}`);
    await log.fetch(`${gateway.url}/1/pay/jsbutton/returnscripts?appId=${app.appId}`);
    const leaks = log.leaks(appSecrets(app));
    checks.check(
      'no secret in any response of the run',
      leaks.length === 0,
      `${log.entries.length} responses scanned for ${appSecrets(app).length} secrets, ${leaks.length} leaks` +
        `${leaks[0] ? ` (first: ${leaks[0].secret} in ${leaks[0].source})` : ''}`,
    );
  } finally {
    await stage.close();
  }
  return checks;
}
