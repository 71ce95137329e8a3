/**
 * The refunds core against a real store (SQLite, or PostgreSQL under npm run test:postgres) when the channel says no, cannot be reached or answers later —
 * paths the sandbox channel (which always accepts at once) never takes. The channels here are the sandbox with
 * its refund answer changed, nothing else.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../apps/app.ts';
import type { Bill } from '../bills/bill.ts';
import type { ChannelAttempt, ChannelRefundRequest, RefundResult } from '../channels/channel.ts';
import { OutboundHttpClient } from '../net/outbound-http.ts';
import { SandboxChannel } from '../channels/sandbox-adapter.ts';
import type { GatewayStore } from '../storage/store.ts';
import { openTestStore } from '../testing/test-database.ts';
import { DecliningChannel, UnreachableChannel } from '../testing/refusing-channels.ts';
import { testApp } from '../testing/gateway-harness.ts';
import { ChannelRegistry } from './channel-registry.ts';
import { DomainError } from './domain-error.ts';
import { GatewayCore } from './gateway-core.ts';

/** Accepts refunds as `processing` and finishes them only when asked later (as WeChat Pay does). */
class SlowRefundChannel extends SandboxChannel {
  readonly finished = new Set<string>();
  override async refund(): Promise<RefundResult> {
    return { status: 'processing', channelRefundNo: 'SLOW1' };
  }
  override async queryRefund(_attempt: ChannelAttempt, refund: ChannelRefundRequest): Promise<RefundResult> {
    return this.finished.has(refund.outRefundNo)
      ? { status: 'success', channelRefundNo: 'SLOW1', refundFee: refund.refundFee, finishedAt: Date.now() }
      : { status: 'processing', channelRefundNo: 'SLOW1' };
  }
}

/** Holds every refund call until `open()`: a refund still in flight at the channel when a retry starts. */
class GatedRefundChannel extends SandboxChannel {
  calls = 0;
  private readonly arrivals: Array<() => void> = [];
  private opened!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.opened = resolve));

  override async refund(attempt: ChannelAttempt, refund: ChannelRefundRequest): Promise<RefundResult> {
    this.calls += 1;
    for (const arrived of this.arrivals.splice(0)) arrived();
    await this.gate;
    return super.refund(attempt, refund);
  }

  async waitForCalls(count: number): Promise<void> {
    while (this.calls < count) await new Promise<void>((resolve) => this.arrivals.push(resolve));
  }

  open(): void {
    this.opened();
  }
}

let dataDir: string;
let store: GatewayStore;
let app: App;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'spay-refunds-'));
  store = await openTestStore(dataDir);
  const seed = testApp({ webhookUrl: 'http://127.0.0.1:9/webhook' });
  await store.apps.seedApp(seed);
  app = (await store.apps.findApp(seed.appId)) as App;
});

afterEach(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** A core over the test store whose test-mode channel is `sandbox`. */
function coreWith(
  sandbox: SandboxChannel,
  options: { now?: () => number; refundSettleMs?: number } = {},
): GatewayCore {
  return new GatewayCore({
    ...options,
    store,
    registry: new ChannelRegistry({
      sandbox,
      http: new OutboundHttpClient({ allowPrivateTargets: true }).http,
    }),
    webhooksEnqueued: () => {},
    webhookRetryScale: 0.001,
    publicUrl: () => 'http://127.0.0.1:9',
    log: () => {},
  });
}

const sandbox = () => new SandboxChannel(() => 'http://127.0.0.1:9');

async function paidBill(totalFee: number): Promise<Bill> {
  const core = coreWith(sandbox());
  const { bill } = await core.payments.startPayment({
    app,
    mode: 'test',
    channel: 'WX_NATIVE',
    billNo: `S${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    title: '失败路径',
    totalFee,
  });
  const booked = await core.payments.bookChannelPayment(bill.id, {
    tradeNo: 'SANDBOXTRADE1',
    totalFee,
    paidAt: Date.now(),
    detail: { channel: 'SANDBOX' },
  });
  expect(booked?.outcome).toBe('paid');
  return booked!.bill;
}

async function refundWebhookCount(): Promise<number> {
  return (await store.outbox.all({ transactionType: 'REFUND' })).length;
}

const scope = () => ({ appId: app.appId, mode: 'test' as const });
const paging = { skip: 0, limit: 10 };

describe('refund failures', () => {
  it('records a refund the channel declines as failed, frees its amount and sends no webhook', async () => {
    const bill = await paidBill(100);
    const declining = coreWith(new DecliningChannel(() => ''));
    const attempt = declining.refunds.createRefund(app, {
      refundNo: '20261123001',
      billNo: bill.billNo,
      refundFee: 100,
      needApproval: false,
    });
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(attempt).rejects.toMatchObject({ reason: 'refund_refused', subject: 'refund_no' });
    const [failed] = await declining.refunds.list(scope(), { billNo: bill.billNo }, paging);
    expect(failed).toMatchObject({
      status: 'failed',
      refundFee: 100,
      channelDetail: { error: 'REFUND_DECLINED' },
    });
    expect(await refundWebhookCount()).toBe(0);

    const refund = await coreWith(sandbox()).refunds.createRefund(app, {
      refundNo: '20261123002',
      billNo: bill.billNo,
      refundFee: 100,
      needApproval: false,
    });
    expect(refund.status).toBe('succeeded');
    expect(await refundWebhookCount()).toBe(1);
  });

  it('keeps a refund the channel did not answer as processing, holding its amount, until it is resumed', async () => {
    const bill = await paidBill(100);
    const unreachable = coreWith(new UnreachableChannel(() => ''));
    await expect(
      unreachable.refunds.createRefund(app, {
        refundNo: '20261123003',
        billNo: bill.billNo,
        refundFee: 60,
        needApproval: false,
      }),
    ).rejects.toMatchObject({ reason: 'channel_unavailable' });
    const [processing] = await unreachable.refunds.list(scope(), { billNo: bill.billNo }, paging);
    expect(processing!.status).toBe('processing');
    await expect(
      unreachable.refunds.createRefund(app, {
        refundNo: '20261123004',
        billNo: bill.billNo,
        refundFee: 41,
        needApproval: false,
      }),
    ).rejects.toMatchObject({ reason: 'refund_too_large' });

    const working = coreWith(sandbox());
    await working.refunds.settleProcessing(60_000);
    expect((await working.refunds.find(scope(), processing!.id))?.status).toBe('processing');
    await working.refunds.settleProcessing(0);
    expect(await working.refunds.find(scope(), processing!.id)).toMatchObject({ status: 'succeeded' });
    expect(await refundWebhookCount()).toBe(1);
  });

  it('settles a refund the channel answered `processing` when a later query says it succeeded', async () => {
    const bill = await paidBill(80);
    const channel = new SlowRefundChannel(() => '');
    const core = coreWith(channel);
    const refund = await core.refunds.createRefund(app, {
      refundNo: '20261123006',
      billNo: bill.billNo,
      refundFee: 80,
      needApproval: false,
    });
    expect(refund).toMatchObject({ status: 'processing', channelRefundNo: 'SLOW1' });
    await core.refunds.settleProcessing(0);
    expect((await core.refunds.find(scope(), refund.id))?.status).toBe('processing');
    expect(await refundWebhookCount()).toBe(0);
    channel.finished.add(refund.id.replaceAll('-', ''));
    await core.refunds.settleProcessing(0);
    expect((await core.refunds.find(scope(), refund.id))?.status).toBe('succeeded');
    await core.refunds.settleProcessing(0);
    expect(await refundWebhookCount()).toBe(1);
  });

  it('answers an approval the channel declines as a refusal of that id, not as a failed request', async () => {
    const bill = await paidBill(50);
    const declining = coreWith(new DecliningChannel(() => ''));
    const pre = await declining.refunds.createRefund(app, {
      refundNo: '20261123005',
      billNo: bill.billNo,
      refundFee: 50,
      needApproval: true,
    });
    const results = await declining.refunds.decidePreRefunds(app, {
      channel: { family: 'WX' },
      ids: [pre.id],
      agree: true,
    });
    expect(results[pre.id]).toMatchObject({
      ok: false,
      refusal: 'refused',
      error: { reason: 'refund_refused' },
    });
    expect((await declining.refunds.find(scope(), pre.id))?.status).toBe('failed');
  });
});

describe('refund webhooks', () => {
  it('are not sent for the automatic refund of a late payment', async () => {
    const core = coreWith(sandbox());
    const { bill } = await core.payments.startPayment({
      app,
      mode: 'test',
      channel: 'ALI_WEB',
      billNo: `L${Date.now()}${Math.floor(Math.random() * 1e6)}`,
      title: '迟到的付款',
      totalFee: 120,
    });
    expect(await core.payments.closeAttempt(bill.id)).toMatchObject({ status: 'closed' });
    const booked = await core.payments.bookChannelPayment(bill.id, {
      tradeNo: 'SANDBOXLATE1',
      totalFee: 120,
      paidAt: Date.now(),
      detail: { channel: 'SANDBOX' },
    });
    expect(booked?.outcome).toBe('late_payment');
    expect(booked!.bill).toMatchObject({ refundRequired: true, spayResult: true });
    const refund = await core.refunds.refundLatePayment(booked!.bill);
    expect(refund).toMatchObject({ status: 'succeeded', latePayment: true, refundFee: 120 });
    expect(await core.refunds.list(scope(), { billNo: bill.billNo }, paging)).toHaveLength(1);
    expect(await refundWebhookCount()).toBe(0);
    expect(await store.outbox.all({})).toEqual([]);
  });

  it('is sent once when a retry of a refund races the refund still in flight', async () => {
    const bill = await paidBill(90);
    const channel = new GatedRefundChannel(() => '');
    const core = coreWith(channel);
    const first = core.refunds.createRefund(app, {
      refundNo: '20261123010',
      billNo: bill.billNo,
      refundFee: 90,
      needApproval: false,
    });
    await channel.waitForCalls(1);
    // The refund is `processing` with no channel answer: the retry sends it again (same out_refund_no).
    const retry = core.refunds.settleProcessing(0);
    await channel.waitForCalls(2);
    channel.open();
    const [refund] = await Promise.all([first, retry]);
    expect(refund.status).toBe('succeeded');
    expect(await refundWebhookCount()).toBe(1);
    const [webhook] = await store.outbox.all({ transactionType: 'REFUND' });
    expect(webhook).toMatchObject({ transaction_id: '20261123010' });
  });
});

describe('what the merchant sees of refunds', () => {
  it('refunds a paid bill in parts up to what was paid, each part announced with its amounts', async () => {
    const bill = await paidBill(100);
    const core = coreWith(sandbox());
    const refund = (refundNo: string, refundFee: number) =>
      core.refunds.createRefund(app, { refundNo, billNo: bill.billNo, refundFee, needApproval: false });

    expect(await refund('20261123101', 30)).toMatchObject({ status: 'succeeded', refundFee: 30 });
    // 70 fen are left: one fen more is refused, naming refund_fee, and nothing is recorded for it.
    await expect(refund('20261123102', 71)).rejects.toMatchObject({
      reason: 'refund_too_large',
      subject: 'refund_fee',
    });
    await expect(refund('20261123101', 10)).rejects.toMatchObject({
      reason: 'refund_duplicate',
      subject: 'refund_no',
    });
    expect(await refund('20261123103', 70)).toMatchObject({ status: 'succeeded', refundFee: 70 });
    await expect(refund('20261123104', 1)).rejects.toMatchObject({ reason: 'refund_too_large' });
    const refunds = await core.refunds.list(scope(), { billNo: bill.billNo }, paging);
    expect(refunds.map((r) => [r.refundNo, r.status, r.refundFee]).sort()).toEqual([
      ['20261123101', 'succeeded', 30],
      ['20261123103', 'succeeded', 70],
    ]);

    const webhooks = await store.outbox.all({ transactionType: 'REFUND' });
    expect(webhooks).toHaveLength(2);
    const first = webhooks.find((webhook) => webhook.transaction_id === '20261123101')!;
    expect(first).toMatchObject({
      app_id: app.appId,
      bill_id: bill.id,
      refund_id: refunds.find((r) => r.refundNo === '20261123101')!.id,
      // The bill named no notify_url: the app's webhook URL.
      target_url: 'http://127.0.0.1:9/webhook',
      status: 'pending',
    });
    expect(JSON.parse(first.body)).toMatchObject({
      transaction_type: 'REFUND',
      transaction_id: '20261123101',
      transaction_fee: 30,
      refund_fee: 30,
      total_fee: 100,
      bill_no: bill.billNo,
      channel_type: 'WX',
      sub_channel_type: 'WX_NATIVE',
      message_detail: {
        channel: 'SANDBOX',
        bill_id: bill.id,
        trade_no: 'SANDBOXTRADE1',
        refund_no: '20261123101',
        refund_fee: 30,
      },
    });
  });
});

describe('resuming refunds at start', () => {
  it('leaves a refund another instance is sending to it (PostgreSQL), takes one its own killed run left (SQLite)', async () => {
    const bill = await paidBill(95);
    const channel = new GatedRefundChannel(() => '');
    const sending = coreWith(channel);
    const inFlight = sending.refunds.createRefund(app, {
      refundNo: '20261123012',
      billNo: bill.billNo,
      refundFee: 95,
      needApproval: false,
    });
    await channel.waitForCalls(1);
    // Another gateway starts while the refund is at the channel.
    const starting = coreWith(channel);
    const resumed = starting.refunds.resumeUnfinished();
    if (store.engine === 'postgres') {
      await resumed;
      expect(channel.calls).toBe(1);
    } else {
      // SQLite is one gateway's alone: a processing refund at its start is its previous run's, sent again.
      await channel.waitForCalls(2);
    }
    channel.open();
    await Promise.all([inFlight, resumed]);
    expect((await sending.refunds.list(scope(), { billNo: bill.billNo }, paging))[0]).toMatchObject({
      status: 'succeeded',
    });
    expect(await refundWebhookCount()).toBe(1);
  });
});

describe('the refund retry timer', () => {
  it('settles a refund left processing by itself, without being asked', async () => {
    const bill = await paidBill(70);
    // A core whose clock is a minute ahead, so a refund is old enough for the timer (30 s unchanged) at once.
    const core = coreWith(sandbox(), { now: () => Date.now() + 60_000, refundSettleMs: 20 });
    core.start();
    try {
      // The start-up resume has looked at the refunds (the store answers in order): what follows is the timer's.
      await core.refunds.resumeUnfinished();
      await expect(
        coreWith(new UnreachableChannel(() => '')).refunds.createRefund(app, {
          refundNo: '20261123011',
          billNo: bill.billNo,
          refundFee: 70,
          needApproval: false,
        }),
      ).rejects.toMatchObject({ reason: 'channel_unavailable' });
      const [stuck] = await core.refunds.list(scope(), { billNo: bill.billNo }, paging);
      await expect
        .poll(async () => (await core.refunds.find(scope(), stuck!.id))?.status, { timeout: 5000 })
        .toBe('succeeded');
    } finally {
      core.stop();
    }
    expect(await refundWebhookCount()).toBe(1);
  });
});
