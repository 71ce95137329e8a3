import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SpayApp } from '../../sdk/app.ts';
import {
  signedWebhookBody,
  standardWebhookHeaders,
  type WebhookFacts,
} from '../../sdk/testing/webhook-sender.ts';
import { OrderStore } from '../orders/order-store.ts';
import { receiveWebhook, type WebhookDecision } from './receive-webhook.ts';

const app: SpayApp = {
  appId: 'c37d661d-7e61-49ea-96a5-68c34e83db3b',
  appSecret: 'app-secret',
  masterSecret: 'master-secret',
  testSecret: 'test-secret',
  webhookSecret: 'whsec_c3BheS1kZW1vLXdlYmhvb2stc2lnbmluZy1zZWNyZXQ=',
  testMode: true,
  gatewayUrl: 'http://127.0.0.1:8080',
};

let dataDir: string;
let orders: OrderStore;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'spay-demo-webhook-'));
  orders = OrderStore.inDataDir(dataDir);
  orders.createOrder({ outTradeNo: 'order0001', title: 'product', amount: 100, optional: {}, createdAt: 1 });
});

afterEach(() => {
  orders.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function deliver(
  body: string | Record<string, unknown>,
  headers: Record<string, string> = {},
): WebhookDecision {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return receiveWebhook(raw, { 'content-type': 'application/json', ...headers }, { app, orders });
}

function pay(facts: Partial<WebhookFacts> = {}): Record<string, unknown> {
  return signedWebhookBody(app, {
    transactionType: 'PAY',
    transactionId: 'order0001',
    transactionFee: 100,
    ...facts,
  });
}

function payOrder(): void {
  expect(deliver(pay()).answer).toBe('success');
}

function requestRefund(refundNo: string, refundFee: number): void {
  orders.addRefundRequest({ refundNo, outTradeNo: 'order0001', refundFee, requestedAt: 2 });
}

function refund(refundNo: string, fee: number, facts: Partial<WebhookFacts> = {}): Record<string, unknown> {
  return signedWebhookBody(app, {
    transactionType: 'REFUND',
    transactionId: refundNo,
    transactionFee: fee,
    billNo: 'order0001',
    ...facts,
  });
}

describe('PAY webhooks', () => {
  it('marks the order paid and answers success', () => {
    const decision = deliver(pay({ channelType: 'WX', subChannelType: 'WX_NATIVE' }));
    expect(decision).toMatchObject({ answer: 'success', httpStatus: 200, outcome: 'paid' });
    expect(orders.findOrder('order0001')).toMatchObject({
      status: 'paid',
      channel: 'WX',
      subChannel: 'WX_NATIVE',
    });
  });

  it('answers success to a duplicate and changes nothing more', () => {
    payOrder();
    const paidAt = orders.findOrder('order0001')?.paidAt;
    const decision = deliver(pay({ timestamp: Date.now() + 1000 }));
    expect(decision).toMatchObject({ answer: 'success', outcome: 'duplicate' });
    expect(orders.findOrder('order0001')?.paidAt).toBe(paidAt);
  });

  it('refuses an amount that differs from the order and leaves it unpaid', () => {
    const decision = deliver(pay({ transactionFee: 1 }));
    expect(decision.answer).not.toBe('success');
    expect(decision).toMatchObject({ httpStatus: 409, outcome: 'amount-mismatch' });
    expect(decision.reason).toMatch(/^transaction_fee: 1 fen .* 100 fen/);
    expect(orders.findOrder('order0001')?.status).toBe('created');
    // The refusal left no trace that would make the correct webhook look like a duplicate.
    expect(deliver(pay()).outcome).toBe('paid');
  });

  it('refuses a webhook for an order the shop does not have', () => {
    const decision = deliver(pay({ transactionId: 'unknown0001' }));
    expect(decision).toMatchObject({ httpStatus: 404, outcome: 'unknown-order' });
    expect(decision.answer).not.toBe('success');
    expect(orders.findOrder('unknown0001')).toBeUndefined();
  });

  it('records a failed payment without marking the order paid', () => {
    const decision = deliver(pay({ tradeSuccess: false }));
    expect(decision).toMatchObject({ answer: 'success', outcome: 'payment-failed' });
    expect(orders.findOrder('order0001')?.status).toBe('created');
  });
});

describe('webhooks that are refused before anything is read', () => {
  it('refuses a body that is not JSON', () => {
    const decision = deliver('{"sign": ');
    expect(decision).toMatchObject({
      httpStatus: 400,
      outcome: 'bad-request',
      reason: 'body: not valid JSON',
    });
    expect(decision.answer).not.toBe('success');
  });

  it('refuses a JSON array', () => {
    expect(deliver('[]')).toMatchObject({ httpStatus: 400, reason: 'body: not a JSON object' });
  });

  it.each([
    ['transaction_fee', 'transaction_fee: missing or not an integer number of fen'],
    ['transaction_id', 'transaction_id: missing or not a string'],
    ['sign', 'sign: missing or not a string'],
    ['timestamp', 'timestamp: missing or not an integer number of milliseconds'],
    ['transaction_type', 'transaction_type: must be PAY, REFUND, TRANSFER or SUBSCRIPTION'],
    ['trade_success', 'trade_success: missing or not a boolean'],
  ])('refuses a webhook without %s, naming it', (field, reason) => {
    const body = pay();
    delete body[field];
    const decision = deliver(body);
    expect(decision).toMatchObject({ httpStatus: 400, outcome: 'bad-request', reason });
    expect(orders.findOrder('order0001')?.status).toBe('created');
  });

  it('refuses a fractional amount', () => {
    expect(deliver({ ...pay(), transaction_fee: 0.5 })).toMatchObject({
      httpStatus: 400,
      reason: 'transaction_fee: missing or not an integer number of fen',
    });
  });

  it('refuses a wrong legacy sign', () => {
    const body = pay();
    body.sign = String(body.sign).replace(/^./, (first) => (first === '0' ? '1' : '0'));
    const decision = deliver(body);
    expect(decision).toMatchObject({ httpStatus: 401, outcome: 'bad-signature' });
    expect(decision.reason).toMatch(/^sign: .*test_secret/);
    expect(orders.findOrder('order0001')?.status).toBe('created');
  });

  it('refuses a body signed with the app secret while the app is in test mode', () => {
    const decision = deliver(
      signedWebhookBody(
        { ...app, testMode: false },
        { transactionType: 'PAY', transactionId: 'order0001', transactionFee: 100 },
      ),
    );
    expect(decision).toMatchObject({ httpStatus: 401, outcome: 'bad-signature' });
  });

  it('refuses a changed amount that the legacy sign cannot see but the signature does', () => {
    const body = { ...pay(), transaction_fee: 1 };
    const decision = deliver(body);
    expect(decision).toMatchObject({ httpStatus: 401, outcome: 'bad-signature' });
    expect(decision.reason).toMatch(/^signature: /);
  });

  it('accepts the Standard Webhooks headers when they match the exact body', () => {
    const raw = JSON.stringify(pay());
    expect(deliver(raw, standardWebhookHeaders(app.webhookSecret!, raw)).outcome).toBe('paid');
  });

  it('refuses Standard Webhooks headers that do not match the body', () => {
    const raw = JSON.stringify(pay());
    const headers = standardWebhookHeaders(
      app.webhookSecret!,
      raw.replace('"optional":{}', '"optional":{"x":1}'),
    );
    const decision = deliver(raw, headers);
    expect(decision).toMatchObject({ httpStatus: 401, outcome: 'bad-signature' });
    expect(decision.reason).toMatch(/^webhook-signature: /);
    expect(orders.findOrder('order0001')?.status).toBe('created');
  });

  it('refuses a stale Standard Webhooks timestamp (a replay)', () => {
    const raw = JSON.stringify(pay());
    const headers = standardWebhookHeaders(app.webhookSecret!, raw, {
      timestampSeconds: Math.floor(Date.now() / 1000) - 3600,
    });
    const decision = deliver(raw, headers);
    expect(decision).toMatchObject({ httpStatus: 401, outcome: 'bad-signature' });
    expect(decision.reason).toMatch(/^webhook-timestamp: /);
  });
});

describe('REFUND webhooks', () => {
  it('completes a refund the shop requested and marks the order refunded', () => {
    payOrder();
    requestRefund('20261123refund001', 100);
    expect(orders.findOrder('order0001')?.status).toBe('refunding');
    const decision = deliver(refund('20261123refund001', 100));
    expect(decision).toMatchObject({ answer: 'success', outcome: 'refunded' });
    expect(orders.findOrder('order0001')).toMatchObject({
      status: 'refunded',
      refundedFee: 100,
      lastRefund: { refundNo: '20261123refund001', status: 'refunded' },
    });
  });

  it('answers success to a duplicate refund and refunds only once', () => {
    payOrder();
    requestRefund('20261123refund001', 100);
    deliver(refund('20261123refund001', 100));
    expect(deliver(refund('20261123refund001', 100))).toMatchObject({
      answer: 'success',
      outcome: 'duplicate',
    });
    expect(orders.findOrder('order0001')?.refundedFee).toBe(100);
  });

  it('refuses a refund amount that differs from the request', () => {
    payOrder();
    requestRefund('20261123refund001', 40);
    const decision = deliver(refund('20261123refund001', 50));
    expect(decision).toMatchObject({ httpStatus: 409, outcome: 'amount-mismatch' });
    expect(orders.findOrder('order0001')).toMatchObject({ status: 'refunding', refundedFee: 0 });
  });

  it('keeps a partly refunded order paid', () => {
    payOrder();
    requestRefund('20261123refund001', 40);
    expect(deliver(refund('20261123refund001', 40)).outcome).toBe('refunded');
    expect(orders.findOrder('order0001')).toMatchObject({ status: 'paid', refundedFee: 40 });
  });

  it('records a refund made elsewhere (known only by its bill_no) within what is left', () => {
    payOrder();
    expect(deliver(refund('20261123console1', 100)).outcome).toBe('refunded');
    expect(orders.findOrder('order0001')).toMatchObject({ status: 'refunded', refundedFee: 100 });
  });

  it('refuses a refund of more than what is left', () => {
    payOrder();
    const decision = deliver(refund('20261123console1', 101));
    expect(decision).toMatchObject({ httpStatus: 409, outcome: 'amount-mismatch' });
    expect(orders.findOrder('order0001')).toMatchObject({ status: 'paid', refundedFee: 0 });
  });

  it('refuses a refund of an order that was never paid', () => {
    expect(deliver(refund('20261123console1', 100))).toMatchObject({
      httpStatus: 409,
      outcome: 'not-refundable',
    });
    expect(orders.findOrder('order0001')?.status).toBe('created');
  });

  it('refuses a refund it cannot place', () => {
    const body = refund('20261123console1', 100);
    delete body.bill_no;
    const decision = receiveWebhook(JSON.stringify(body), {}, { app, orders });
    expect(decision).toMatchObject({ httpStatus: 404, outcome: 'unknown-order' });
  });

  it('puts the order back to paid when the channel reports the refund failed', () => {
    payOrder();
    requestRefund('20261123refund001', 100);
    const decision = deliver(refund('20261123refund001', 100, { tradeSuccess: false }));
    expect(decision).toMatchObject({ answer: 'success', outcome: 'refund-failed' });
    expect(orders.findOrder('order0001')).toMatchObject({
      status: 'paid',
      refundedFee: 0,
      lastRefund: { status: 'failed' },
    });
  });
});
