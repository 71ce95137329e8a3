/**
 * A gateway that stopped after reserving a refund but before the channel completed it finishes the refund at its
 * next start: the refund succeeds once and its REFUND webhook is delivered.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newBillNo, newRefundNo, rest } from '../rest/testing/rest-caller.ts';
import { startTestGateway } from '../testing/gateway-harness.ts';
import { outboxDrained } from '../testing/outbox-drain.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';

let dataDir: string;
let receiver: WebhookReceiver;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'spay-refund-resume-'));
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await receiver.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('completes a refund left processing by a stopped gateway, once', async () => {
  const first = await startTestGateway({ dataDir, app: { webhookUrl: receiver.url } });
  const billNo = newBillNo();
  const made = await rest(first, {
    method: 'POST',
    path: 'rest/bill',
    payload: { channel: 'WX_NATIVE', total_fee: 120, bill_no: billNo, title: '断电' },
  });
  const billId = String(made.json.id);
  await rest(first, { method: 'GET', path: `rest/sandbox/notify/${first.app.appId}/${billId}` });
  await receiver.waitFor(1);
  await first.close();

  // What the gateway had written when it stopped: the refund reserved, not yet sent to the channel.
  const refundNo = newRefundNo();
  const db = new Database(join(dataDir, 'gateway.sqlite'));
  const now = Date.now();
  db.prepare(
    `INSERT INTO refunds (id, app_id, bill_id, bill_no, refund_no, mode, channel, sub_channel, title, total_fee,
       refund_fee, optional, status, need_approval, deny_reason, late_payment, channel_refund_no, channel_detail,
       create_time, update_time, finish_time)
     VALUES (?, ?, ?, ?, ?, 'test', 'WX', 'WX_NATIVE', '断电', 120, 70, NULL, 'processing', 0, NULL, 0, NULL, NULL,
       ?, ?, NULL)`,
  ).run('refund-interrupted', first.app.appId, billId, billNo, refundNo, now, now);
  db.close();

  const second = await startTestGateway({ dataDir, app: first.app });
  try {
    const refundWebhooks = async () => {
      for (let tries = 0; tries < 400; tries += 1) {
        const found = receiver.received
          .map((webhook) => JSON.parse(webhook.body) as Record<string, unknown>)
          .filter((body) => body.transaction_type === 'REFUND');
        if (found.length > 0) return found;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return [];
    };
    const [webhook] = await refundWebhooks();
    expect(webhook).toMatchObject({
      transaction_type: 'REFUND',
      transaction_id: refundNo,
      transaction_fee: 70,
      bill_no: billNo,
    });
    const record = await rest(second, { method: 'GET', path: 'rest/refund/refund-interrupted' });
    expect(record.json).toMatchObject({ refund: { finish: true, result: true, refund_fee: 70 } });
    // Only 50 fen are left to refund.
    const tooMuch = await rest(second, {
      method: 'POST',
      path: 'rest/refund',
      secret: 'masterSecret',
      payload: { refund_no: newRefundNo(), bill_no: billNo, refund_fee: 51 },
    });
    expect(tooMuch.json.result_code).toBe(12);
    // The refund is settled (above) and its webhook was written with it: once the outbox is drained, every
    // webhook there will be has arrived.
    await outboxDrained(second.ctx.store);
    // At-least-once delivery may repeat the PAY webhook across the restart; the refund is announced once.
    expect(await refundWebhooks()).toHaveLength(1);
  } finally {
    await second.close();
  }
});
