import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signedWebhookBody, standardWebhookHeaders } from '../../../sdk/testing/webhook-sender.ts';
import { demoApp, merchantView } from '../../lib/demo-app.ts';
import { startMerchantLedger, type MerchantLedger } from './merchant-ledger.ts';

const app = merchantView(demoApp(), 'http://127.0.0.1:1');
let dataDir: string;
let ledger: MerchantLedger;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'spay-ledger-test-'));
  ledger = await startMerchantLedger({ dataDir, app });
});

afterEach(async () => {
  await ledger.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function deliver(
  transactionId: string,
  fee: number,
  tamper: Record<string, unknown> = {},
  webhookId?: string,
) {
  const body = JSON.stringify({
    ...signedWebhookBody(app, { transactionType: 'PAY', transactionId, transactionFee: fee }),
    ...tamper,
  });
  const response = await fetch(ledger.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...standardWebhookHeaders(app.webhookSecret!, body, { id: webhookId }),
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

describe('the reliability runs’ merchant ledger', () => {
  it('books a payment once however often it is delivered, and answers success each time', async () => {
    expect(await deliver('ORDER0001', 100)).toEqual({ status: 200, text: 'success' });
    expect(await deliver('ORDER0001', 100)).toEqual({ status: 200, text: 'success' });
    expect(ledger.deliveries()).toBe(2);
    expect([...ledger.booked().values()]).toEqual([{ transactionId: 'ORDER0001', fee: 100, deliveries: 2 }]);
  });

  it('tells a redelivery of one event from a second event of the same payment', async () => {
    await deliver('ORDER0004', 400, {}, 'msg_first');
    await deliver('ORDER0004', 400, {}, 'msg_first');
    await deliver('ORDER0005', 500, {}, 'msg_a');
    await deliver('ORDER0005', 500, {}, 'msg_b');
    expect(ledger.eventIds()).toEqual(
      new Map([
        ['ORDER0004', new Set(['msg_first'])],
        ['ORDER0005', new Set(['msg_a', 'msg_b'])],
      ]),
    );
  });

  it('refuses a webhook whose amount was changed and books nothing', async () => {
    const answer = await deliver('ORDER0002', 100, { transaction_fee: 1 });
    expect(answer.status).toBe(401);
    expect(answer.text).not.toBe('success');
    expect(ledger.rejected()).toBe(1);
    expect(ledger.booked().size).toBe(0);
  });

  it('refuses connections while down and books again once back on the same port', async () => {
    const url = ledger.url;
    await ledger.stop();
    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow();
    await ledger.start();
    expect(ledger.url).toBe(url);
    expect((await deliver('ORDER0003', 300)).text).toBe('success');
    expect(ledger.booked().get('ORDER0003')?.fee).toBe(300);
  });
});
