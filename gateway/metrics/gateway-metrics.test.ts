/**
 * Metrics after a scripted day: a bill created and paid through the REST API and the sandbox, one closed by a
 * second payment's sibling, a refund, a notify that does not verify, a webhook receiver that keeps failing — then
 * `/metrics` read as Prometheus would, with its token; and the guard (no token, wrong token, separate address).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRefundNo, paidRestBill, rest } from '../rest/testing/rest-caller.ts';
import { createBill, startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';
import { startGateway } from '../server.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const token = 'metrics-token-0123456789abcdef';
let gateway: TestGateway;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  // The merchant's receiver answers everything but "success": every webhook attempt fails.
  receiver.answer = () => ({ status: 500, body: 'down for maintenance' });
  gateway = await startTestGateway({
    app: { webhookUrl: receiver.url },
    metrics: { token },
    // Two attempts per second at most: enough to see retries, not so many that the test floods.
    webhookRetryScale: 0.0005,
  });
});
afterAll(async () => {
  await gateway?.close();
  await receiver?.close();
});

async function scrape(): Promise<string> {
  const response = await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one sample (`name{labels}` exactly as exposed, labels in any order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1], pair[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) {
      if (Object.keys(found).length === Object.keys(labels).length) return Number(match[3]);
    }
  }
  return undefined;
}

describe('metrics after a scripted payment, refund and failing webhook', () => {
  it('counts bills, amounts, channel calls, refunds, notify failures, webhooks, backlog, HTTP and streams', async () => {
    const appId = gateway.app.appId;
    // A payment through the REST API (WX_NATIVE), paid in the sandbox.
    const { billNo } = await paidRestBill(gateway, { total_fee: 1234, title: '指标' });
    // A button bill left open, then a second attempt of another order that expires at once is not needed:
    // the button bill is closed by the payer's cancel below.
    const open = await createBill(gateway, 'ALI_WEB', { amount: 50 });
    await gateway.ctx.core.payments.closeAttempt(open.id, 'closed');
    // A refund of part of the paid bill.
    const refunded = await rest(gateway, {
      method: 'POST',
      path: 'rest/refund',
      secret: 'masterSecret',
      payload: { refund_no: newRefundNo(), bill_no: billNo, refund_fee: 234 },
    });
    expect(refunded.json.result_code).toBe(0);
    // A notify that does not verify.
    const rejected = await fetch(`${gateway.url}/notify/sandbox`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"bill_id":"x","out_trade_no":"x","result":"SUCCESS"}',
    });
    expect(rejected.status).toBe(400);
    // An open event stream (the payer's page watching a bill).
    const watching = await createBill(gateway, 'ALI_WEB', { amount: 7 });
    const stream = new AbortController();
    const events = await fetch(`${gateway.url}/2/rest/bill_public/${watching.id}/events`, {
      signal: stream.signal,
    });
    expect(events.status).toBe(200);

    // The PAY and REFUND webhooks fail at the receiver and are retried.
    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    let text = '';
    await expect
      .poll(
        async () => {
          text = await scrape();
          return sample(text, 'spay_webhook_attempts_total', { outcome: 'retrying' }) ?? 0;
        },
        { timeout: 15_000 },
      )
      .toBeGreaterThanOrEqual(3);

    const wx = { app_id: appId, mode: 'test', channel: 'WX_NATIVE' };
    const ali = { app_id: appId, mode: 'test', channel: 'ALI_WEB' };
    expect(sample(text, 'spay_bills_created_total', wx)).toBe(1);
    expect(sample(text, 'spay_bills_paid_total', wx)).toBe(1);
    expect(sample(text, 'spay_bills_created_amount_fen_total', wx)).toBe(1234);
    expect(sample(text, 'spay_bills_paid_amount_fen_total', wx)).toBe(1234);
    expect(sample(text, 'spay_bills_created_total', ali)).toBe(2);
    expect(sample(text, 'spay_bills_created_amount_fen_total', ali)).toBe(57);
    expect(sample(text, 'spay_bills_closed_total', ali)).toBe(1);
    expect(sample(text, 'spay_bills_paid_total', ali)).toBeUndefined();
    expect(sample(text, 'spay_refunds_total', { ...wx, outcome: 'succeeded' })).toBe(1);
    expect(sample(text, 'spay_refunds_succeeded_amount_fen_total', wx)).toBe(234);
    expect(sample(text, 'spay_notify_verification_failures_total', { family: 'SANDBOX' })).toBe(1);
    // The sandbox is the test-mode channel: its calls are timed like a live channel's.
    expect(
      sample(text, 'spay_channel_call_duration_seconds_count', {
        family: 'SANDBOX',
        call: 'createPayment',
        outcome: 'ok',
      }),
    ).toBe(3);
    expect(
      sample(text, 'spay_channel_call_duration_seconds_count', {
        family: 'SANDBOX',
        call: 'refund',
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(sample(text, 'spay_webhook_attempts_total', { outcome: 'delivered' })).toBeUndefined();
    expect(
      sample(text, 'spay_webhook_attempt_duration_seconds_count', { outcome: 'retrying' }),
    ).toBeGreaterThan(0);
    expect(sample(text, 'spay_webhook_outbox_pending')).toBe(2);
    expect(sample(text, 'spay_webhook_outbox_oldest_pending_age_seconds')).toBeGreaterThan(0);
    expect(
      sample(text, 'spay_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/2/rest/refund',
        status_class: '2xx',
      }),
    ).toBe(1);
    expect(
      sample(text, 'spay_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/notify/sandbox',
        status_class: '4xx',
      }),
    ).toBe(1);
    expect(sample(text, 'spay_sse_streams_open')).toBe(1);
    expect(sample(text, 'spay_process_resident_memory_bytes')).toBeGreaterThan(0);

    stream.abort();
    await expect.poll(async () => sample(await scrape(), 'spay_sse_streams_open')).toBe(0);

    // The receiver recovers: the webhooks are delivered, the latency recorded, the backlog empties.
    receiver.answer = () => ({ status: 200, body: 'success' });
    await expect
      .poll(async () => sample(await scrape(), 'spay_webhook_attempts_total', { outcome: 'delivered' }), {
        timeout: 20_000,
      })
      .toBe(2);
    text = await scrape();
    expect(sample(text, 'spay_webhook_delivery_latency_seconds_count')).toBe(2);
    expect(sample(text, 'spay_webhook_outbox_pending')).toBe(0);
    expect(sample(text, 'spay_webhook_outbox_oldest_pending_age_seconds')).toBe(0);
  }, 60_000);
});

describe('the guard', () => {
  it('refuses a scrape without the token, or with another one', async () => {
    const none = await fetch(`${gateway.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.text()).not.toMatch(/spay_/);
    const wrong = await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${token}x` } });
    expect(wrong.status).toBe(401);
  });

  it('serves nothing on the public port without a token; a separate address serves /metrics alone', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'spay-metrics-'));
    const running = await startGateway({
      dataDir,
      logger: false,
      metrics: { address: { host: '127.0.0.1', port: 0 } },
    });
    try {
      expect((await fetch(`${running.url}/metrics`)).status).toBe(404);
      expect(running.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const scraped = await fetch(`${running.metricsUrl}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toMatch(/^# HELP spay_bills_created_total /m);
      expect((await fetch(`${running.metricsUrl}/healthz`)).status).toBe(404);
    } finally {
      await running.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
