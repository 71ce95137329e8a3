/**
 * Orders are keyed by mode, and live bills go through the channel registry: a live app whose ALI settings name a
 * channel family registered with the gateway. The family here is a real implementation of the channel contract
 * written for this test (a "ledger" channel that keeps its payments in memory and signs its notifies with the
 * app's secret from the settings), not a module mock: the gateway builds it from the app's settings, routes
 * `POST /notify/ali/{appId}` to it, and calls its closePayment when a sibling attempt is paid.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ChannelSettingsError,
  NotifyRejected,
  type ChannelAdapter,
  type ChannelAttempt,
  type ChannelFamily,
  type ChannelNotice,
  type PaymentQueryResult,
  type RawChannelNotify,
  type RefundResult,
} from '../channels/channel.ts';
import { billStatus, postJson } from '../testing/gateway-harness.ts';
import { useGatewayWithReceiver } from '../testing/gateway-with-receiver.ts';
import { newBillNo, rest } from '../rest/testing/rest-caller.ts';

interface LedgerSettings {
  merchant_id: string;
  notify_secret: string;
}

/** What the ledger channel saw, shared by every adapter the family builds. */
const ledger = {
  created: new Map<string, ChannelAttempt>(),
  closed: new Set<string>(),
  builds: 0,
  /** How many of the next closePayment calls fail (the channel is down). */
  failCloses: 0,
  /** How many of the next createPayment calls fail (the channel is down). */
  failCreates: 0,
};

function ledgerSign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

class LedgerAdapter implements ChannelAdapter {
  readonly family = 'ALI' as const;
  constructor(private readonly settings: LedgerSettings) {}

  async createPayment(attempt: ChannelAttempt) {
    if (ledger.failCreates > 0) {
      ledger.failCreates -= 1;
      throw new Error('ledger is down');
    }
    ledger.created.set(attempt.outTradeNo, attempt);
    return {
      action: 'redirect' as const,
      url: `https://ledger.invalid/pay/${this.settings.merchant_id}`,
      method: 'POST' as const,
      param: { out_trade_no: attempt.outTradeNo, total_fee: String(attempt.totalFee) },
    };
  }

  async parseNotify(raw: RawChannelNotify): Promise<ChannelNotice> {
    const header = raw.headers['x-ledger-signature'];
    const signature = Buffer.from(typeof header === 'string' ? header : '', 'utf8');
    const expected = Buffer.from(ledgerSign(this.settings.notify_secret, raw.body), 'utf8');
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      throw new NotifyRejected('bad ledger signature');
    }
    const body = JSON.parse(raw.body) as { merchant_id: string; out_trade_no: string; paid_fen: number };
    if (body.merchant_id !== this.settings.merchant_id) throw new NotifyRejected('not our merchant');
    return {
      kind: 'payment',
      outTradeNo: body.out_trade_no,
      tradeNo: `LEDGER-${body.out_trade_no}`,
      totalFee: body.paid_fen,
      paidAt: Date.now(),
      detail: { ledger: true, paid_fen: body.paid_fen },
    };
  }

  notifyAnswer(accepted: boolean) {
    return accepted
      ? { status: 200, contentType: 'text/plain', body: 'LEDGER-OK' }
      : { status: 403, contentType: 'text/plain', body: 'LEDGER-NO' };
  }

  async queryPayment(attempt: ChannelAttempt): Promise<PaymentQueryResult> {
    return ledger.closed.has(attempt.outTradeNo) ? { status: 'closed' } : { status: 'open' };
  }

  async closePayment(attempt: ChannelAttempt): Promise<void> {
    if (ledger.failCloses > 0) {
      ledger.failCloses -= 1;
      throw new Error('ledger is down');
    }
    ledger.closed.add(attempt.outTradeNo);
  }

  async refund(): Promise<RefundResult> {
    return { status: 'failed', reason: 'the ledger does not refund' };
  }

  async queryRefund(): Promise<RefundResult> {
    return { status: 'failed', reason: 'the ledger does not refund' };
  }
}

const ledgerFamily: ChannelFamily<LedgerSettings> = {
  family: 'ALI',
  channels: ['ALI_WEB', 'ALI_WAP', 'ALI_QRCODE'],
  parseSettings(input) {
    const value = input as Partial<LedgerSettings>;
    if (typeof value?.merchant_id !== 'string') throw new ChannelSettingsError('merchant_id', 'is required');
    if (typeof value.notify_secret !== 'string')
      throw new ChannelSettingsError('notify_secret', 'is required');
    return { merchant_id: value.merchant_id, notify_secret: value.notify_secret };
  },
  maskSettings: (settings) => ({ merchant_id: settings.merchant_id, notify_secret: '••••' }),
  createAdapter(settings) {
    ledger.builds += 1;
    return new LedgerAdapter(ledgerFamily.parseSettings(settings));
  },
};

const liveSettings: LedgerSettings = { merchant_id: 'M-LEDGER-1', notify_secret: 'ledger-notify-secret' };

const harness = useGatewayWithReceiver({
  app: { mode: 'live', channels: ['ali', 'aliqr', 'wxmp'], channelSettings: { ALI: { ...liveSettings } } },
  channelFamilies: [ledgerFamily],
});

/** The ledger channel notifies the gateway that `paidFen` was paid for a bill. */
async function ledgerNotify(billId: string, paidFen: number, secret = liveSettings.notify_secret) {
  const body = JSON.stringify({
    merchant_id: liveSettings.merchant_id,
    out_trade_no: billId.replaceAll('-', ''),
    paid_fen: paidFen,
  });
  const response = await fetch(`${harness.gateway.url}/notify/ali/${harness.gateway.app.appId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ledger-signature': ledgerSign(secret, body) },
    body,
  });
  return { status: response.status, text: await response.text() };
}

async function livePay(billNo: string, channel: string, totalFee: number) {
  return rest(harness.gateway, {
    method: 'POST',
    path: 'rest/bill',
    secret: 'appSecret',
    payload: {
      channel,
      bill_no: billNo,
      total_fee: totalFee,
      title: '实盘订单',
      return_url: 'https://shop.example/r',
    },
  });
}

async function sandboxPay(billNo: string, totalFee: number) {
  return rest(harness.gateway, {
    method: 'POST',
    path: 'rest/sandbox/bill',
    payload: {
      channel: 'ALI_WEB',
      bill_no: billNo,
      total_fee: totalFee,
      title: '实盘订单',
      return_url: 'https://shop.example/r',
    },
  });
}

describe('orders keyed by mode', () => {
  it('a test-mode order cannot touch a live order with the same bill_no', async () => {
    const billNo = newBillNo();
    const live = await livePay(billNo, 'ALI_WEB', 500);
    expect(live.json).toMatchObject({ result_code: 0 });
    const liveId = String(live.json.id);
    expect(ledger.created.has(liveId.replaceAll('-', ''))).toBe(true);

    // Another amount under the same bill_no in test mode is another order, not a conflict with the live one.
    const test = await sandboxPay(billNo, 100);
    expect(test.json).toMatchObject({ result_code: 0 });
    const testId = String(test.json.id);
    const paid = await rest(harness.gateway, {
      method: 'GET',
      path: `rest/sandbox/notify/${harness.gateway.app.appId}/${testId}`,
    });
    expect(paid.json).toMatchObject({ result_code: 0, outcome: 'paid' });

    // The live attempt is still open and payable, and its order still takes its own amount only.
    expect(await billStatus(harness.gateway, liveId)).toMatchObject({ status: 'open' });
    const conflicting = await livePay(billNo, 'ALI_WAP', 100);
    expect(conflicting.json).toMatchObject({ result_code: 17, result_msg: 'BILL_NO_DUPLICATE' });
    expect(String(conflicting.json.err_detail)).toMatch(/^total_fee: /);
    const sibling = await livePay(billNo, 'ALI_WAP', 500);
    expect(sibling.json).toMatchObject({ result_code: 0 });

    // Sandbox ids cannot pay a live bill, and the live notify URL books only the app's live bills.
    const crossed = await rest(harness.gateway, {
      method: 'GET',
      path: `rest/sandbox/notify/${harness.gateway.app.appId}/${liveId}`,
    });
    expect(crossed.json).toMatchObject({ result_msg: 'NO_SUCH_BILL' });
    expect(await ledgerNotify(testId, 100)).toEqual({ status: 200, text: 'LEDGER-OK' });
    expect(await billStatus(harness.gateway, testId)).toMatchObject({ status: 'paid' });

    const answer = await ledgerNotify(liveId, 500);
    expect(answer).toEqual({ status: 200, text: 'LEDGER-OK' });
    expect(await billStatus(harness.gateway, liveId)).toMatchObject({
      status: 'paid',
      trade_no: `LEDGER-${liveId.replaceAll('-', '')}`,
    });
    // The paid attempt closed its live sibling, and the gateway closed it at the channel too.
    const siblingId = String(sibling.json.id);
    expect(await billStatus(harness.gateway, siblingId)).toMatchObject({ status: 'closed' });
    await expect.poll(() => ledger.closed.has(siblingId.replaceAll('-', ''))).toBe(true);

    const listed = await rest(harness.gateway, {
      method: 'GET',
      path: 'rest/bills',
      secret: 'appSecret',
      payload: { bill_no: billNo },
    });
    expect((listed.json.bills as { id: string }[]).map((bill) => bill.id).sort()).toEqual(
      [liveId, siblingId].sort(),
    );
  });

  it('retries closing an attempt at its channel, through reconciliation, when the channel was down', async () => {
    const billNo = newBillNo();
    const first = String((await livePay(billNo, 'ALI_WEB', 800)).json.id);
    const second = String((await livePay(billNo, 'ALI_WAP', 800)).json.id);
    ledger.failCloses = 1;
    expect(await ledgerNotify(first, 800)).toEqual({ status: 200, text: 'LEDGER-OK' });
    expect(await billStatus(harness.gateway, second)).toMatchObject({ status: 'closed' });
    await expect.poll(() => ledger.failCloses).toBe(0);
    expect(ledger.closed.has(second.replaceAll('-', ''))).toBe(false);
    await harness.gateway.ctx.core.reconciliation.runOnce();
    await expect.poll(() => ledger.closed.has(second.replaceAll('-', ''))).toBe(true);
  });

  it('keeps a live late payment flagged for the merchant, never refunding it by itself', async () => {
    const billNo = newBillNo();
    const first = String((await livePay(billNo, 'ALI_WEB', 450)).json.id);
    const second = String((await livePay(billNo, 'ALI_WAP', 450)).json.id);
    expect(await ledgerNotify(first, 450)).toEqual({ status: 200, text: 'LEDGER-OK' });
    expect(await billStatus(harness.gateway, second)).toMatchObject({ status: 'closed' });
    // Money arrives for the closed sibling: a late payment.
    expect(await ledgerNotify(second, 450)).toEqual({ status: 200, text: 'LEDGER-OK' });
    const { core, store } = harness.gateway.ctx;
    const late = await store.bills.findBill(second);
    expect(late).toMatchObject({ status: 'closed', refundRequired: true, spayResult: true });
    // Both ways a late payment is refunded have run to the end (the store answers in order): nothing was.
    expect(await core.refunds.refundLatePayment(late!)).toBeUndefined();
    await core.refunds.resumeUnfinished();
    const scope = { appId: harness.gateway.app.appId, mode: 'live' as const };
    expect(await core.refunds.list(scope, { billNo }, { skip: 0, limit: 10 })).toEqual([]);
    expect(await store.bills.findBill(second)).toMatchObject({ refundRequired: true });
  });

  it('answers CHANNEL_ERROR on REST pay when the channel cannot create the payment, and the order can be paid later', async () => {
    const billNo = newBillNo();
    ledger.failCreates = 1;
    const failed = await livePay(billNo, 'ALI_WEB', 350);
    expect(failed.status).toBe(200);
    expect(failed.json).toMatchObject({ result_code: 7, result_msg: 'CHANNEL_ERROR' });
    expect(String(failed.json.err_detail)).toMatch(/^channel: /);
    const retried = await livePay(billNo, 'ALI_WEB', 350);
    expect(retried.json).toMatchObject({ result_code: 0 });
    expect(ledger.created.has(String(retried.json.id).replaceAll('-', ''))).toBe(true);
  });

  it('answers a live notify that does not verify with the channel’s own refusal, and books nothing', async () => {
    const live = await livePay(newBillNo(), 'ALI_QRCODE', 300);
    expect(live.json).toMatchObject({ result_code: 0 });
    const id = String(live.json.id);
    expect(await ledgerNotify(id, 300, 'not-the-secret')).toEqual({ status: 403, text: 'LEDGER-NO' });
    expect(await billStatus(harness.gateway, id)).toMatchObject({ status: 'open' });
  });

  it('the unsigned sandbox notify of the app SDKs never pays a live bill', async () => {
    const live = await livePay(newBillNo(), 'ALI_WEB', 400);
    const id = String(live.json.id);
    for (const query of ['', '?para=', '?para=%7B%7D']) {
      const response = await fetch(
        `${harness.gateway.url}/2/rest/sandbox/notify/${harness.gateway.app.appId}/${id}${query}`,
      );
      const answer = (await response.json()) as Record<string, unknown>;
      expect(answer, query).toMatchObject({ result_code: 8, result_msg: 'NO_SUCH_BILL' });
      expect(String(answer.err_detail)).toMatch(/^billId: /);
    }
    expect(await billStatus(harness.gateway, id)).toMatchObject({ status: 'open', spay_result: false });
  });

  it('records and flags a verified payment of another amount without booking it', async () => {
    const live = await livePay(newBillNo(), 'ALI_WEB', 300);
    const id = String(live.json.id);
    expect(await ledgerNotify(id, 299)).toEqual({ status: 200, text: 'LEDGER-OK' });
    expect(await billStatus(harness.gateway, id)).toMatchObject({ status: 'open', spay_result: false });
    expect(
      harness.receiver.received.some((w) => JSON.parse(w.body).transaction_id === live.json.bill_no),
    ).toBe(false);
  });

  it('refuses a live channel whose family has no settings (2) and an unknown channel (3)', async () => {
    const wx = await livePay(newBillNo(), 'WX_NATIVE', 100);
    expect(wx.json).toMatchObject({ result_code: 2, result_msg: 'PAY_FACTOR_NOT_SET' });
    const unknown = await postJson(`${harness.gateway.url}/2/rest/jsbutton/PAYPAL`, {});
    expect(unknown.json).toMatchObject({ result_code: 3 });
  });

  it('builds one adapter per app and settings version', async () => {
    const before = ledger.builds;
    await livePay(newBillNo(), 'ALI_WEB', 100);
    await livePay(newBillNo(), 'ALI_WAP', 100);
    expect(ledger.builds).toBe(before);
    await harness.gateway.ctx.store.apps.updateApp(harness.gateway.app.appId, {
      channelSettings: { ALI: { ...liveSettings, merchant_id: 'M-LEDGER-1', rotated: 1 } },
    });
    await livePay(newBillNo(), 'ALI_WEB', 100);
    expect(ledger.builds).toBe(before + 1);
  });
});
