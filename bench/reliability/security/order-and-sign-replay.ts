/**
 * Issue 21 items 5 and 6, kept fixed:
 * - a re-split button order ({"Book", 1234} → {"Book123", 4}) under the v2 sign is refused naming `sign` and
 *   creates no order; the demo shop signs with v2 (the legacy md5 sign still cannot tell the two apart, which is
 *   why a merchant checks transaction_fee — shown in the figures);
 * - a captured legacy refund sign (timestamp + app_sign) replayed with another body is refused, and nothing more
 *   is refunded; concurrent legacy pay requests sharing one timestamp and sign are all served.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { signButtonOrderV2 } from '../../../sdk/button-order.ts';
import { buttonOrderSign } from '../../../sdk/sign.ts';
import { createBill, sandboxPay, signedAuth, uniqueBillNo } from '../../lib/rest-requests.ts';
import type { Checks } from '../lib/checks.ts';
import type { SecurityStage } from './stage.ts';

function refundNo(): string {
  const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `${day}${uniqueBillNo('R').slice(-20)}`;
}

export async function checkResplitOrder(stage: SecurityStage, checks: Checks): Promise<void> {
  const { app, post, json, dataDir, demoUrl, log } = stage;
  const orderNo = uniqueBillNo('S');
  const real = signButtonOrderV2(app, { title: 'Book', amount: 1234, out_trade_no: orderNo });
  const resplit = { appId: app.appId, ...real, title: 'Book123', amount: 4 };
  const answer = json((await post('/2/rest/jsbutton/WX_NATIVE', resplit)).text);
  const db = new Database(join(dataDir, 'gateway.sqlite'), { readonly: true });
  const created = db.prepare('SELECT 1 FROM orders WHERE bill_no = ?').get(orderNo) !== undefined;
  db.close();
  const legacySameSign =
    buttonOrderSign(app.appId, 'Book', 1234, orderNo, app.appSecret) ===
    buttonOrderSign(app.appId, 'Book123', 4, orderNo, app.appSecret);
  const demoPage = (await log.fetch(`${demoUrl}/`)).text;
  const demoUsesV2 = demoPage.includes('"sign_type":"HMAC-SHA256"');
  checks.check(
    'a re-split button order under the v2 sign is refused (sign) and creates no order; the demo shop signs v2',
    answer.resultCode !== 0 && String(answer.err_detail).startsWith('sign') && !created && demoUsesV2,
    `{"Book",1234} → {"Book123",4}: ${String(answer.result_msg)} ${String(answer.err_detail).slice(0, 40)}…; ` +
      `order created: ${created}; demo page v2: ${demoUsesV2}; legacy md5 signs both alike: ${legacySameSign} ` +
      `(why merchants check transaction_fee)`,
  );
}

export async function checkReplayedRefundSign(stage: SecurityStage, checks: Checks): Promise<void> {
  const { app, gateway, post, json, dataDir } = stage;
  const bill = await createBill(gateway.url, app, { totalFee: 100 });
  await sandboxPay(gateway.url, app, bill.id);
  const captured = signedAuth(app, 'master');
  const first = json(
    (
      await post('/2/rest/refund', {
        ...captured,
        bill_no: bill.billNo,
        refund_no: refundNo(),
        refund_fee: 30,
      })
    ).text,
  );
  const replays: Record<string, unknown>[] = [];
  for (const fee of [70, 30, 1]) {
    replays.push(
      json(
        (
          await post('/2/rest/refund', {
            ...captured,
            bill_no: bill.billNo,
            refund_no: refundNo(),
            refund_fee: fee,
          })
        ).text,
      ),
    );
  }
  const db = new Database(join(dataDir, 'gateway.sqlite'), { readonly: true });
  const refunded = (
    db
      .prepare('SELECT COALESCE(SUM(refund_fee), 0) AS total FROM refunds WHERE bill_id = ?')
      .get(bill.id) as {
      total: number;
    }
  ).total;
  db.close();
  const refusedReplays = replays.filter(
    (answer) =>
      answer.result_code === 1 && String(answer.err_detail).startsWith('app_sign: was already used'),
  ).length;

  // Legacy pay requests of one app in the same millisecond carry the same sign: all must be served.
  const shared = signedAuth(app, 'app');
  const concurrent = await Promise.all(
    Array.from({ length: 32 }, () =>
      post('/2/rest/bill', {
        ...shared,
        channel: 'WX_NATIVE',
        total_fee: 1,
        bill_no: uniqueBillNo('C'),
        title: 'same sign',
      }).then((response) => json(response.text)),
    ),
  );
  const served = concurrent.filter((answer) => answer.result_code === 0).length;
  checks.check(
    'a replayed legacy refund sign is refused and refunds nothing more; concurrent pay requests sharing a sign are all served',
    first.result_code === 0 &&
      refusedReplays === replays.length &&
      refunded === 30 &&
      served === concurrent.length,
    `first refund ${String(first.result_code)}; ${refusedReplays}/${replays.length} replays refused (app_sign); ` +
      `refunded ${refunded} of 100 fen (30 asked once); ${served}/${concurrent.length} concurrent legacy pays with one sign served`,
  );
}
