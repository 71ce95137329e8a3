/**
 * Tampered button orders (sign, amount, out_trade_no, title) are refused naming `sign` and create no order;
 * a webhook whose amount was changed on the way is refused by the demo merchant and pays nothing.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { signedWebhookBody } from '../../../sdk/testing/webhook-sender.ts';
import { merchantView } from '../../lib/demo-app.ts';
import { signedOrderFor } from '../../lib/merchant-page.ts';
import { uniqueBillNo } from '../../lib/rest-requests.ts';
import type { Checks } from '../lib/checks.ts';
import type { SecurityStage } from './stage.ts';

export async function checkTampering(stage: SecurityStage, checks: Checks): Promise<void> {
  const { app, gateway, demo, demoUrl, log, post, json, dataDir } = stage;
  const tamperings: string[] = [];
  const tamperedNos: string[] = [];
  for (const [what, tamper] of [
    [
      'sign',
      (o: Record<string, unknown>) => ({
        ...o,
        sign: String(o.sign).replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
      }),
    ],
    ['amount', (o: Record<string, unknown>) => ({ ...o, amount: Number(o.amount) + 1 })],
    ['amount', (o: Record<string, unknown>) => ({ ...o, amount: 1 })],
    [
      'out_trade_no',
      (o: Record<string, unknown>) => ({ ...o, out_trade_no: `${String(o.out_trade_no)}9`.slice(-32) }),
    ],
    ['title', (o: Record<string, unknown>) => ({ ...o, title: '便宜货' })],
  ] as const) {
    const order = signedOrderFor(app, '正品', 9900);
    const tampered = tamper(order);
    tamperedNos.push(String((tampered as Record<string, unknown>).out_trade_no));
    const answer = json((await post('/2/rest/jsbutton/WX_NATIVE', { appId: app.appId, ...tampered })).text);
    if (answer.resultCode === 0 || !String(answer.err_detail).startsWith('sign'))
      tamperings.push(`${what}: ${JSON.stringify(answer).slice(0, 120)}`);
  }
  const db = new Database(join(dataDir, 'gateway.sqlite'), { readonly: true });
  const created = tamperedNos.filter((no) =>
    db.prepare('SELECT 1 FROM orders WHERE bill_no = ?').get(no),
  ).length;
  db.close();
  // A webhook whose amount was changed on the way is refused by the merchant and pays nothing.
  const demoOrderNo = uniqueBillNo('W');
  demo.orders.createOrder({
    outTradeNo: demoOrderNo,
    title: 'x',
    amount: 500,
    optional: {},
    createdAt: Date.now(),
  });
  const genuine = signedWebhookBody(merchantView(app, gateway.url), {
    transactionType: 'PAY',
    transactionId: demoOrderNo,
    transactionFee: 500,
  });
  const forged = await log.fetch(`${demoUrl}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...genuine, transaction_fee: 1 }),
  });
  const forgedPaid = demo.orders.findOrder(demoOrderNo)?.status === 'paid';
  checks.check(
    'tampered sign, amount, bill_no or title refused; nothing created',
    tamperings.length === 0 && created === 0 && forged.text !== 'success' && !forgedPaid,
    `5 tampered orders refused naming sign, ${created} orders created; forged webhook amount → HTTP ${forged.status}, order ${forgedPaid ? 'PAID' : 'unpaid'}` +
      `${tamperings[0] ? `; problems: ${tamperings.join(' | ')}` : ''}`,
  );
}
