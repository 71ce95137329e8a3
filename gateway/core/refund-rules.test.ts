/**
 * The refund rules a merchant meets, driven through the core against a real migrated store (SQLite, or PostgreSQL
 * under npm run test:postgres): which refunds are refused and why (naming the field), the approval batch of
 * pre-refunds, the refund lists and counts and their filters, late payments, and refunds a channel settles by notice.
 * Fast on purpose: these are the tests StrykerJS runs against gateway/core/refunds.ts and
 * gateway/storage/refund-store.ts (mutation-paths.json).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../apps/app.ts';
import type { Bill } from '../bills/bill.ts';
import { BillEvents } from '../bills/bill-events.ts';
import type {
  ChannelAttempt,
  ChannelName,
  ChannelRefundRequest,
  ChannelUrls,
  RefundResult,
} from '../channels/channel.ts';
import { SandboxChannel } from '../channels/sandbox-adapter.ts';
import { OutboundHttpClient } from '../net/outbound-http.ts';
import type { Refund } from '../refunds/refund.ts';
import type { GatewayStore } from '../storage/store.ts';
import { testApp } from '../testing/gateway-harness.ts';
import { openTestStore } from '../testing/test-database.ts';
import { DecliningChannel, UnreachableChannel } from '../testing/refusing-channels.ts';
import { ChannelRegistry } from './channel-registry.ts';
import { GatewayCore } from './gateway-core.ts';
import type { RefundOutcome } from './observer.ts';
import { quietObserver } from './observer.ts';

/** Keeps every refund request it is sent, with the URLs given with it, and refunds as the sandbox does. */
class RecordingChannel extends SandboxChannel {
  readonly requests: Array<{ attempt: ChannelAttempt; refund: ChannelRefundRequest; urls: ChannelUrls }> = [];
  override async refund(
    attempt: ChannelAttempt,
    refund: ChannelRefundRequest,
    urls?: ChannelUrls,
  ): Promise<RefundResult> {
    this.requests.push({ attempt, refund, urls: urls! });
    return super.refund(attempt, refund);
  }
}

/** Answers refunds `processing`; a query of one fails (the channel cannot be reached). */
class QueryFailsChannel extends SandboxChannel {
  override async refund(): Promise<RefundResult> {
    return { status: 'processing', channelRefundNo: 'Q-1' };
  }
  override async queryRefund(): Promise<RefundResult> {
    throw new Error('query timed out');
  }
}

/** Answers every refund `processing` (the channel tells the outcome later, by notice). */
class NoticeLaterChannel extends SandboxChannel {
  override async refund(): Promise<RefundResult> {
    return { status: 'processing', channelRefundNo: 'CHREF-7' };
  }
}

let dataDir: string;
let store: GatewayStore;
let app: App;
let settled: Array<[string, RefundOutcome]>;
let settledStatuses: string[];
let enqueuedCalls: number;
let logs: Array<[string, string, Record<string, unknown>]>;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'spay-refund-rules-'));
  store = await openTestStore(dataDir);
  const seed = testApp({ webhookUrl: 'http://127.0.0.1:9/webhook' });
  await store.apps.seedApp(seed);
  app = (await store.apps.findApp(seed.appId)) as App;
  settled = [];
  settledStatuses = [];
  enqueuedCalls = 0;
  logs = [];
});

afterEach(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

function coreWith(channel: SandboxChannel = sandbox(), now?: () => number): GatewayCore {
  return new GatewayCore({
    store,
    now,
    registry: new ChannelRegistry({
      sandbox: channel,
      http: new OutboundHttpClient({ allowPrivateTargets: true }).http,
    }),
    webhooksEnqueued: () => {
      enqueuedCalls += 1;
    },
    webhookRetryScale: 0.001,
    publicUrl: () => 'http://127.0.0.1:9',
    log: (level, message, fields) => logs.push([level, message, fields]),
    observer: {
      ...quietObserver,
      refundSettled: (refund, outcome) => {
        settled.push([refund.refundNo, outcome]);
        settledStatuses.push(refund.status);
      },
    },
  });
}

function sandbox(): SandboxChannel {
  return new SandboxChannel(() => 'http://127.0.0.1:9');
}

let billCount = 0;

/** A bill of the app paid through `channel` (test mode): the core's own payment path, booked as the sandbox does. */
async function paidBill(
  totalFee: number,
  channel: ChannelName = 'WX_NATIVE',
  forApp: App = app,
): Promise<Bill> {
  const core = coreWith();
  billCount += 1;
  const { bill } = await core.payments.startPayment({
    app: forApp,
    mode: 'test',
    channel,
    billNo: `R${Date.now()}${billCount}`,
    title: '退款规则',
    totalFee,
    optional: { order: 'bill' },
  });
  const booked = await core.payments.bookChannelPayment(bill.id, {
    tradeNo: `SANDBOXTRADE${billCount}`,
    totalFee,
    paidAt: Date.now(),
    detail: { channel: 'SANDBOX' },
  });
  expect(booked?.outcome).toBe('paid');
  // What the tests look at is logged after the payment.
  logs = [];
  return booked!.bill;
}

const scope = () => ({ appId: app.appId, mode: 'test' as const });
const paging = { skip: 0, limit: 50 };

async function refundWebhooks() {
  return store.outbox.all({ transactionType: 'REFUND' });
}

async function statusOf(id: string): Promise<string | undefined> {
  return (await store.refunds.findById(id))?.status;
}

describe('a new refund is refused, naming the field', () => {
  it('for an unknown bill_no, an unpaid bill, or a bill paid through another channel', async () => {
    const core = coreWith();
    const order = { refundNo: 'RF-1', refundFee: 10, needApproval: false };
    await expect(core.refunds.createRefund(app, { ...order, billNo: 'NO-SUCH-BILL' })).rejects.toMatchObject({
      reason: 'bill_unknown',
      subject: 'bill_no',
      message: 'no bill NO-SUCH-BILL',
    });

    const { bill: unpaid } = await core.payments.startPayment({
      app,
      mode: 'test',
      channel: 'ALI_WEB',
      billNo: 'UNPAID-1',
      title: '未付',
      totalFee: 10,
    });
    await expect(core.refunds.createRefund(app, { ...order, billNo: unpaid.billNo })).rejects.toMatchObject({
      reason: 'bill_not_paid',
      subject: 'bill_no',
      message: 'bill UNPAID-1 has not been paid',
    });

    const paid = await paidBill(100, 'WX_NATIVE');
    await expect(
      core.refunds.createRefund(app, { ...order, billNo: paid.billNo, channel: { family: 'ALI' } }),
    ).rejects.toMatchObject({
      reason: 'bill_channel_mismatch',
      subject: 'channel',
      message: `bill ${paid.billNo} was paid through WX_NATIVE`,
    });
    await expect(
      core.refunds.createRefund(app, { ...order, billNo: paid.billNo, channel: { subChannel: 'WX_JSAPI' } }),
    ).rejects.toMatchObject({ reason: 'bill_channel_mismatch' });
    // Nothing was recorded for any of them, and the bill's whole amount may still be refunded, on its channel.
    expect(await core.refunds.count(scope(), {})).toBe(0);
    expect(
      await core.refunds.createRefund(app, {
        ...order,
        refundFee: 100,
        billNo: paid.billNo,
        channel: { family: 'WX' },
      }),
    ).toMatchObject({ status: 'succeeded', refundFee: 100 });
  });

  it('for a bill of another app, which it does not see', async () => {
    const other = testApp();
    await store.apps.seedApp(other);
    const otherApp = (await store.apps.findApp(other.appId)) as App;
    const theirs = await paidBill(50, 'WX_NATIVE', otherApp);
    await expect(
      coreWith().refunds.createRefund(app, {
        refundNo: 'RF-2',
        billNo: theirs.billNo,
        refundFee: 5,
        needApproval: false,
      }),
    ).rejects.toMatchObject({ reason: 'bill_unknown', subject: 'bill_no' });
  });

  it('over what may still be refunded, saying how much that is', async () => {
    const bill = await paidBill(100);
    const core = coreWith();
    const refund = (refundNo: string, refundFee: number, needApproval = false) =>
      core.refunds.createRefund(app, { refundNo, billNo: bill.billNo, refundFee, needApproval });
    await refund('RF-10', 40);
    // A pre-refund waiting for approval holds its amount too.
    await refund('RF-11', 25, true);
    await expect(refund('RF-12', 36)).rejects.toMatchObject({
      reason: 'refund_too_large',
      subject: 'refund_fee',
      message: '36 fen is more than the 35 fen that may still be refunded of 100 fen',
    });
    expect(await refund('RF-12', 35)).toMatchObject({ status: 'succeeded', refundFee: 35 });
  });

  it('for a refund_no the app already used: refund_duplicate, or prerefund_duplicate when either is a pre-refund', async () => {
    const bill = await paidBill(100);
    const other = await paidBill(100);
    const core = coreWith();
    const order = (refundNo: string, needApproval: boolean, billNo = bill.billNo) => ({
      refundNo,
      billNo,
      refundFee: 10,
      needApproval,
    });
    await core.refunds.createRefund(app, order('DUP-1', false));
    await core.refunds.createRefund(app, order('DUP-2', true));
    const refusal = (reason: string) => ({ reason, subject: 'refund_no' });
    await expect(core.refunds.createRefund(app, order('DUP-1', false))).rejects.toMatchObject({
      ...refusal('refund_duplicate'),
      message: 'refund DUP-1 already exists',
    });
    // Unique per app, not per bill.
    await expect(core.refunds.createRefund(app, order('DUP-1', false, other.billNo))).rejects.toMatchObject(
      refusal('refund_duplicate'),
    );
    await expect(core.refunds.createRefund(app, order('DUP-1', true))).rejects.toMatchObject(
      refusal('prerefund_duplicate'),
    );
    await expect(core.refunds.createRefund(app, order('DUP-2', false))).rejects.toMatchObject(
      refusal('prerefund_duplicate'),
    );
    // Another app may use the same refund_no.
    const seed = testApp();
    await store.apps.seedApp(seed);
    const otherApp = (await store.apps.findApp(seed.appId)) as App;
    const theirs = await paidBill(30, 'WX_NATIVE', otherApp);
    expect(await core.refunds.createRefund(otherApp, order('DUP-1', false, theirs.billNo))).toMatchObject({
      status: 'succeeded',
      appId: otherApp.appId,
    });
    expect(await core.refunds.count(scope(), {})).toBe(2);
  });
});

describe('a refund as recorded', () => {
  it('keeps the bill, the amounts, the optional and the channel answer; the merchant finds it by id or refund_no', async () => {
    const bill = await paidBill(100, 'ALI_WEB');
    enqueuedCalls = 0;
    const core = coreWith(sandbox(), () => 1_764_000_000_000);
    const refund = await core.refunds.createRefund(app, {
      refundNo: 'KEPT-1',
      billNo: bill.billNo,
      refundFee: 60,
      optional: { reason: '退货' },
      needApproval: false,
    });
    expect(refund).toMatchObject({
      appId: app.appId,
      billId: bill.id,
      billNo: bill.billNo,
      refundNo: 'KEPT-1',
      mode: 'test',
      channel: 'ALI',
      subChannel: 'ALI_WEB',
      title: '退款规则',
      totalFee: 100,
      refundFee: 60,
      optional: { reason: '退货' },
      status: 'succeeded',
      needApproval: false,
      denyReason: null,
      latePayment: false,
      createTime: 1_764_000_000_000,
      updateTime: 1_764_000_000_000,
      finishTime: 1_764_000_000_000,
    });
    expect(refund.channelRefundNo).toEqual(expect.any(String));
    expect(refund.channelDetail).toMatchObject({
      channel: 'SANDBOX',
      bill_id: bill.id,
      refund_no: 'KEPT-1',
      refund_fee: 60,
      channel_refund_no: refund.channelRefundNo,
    });
    expect(await core.refunds.find(scope(), refund.id)).toEqual(refund);
    expect(await core.refunds.findByRefundNo(scope(), 'KEPT-1')).toEqual(refund);
    // Another app, or the same app's live mode, does not see it.
    expect(await core.refunds.find({ appId: 'another-app', mode: 'test' }, refund.id)).toBeUndefined();
    expect(await core.refunds.find({ appId: app.appId, mode: 'live' }, refund.id)).toBeUndefined();
    expect(await core.refunds.findByRefundNo({ appId: app.appId, mode: 'live' }, 'KEPT-1')).toBeUndefined();
    expect(
      await core.refunds.findByRefundNo({ appId: 'another-app', mode: 'test' }, 'KEPT-1'),
    ).toBeUndefined();
    expect(await core.refunds.findByRefundNo(scope(), 'KEPT-2')).toBeUndefined();

    // Its REFUND webhook carries the refund's optional, and the core was told a webhook is waiting.
    const [webhook] = await refundWebhooks();
    expect(JSON.parse(webhook!.body)).toMatchObject({ optional: { reason: '退货' }, channel_type: 'ALI' });
    expect(enqueuedCalls).toBe(1);
    expect(settled).toEqual([['KEPT-1', 'succeeded']]);
  });

  it('without an optional of its own, the REFUND webhook carries the bill’s', async () => {
    const bill = await paidBill(20);
    const refund = await coreWith().refunds.createRefund(app, {
      refundNo: 'OPT-1',
      billNo: bill.billNo,
      refundFee: 20,
      needApproval: false,
    });
    expect(refund.optional).toBeNull();
    const [webhook] = await refundWebhooks();
    expect(JSON.parse(webhook!.body)).toMatchObject({ optional: { order: 'bill' } });
  });

  it('keeps what the channel answered while it is processing, and a notice settles it once', async () => {
    const bill = await paidBill(100);
    enqueuedCalls = 0;
    const core = coreWith(new NoticeLaterChannel(() => ''));
    const refund = await core.refunds.createRefund(app, {
      refundNo: 'LATER-1',
      billNo: bill.billNo,
      refundFee: 100,
      needApproval: false,
    });
    expect(refund).toMatchObject({
      status: 'processing',
      channelRefundNo: 'CHREF-7',
      channelDetail: { status: 'processing', refund_no: 'LATER-1', refund_fee: 100 },
      finishTime: null,
    });
    expect(settled).toEqual([]);
    const outRefundNo = refund.id.replaceAll('-', '');

    // A notice naming no refund of the gateway changes nothing.
    expect(
      await core.refunds.settleFromNotice('not-an-out-refund-no', { status: 'failed', reason: 'X' }),
    ).toBe(undefined);
    expect(
      await core.refunds.settleFromNotice('0'.repeat(32), { status: 'failed', reason: 'X' }),
    ).toBeUndefined();

    const success: RefundResult = {
      status: 'success',
      channelRefundNo: 'CHREF-7N',
      refundFee: 100,
      finishedAt: Date.now(),
    };
    const done = await core.refunds.settleFromNotice(outRefundNo.toUpperCase(), success);
    expect(done).toMatchObject({
      id: refund.id,
      status: 'succeeded',
      channelRefundNo: 'CHREF-7N',
      channelDetail: { channel_refund_no: 'CHREF-7N', refund_no: 'LATER-1' },
    });
    expect(await refundWebhooks()).toHaveLength(1);
    expect(settled).toEqual([['LATER-1', 'succeeded']]);

    // A second notice, even a contrary one, changes nothing and announces nothing.
    expect(
      await core.refunds.settleFromNotice(outRefundNo, { status: 'failed', reason: 'LATE' }),
    ).toMatchObject({
      status: 'succeeded',
    });
    expect(await core.refunds.settleFromNotice(outRefundNo, success)).toMatchObject({ status: 'succeeded' });
    expect(await refundWebhooks()).toHaveLength(1);
    expect(enqueuedCalls).toBe(1);
    expect(settled).toEqual([['LATER-1', 'succeeded']]);
  });

  it('a notice that the channel failed the refund frees its amount', async () => {
    const bill = await paidBill(100);
    const core = coreWith(new NoticeLaterChannel(() => ''));
    const refund = await core.refunds.createRefund(app, {
      refundNo: 'LATER-2',
      billNo: bill.billNo,
      refundFee: 100,
      needApproval: false,
    });
    const failed = await core.refunds.settleFromNotice(refund.id.replaceAll('-', ''), {
      status: 'failed',
      reason: 'NOTENOUGH',
    });
    // The channel's refund number from its first answer is kept: the failure names none.
    expect(failed).toMatchObject({
      status: 'failed',
      channelRefundNo: 'CHREF-7',
      channelDetail: { error: 'NOTENOUGH', refund_no: 'LATER-2' },
    });
    expect(failed!.finishTime).toEqual(expect.any(Number));
    expect(settled).toEqual([['LATER-2', 'failed']]);
    expect(await refundWebhooks()).toHaveLength(0);
    expect(
      await coreWith().refunds.createRefund(app, {
        refundNo: 'LATER-3',
        billNo: bill.billNo,
        refundFee: 100,
        needApproval: false,
      }),
    ).toMatchObject({ status: 'succeeded' });
  });
});

describe('approving and denying pre-refunds', () => {
  async function preRefunds(core: GatewayCore, bill: Bill, ...refundNos: string[]): Promise<Refund[]> {
    const created: Refund[] = [];
    for (const refundNo of refundNos) {
      created.push(
        await core.refunds.createRefund(app, {
          refundNo,
          billNo: bill.billNo,
          refundFee: 10,
          needApproval: true,
        }),
      );
    }
    return created;
  }

  it('a pre-refund waits, unsent, until approved; then it is refunded and announced', async () => {
    const bill = await paidBill(100);
    const channel = new RecordingChannel(() => '');
    const core = coreWith(channel);
    const [pre] = await preRefunds(core, bill, 'PRE-1');
    expect(pre).toMatchObject({ status: 'pending_approval', needApproval: true, channelDetail: null });
    expect(await refundWebhooks()).toHaveLength(0);
    // Unsent: the channel has not been asked for any money back.
    expect(channel.requests).toHaveLength(0);
    const within: string[] = [];
    const results = await core.refunds.decidePreRefunds(
      app,
      { channel: { family: 'WX' }, ids: [pre!.id], agree: true },
      async (tx, refund) => {
        within.push(`${refund.refundNo}:${refund.status}:${await statusOfIn(tx, refund.id)}`);
      },
    );
    expect(results).toEqual({ [pre!.id]: { ok: true } });
    // The edge's work ran inside the change, seeing the refund already moved on.
    expect(within).toEqual(['PRE-1:processing:processing']);
    expect(await core.refunds.find(scope(), pre!.id)).toMatchObject({
      status: 'succeeded',
      needApproval: true,
    });
    expect(await refundWebhooks()).toHaveLength(1);
    expect(settled).toEqual([['PRE-1', 'succeeded']]);
    // Sent once, on approval.
    expect(channel.requests.map((request) => request.refund.refundFee)).toEqual([pre!.refundFee]);
  });

  async function statusOfIn(tx: Parameters<Parameters<GatewayStore['transaction']>[0]>[0], id: string) {
    return (await tx.refunds.findById(id))?.status;
  }

  it('denies with the reason kept, frees the amount and lets the refund_no be used again', async () => {
    const bill = await paidBill(10);
    const core = coreWith(sandbox(), () => 1_764_000_500_000);
    const [pre] = await preRefunds(core, bill, 'PRE-2');
    const within: Array<Partial<Refund>> = [];
    const results = await core.refunds.decidePreRefunds(
      app,
      { channel: undefined, ids: [pre!.id], agree: false, denyReason: '不予退款' },
      async (_tx, refund) => {
        within.push({ status: refund.status, denyReason: refund.denyReason, updateTime: refund.updateTime });
      },
    );
    expect(results).toEqual({ [pre!.id]: { ok: true } });
    expect(within).toEqual([{ status: 'denied', denyReason: '不予退款', updateTime: 1_764_000_500_000 }]);
    expect(await core.refunds.find(scope(), pre!.id)).toMatchObject({
      status: 'denied',
      denyReason: '不予退款',
      updateTime: 1_764_000_500_000,
      finishTime: 1_764_000_500_000,
    });
    expect(settled).toEqual([['PRE-2', 'denied']]);
    expect(settledStatuses).toEqual(['denied']);
    expect(await refundWebhooks()).toHaveLength(0);

    // The whole amount and the refund_no are free again (here from an instance whose clock is behind).
    const again = await coreWith(sandbox(), () => 1_764_000_400_000).refunds.createRefund(app, {
      refundNo: 'PRE-2',
      billNo: bill.billNo,
      refundFee: 10,
      needApproval: false,
    });
    expect(again.status).toBe('succeeded');
    // By refund_no the merchant finds the live one, not the denied one; the lists hold both.
    expect(await core.refunds.findByRefundNo(scope(), 'PRE-2')).toMatchObject({ id: again.id });
    expect(await core.refunds.count(scope(), { refundNo: 'PRE-2' })).toBe(2);
  });

  it('a denial without a reason keeps none; by refund_no a denied pre-refund is found when nothing else has it', async () => {
    const bill = await paidBill(100);
    const core = coreWith(sandbox(), () => Date.now());
    const [pre] = await preRefunds(core, bill, 'PRE-3');
    await core.refunds.decidePreRefunds(app, { channel: undefined, ids: [pre!.id], agree: false });
    expect(await core.refunds.findByRefundNo(scope(), 'PRE-3')).toMatchObject({
      id: pre!.id,
      status: 'denied',
      denyReason: null,
    });
    // Denied twice over: the latest denial is the one found.
    const [second] = await preRefunds(
      coreWith(sandbox(), () => Date.now() + 1000),
      bill,
      'PRE-3',
    );
    await core.refunds.decidePreRefunds(app, { channel: undefined, ids: [second!.id], agree: false });
    expect(await core.refunds.findByRefundNo(scope(), 'PRE-3')).toMatchObject({
      id: second!.id,
      status: 'denied',
    });
  });

  it('answers each id of a batch: done, not pending, or no such refund (unknown, another channel, another app)', async () => {
    const wx = await paidBill(100, 'WX_NATIVE');
    const ali = await paidBill(100, 'ALI_WEB');
    const core = coreWith();
    const [wxPre, wxDone] = await preRefunds(core, wx, 'B-1', 'B-2');
    const [aliPre] = await preRefunds(core, ali, 'B-3');
    const plain = await core.refunds.createRefund(app, {
      refundNo: 'B-4',
      billNo: wx.billNo,
      refundFee: 5,
      needApproval: false,
    });
    await core.refunds.decidePreRefunds(app, { channel: undefined, ids: [wxDone!.id], agree: true });
    settled = [];

    const results = await core.refunds.decidePreRefunds(app, {
      channel: { family: 'WX' },
      ids: [wxPre!.id, wxDone!.id, aliPre!.id, plain.id, 'no-such-id'],
      agree: true,
    });
    expect(results).toEqual({
      [wxPre!.id]: { ok: true },
      [wxDone!.id]: { ok: false, refusal: 'not_pending' },
      [aliPre!.id]: { ok: false, refusal: 'no_such_refund' },
      [plain.id]: { ok: false, refusal: 'not_pending' },
      'no-such-id': { ok: false, refusal: 'no_such_refund' },
    });
    expect(settled).toEqual([['B-1', 'succeeded']]);
    expect(await statusOf(aliPre!.id)).toBe('pending_approval');

    // By sub-channel: the ALI one is found and denied.
    expect(
      await core.refunds.decidePreRefunds(app, {
        channel: { subChannel: 'ALI_WEB' },
        ids: [aliPre!.id],
        agree: false,
      }),
    ).toEqual({ [aliPre!.id]: { ok: true } });
    expect(await statusOf(aliPre!.id)).toBe('denied');
    // Denying it again: not pending any more.
    expect(
      await core.refunds.decidePreRefunds(app, { channel: undefined, ids: [aliPre!.id], agree: false }),
    ).toEqual({ [aliPre!.id]: { ok: false, refusal: 'not_pending' } });

    // Another app's batch does not see this app's pre-refunds.
    const seed = testApp();
    await store.apps.seedApp(seed);
    const otherApp = (await store.apps.findApp(seed.appId)) as App;
    const [late] = await preRefunds(core, wx, 'B-5');
    await expect(
      core.refunds.decidePreRefunds(otherApp, { channel: undefined, ids: [late!.id], agree: true }),
    ).rejects.toMatchObject({ reason: 'refund_unknown', subject: 'refund_ids' });
    expect(await statusOf(late!.id)).toBe('pending_approval');
  });

  it('is refused, naming refund_ids, when none of the ids is a refund of the app and channel', async () => {
    const bill = await paidBill(100, 'WX_NATIVE');
    const core = coreWith();
    const [pre] = await preRefunds(core, bill, 'N-1');
    await expect(
      core.refunds.decidePreRefunds(app, {
        channel: { family: 'ALI' },
        ids: [pre!.id, 'nothing'],
        agree: true,
      }),
    ).rejects.toMatchObject({
      reason: 'refund_unknown',
      subject: 'refund_ids',
      message: 'none of the ids is a refund of this app and channel',
    });
    expect(await statusOf(pre!.id)).toBe('pending_approval');
    // One id found, even not pending, answers per id instead.
    const plain = await core.refunds.createRefund(app, {
      refundNo: 'N-2',
      billNo: bill.billNo,
      refundFee: 5,
      needApproval: false,
    });
    expect(
      await core.refunds.decidePreRefunds(app, {
        channel: undefined,
        ids: ['nothing', plain.id],
        agree: true,
      }),
    ).toEqual({
      nothing: { ok: false, refusal: 'no_such_refund' },
      [plain.id]: { ok: false, refusal: 'not_pending' },
    });
  });

  it('an approval the channel cannot reach is a refusal of that id; the refund stays processing, its amount held', async () => {
    const bill = await paidBill(10);
    const [pre] = await preRefunds(coreWith(), bill, 'U-1');
    const results = await coreWith(new UnreachableChannel(() => '')).refunds.decidePreRefunds(app, {
      channel: undefined,
      ids: [pre!.id],
      agree: true,
    });
    expect(results[pre!.id]).toMatchObject({
      ok: false,
      refusal: 'refused',
      error: { reason: 'channel_unavailable', subject: 'refund_no' },
    });
    expect(await statusOf(pre!.id)).toBe('processing');
    await expect(
      coreWith().refunds.createRefund(app, {
        refundNo: 'U-2',
        billNo: bill.billNo,
        refundFee: 1,
        needApproval: false,
      }),
    ).rejects.toMatchObject({ reason: 'refund_too_large' });
  });

  it('an approval the channel declines is refused with refund_refused, naming refund_no', async () => {
    const bill = await paidBill(10);
    const [pre] = await preRefunds(coreWith(), bill, 'D-1');
    const results = await coreWith(new DecliningChannel(() => '')).refunds.decidePreRefunds(app, {
      channel: undefined,
      ids: [pre!.id],
      agree: true,
    });
    expect(results[pre!.id]).toMatchObject({
      ok: false,
      refusal: 'refused',
      error: { reason: 'refund_refused', subject: 'refund_no', message: 'the channel refused refund D-1' },
    });
    expect(settled).toEqual([['D-1', 'failed']]);
  });
});

describe('refund lists and counts', () => {
  it('filter by bill_no, refund_no, pre-refund or not, channel and creation time, newest first, paged', async () => {
    const wx = await paidBill(100, 'WX_NATIVE');
    const ali = await paidBill(100, 'ALI_WEB');
    const at = (time: number) => coreWith(sandbox(), () => time);
    const create = (time: number, bill: Bill, refundNo: string, needApproval: boolean) =>
      at(time).refunds.createRefund(app, { refundNo, billNo: bill.billNo, refundFee: 10, needApproval });
    await create(1000, wx, 'L-1', false);
    await create(2000, wx, 'L-2', true);
    await create(3000, ali, 'L-3', false);
    await create(4000, ali, 'L-4', true);
    const core = coreWith();
    const listed = async (filter: Parameters<GatewayCore['refunds']['list']>[1], page = paging) =>
      (await core.refunds.list(scope(), filter, page)).map((refund) => refund.refundNo);

    expect(await listed({})).toEqual(['L-4', 'L-3', 'L-2', 'L-1']);
    expect(await core.refunds.count(scope(), {})).toBe(4);
    expect(await listed({}, { skip: 1, limit: 2 })).toEqual(['L-3', 'L-2']);
    expect(await listed({ billNo: wx.billNo })).toEqual(['L-2', 'L-1']);
    expect(await listed({ refundNo: 'L-3' })).toEqual(['L-3']);
    expect(await core.refunds.count(scope(), { refundNo: 'L-3' })).toBe(1);
    expect(await listed({ needApproval: true })).toEqual(['L-4', 'L-2']);
    expect(await core.refunds.count(scope(), { needApproval: true })).toBe(2);
    expect(await listed({ needApproval: false })).toEqual(['L-3', 'L-1']);
    expect(await core.refunds.count(scope(), { needApproval: false })).toBe(2);
    expect(await listed({ channel: { family: 'ALI' } })).toEqual(['L-4', 'L-3']);
    expect(await listed({ channel: { subChannel: 'WX_NATIVE' } })).toEqual(['L-2', 'L-1']);
    expect(await listed({ startTime: 2000, endTime: 3000 })).toEqual(['L-3', 'L-2']);
    expect(await core.refunds.count(scope(), { startTime: 2000, endTime: 3000 })).toBe(2);
    expect(await listed({ billNo: ali.billNo, needApproval: false, refundNo: 'L-3' })).toEqual(['L-3']);
    expect(await listed({ billNo: ali.billNo, refundNo: 'L-1' })).toEqual([]);
    expect(await core.refunds.count(scope(), { billNo: ali.billNo, refundNo: 'L-1' })).toBe(0);
    // Another app's or the live mode's lists are empty.
    expect(await core.refunds.list({ appId: app.appId, mode: 'live' }, {}, paging)).toEqual([]);
    expect(await core.refunds.count({ appId: 'another-app', mode: 'test' }, {})).toBe(0);
  });

  it('refunds made at the same moment come in a stable order, by id', async () => {
    const bill = await paidBill(100);
    const core = coreWith(sandbox(), () => 5000);
    for (const refundNo of ['S-1', 'S-2', 'S-3']) {
      await core.refunds.createRefund(app, {
        refundNo,
        billNo: bill.billNo,
        refundFee: 10,
        needApproval: false,
      });
    }
    const ids = (await core.refunds.list(scope(), {}, paging)).map((refund) => refund.id);
    expect(ids).toEqual([...ids].sort());
  });
});

describe('late payments', () => {
  async function latePayment(core = coreWith()): Promise<Bill> {
    const { bill } = await core.payments.startPayment({
      app,
      mode: 'test',
      channel: 'ALI_WEB',
      billNo: `LATE${Date.now()}${(billCount += 1)}`,
      title: '迟到的付款',
      totalFee: 120,
    });
    await core.payments.closeAttempt(bill.id);
    const booked = await core.payments.bookChannelPayment(bill.id, {
      tradeNo: 'SANDBOXLATE',
      totalFee: 120,
      paidAt: Date.now(),
      detail: { channel: 'SANDBOX' },
    });
    expect(booked?.outcome).toBe('late_payment');
    // What the tests look at is logged after the payment.
    logs = [];
    return booked!.bill;
  }

  it('are refunded in full once, with a dated refund_no, however often they are heard of', async () => {
    const bill = await latePayment();
    const now = Date.UTC(2026, 11, 2, 16, 30); // 00:30 on 3 December in China
    const core = coreWith(sandbox(), () => now);
    const refund = await core.refunds.refundLatePayment(bill);
    expect(refund).toMatchObject({
      billId: bill.id,
      refundFee: 120,
      totalFee: 120,
      latePayment: true,
      needApproval: false,
      status: 'succeeded',
      optional: null,
    });
    expect(refund!.refundNo).toMatch(/^20261203LATE[0-9A-F]{16}$/);
    expect(await core.refunds.refundLatePayment(bill)).toBeUndefined();
    await core.refunds.resumeUnfinished();
    expect(await core.refunds.count(scope(), { billNo: bill.billNo })).toBe(1);
    expect(settled).toEqual([[refund!.refundNo, 'succeeded']]);
  });

  it('are refunded again after a refund the channel failed; a bill not marked for it is not refunded', async () => {
    const bill = await latePayment();
    const failed = await coreWith(new DecliningChannel(() => '')).refunds.refundLatePayment(bill);
    // Not thrown: the late refund is recorded as failed, with the channel's reason — the channel's answer, not a
    // failure of the gateway, so nothing is logged as one.
    expect(failed).toMatchObject({ status: 'failed', latePayment: true });
    expect(failed!.channelDetail).toMatchObject({ channel: 'SANDBOX', error: 'REFUND_DECLINED' });
    expect(logs).toEqual([]);
    const retried = await coreWith().refunds.refundLatePayment(bill);
    expect(retried).toMatchObject({ status: 'succeeded', latePayment: true });

    const paid = await paidBill(50);
    expect(await coreWith().refunds.refundLatePayment(paid)).toBeUndefined();
    expect(await coreWith().refunds.refundLatePayment({ ...bill, spayResult: false })).toBeUndefined();
    expect(await coreWith().refunds.refundLatePayment({ ...bill, mode: 'live' })).toBeUndefined();
    expect(await coreWith().refunds.refundLatePayment({ ...bill, refundRequired: false })).toBeUndefined();
    expect(await store.refunds.hasLatePaymentRefund(paid.id)).toBe(false);
  });

  it('an unreachable channel leaves the late refund processing, to be sent again', async () => {
    const bill = await latePayment();
    const pending = await coreWith(new UnreachableChannel(() => '')).refunds.refundLatePayment(bill);
    expect(pending).toMatchObject({ status: 'processing', latePayment: true });
    expect(await store.refunds.hasLatePaymentRefund(bill.id)).toBe(true);
    await coreWith().refunds.settleProcessing(0);
    expect(await statusOf(pending!.id)).toBe('succeeded');
  });

  it('one whose refund cannot be recorded is logged as a warning naming the bill, not thrown at the payment', async () => {
    const bill = await latePayment();
    const events = new BillEvents();
    const core = coreWith();
    const stopListening = core.refunds.listenForLatePayments(events);
    try {
      // A bill the store does not hold (its row is gone): the refund's insert breaks the foreign key.
      const gone = { ...bill, id: '00000000-0000-4000-8000-0000000000aa' };
      expect(() => events.latePayment(gone)).not.toThrow();
      await expect.poll(() => logs.length).toBe(1);
      expect(logs).toEqual([
        [
          'warn',
          'late payment refund failed',
          { billId: gone.id, err: expect.stringMatching(/foreign key/i) },
        ],
      ]);
      expect(await core.refunds.count(scope(), { billNo: bill.billNo })).toBe(0);
    } finally {
      stopListening();
    }
  });

  it('a started gateway refunds one announced by a payment by itself', async () => {
    const core = coreWith();
    core.start();
    try {
      const bill = await latePayment(core);
      await expect
        .poll(async () => (await core.refunds.list(scope(), { billNo: bill.billNo }, paging))[0]?.status, {
          timeout: 5000,
        })
        .toBe('succeeded');
    } finally {
      core.stop();
    }
  });
});

describe('what the channel is sent and what the operator is told', () => {
  it('sends the refund keyed by its id, its amount and first request time, with the sandbox notify URL', async () => {
    const bill = await paidBill(100);
    const channel = new RecordingChannel(() => '');
    const core = coreWith(channel, () => 1_764_000_900_000);
    const refund = await core.refunds.createRefund(app, {
      refundNo: 'SENT-1',
      billNo: bill.billNo,
      refundFee: 70,
      needApproval: false,
    });
    expect(channel.requests).toHaveLength(1);
    const [request] = channel.requests;
    expect(request!.refund).toEqual({
      outRefundNo: refund.id.replaceAll('-', ''),
      refundFee: 70,
      reason: null,
      requestedAt: 1_764_000_900_000,
    });
    expect(request!.attempt).toMatchObject({ outTradeNo: bill.id.replaceAll('-', ''), totalFee: 100 });
    expect(request!.urls).toMatchObject({
      notifyUrl: 'http://127.0.0.1:9/notify/sandbox',
      returnUrl: `http://127.0.0.1:9/1/pay/jsbutton/result/${bill.id}`,
    });
  });

  it('a refund the channel cannot reach is refused saying so, and logged as a warning naming the refund', async () => {
    const bill = await paidBill(100);
    const core = coreWith(new UnreachableChannel(() => ''));
    const attempt = core.refunds.createRefund(app, {
      refundNo: 'WARN-1',
      billNo: bill.billNo,
      refundFee: 10,
      needApproval: false,
    });
    await expect(attempt).rejects.toMatchObject({
      reason: 'channel_unavailable',
      subject: 'refund_no',
      message: 'the channel did not answer the refund: Error: connect ECONNREFUSED',
    });
    const [refund] = await core.refunds.list(scope(), {}, paging);
    expect(logs).toEqual([
      ['warn', 'channel refund call failed', { refundId: refund!.id, err: 'Error: connect ECONNREFUSED' }],
    ]);
  });

  it('a refund the channel declines is refused naming its refund_no', async () => {
    const bill = await paidBill(100);
    await expect(
      coreWith(new DecliningChannel(() => '')).refunds.createRefund(app, {
        refundNo: 'NO-1',
        billNo: bill.billNo,
        refundFee: 10,
        needApproval: false,
      }),
    ).rejects.toMatchObject({
      reason: 'refund_refused',
      subject: 'refund_no',
      message: 'the channel refused refund NO-1',
    });
  });

  it('a late refund the channel cannot reach is logged with its bill', async () => {
    const core = coreWith(new UnreachableChannel(() => ''));
    const { bill } = await core.payments.startPayment({
      app,
      mode: 'test',
      channel: 'ALI_WEB',
      billNo: 'LATE-WARN-1',
      title: '迟到的付款',
      totalFee: 30,
    });
    await core.payments.closeAttempt(bill.id);
    const booked = await core.payments.bookChannelPayment(bill.id, {
      tradeNo: 'SANDBOXLATE',
      totalFee: 30,
      paidAt: Date.now(),
      detail: { channel: 'SANDBOX' },
    });
    logs = [];
    await core.refunds.refundLatePayment(booked!.bill);
    expect(logs).toContainEqual([
      'warn',
      'late payment refund failed',
      { billId: bill.id, err: expect.stringContaining('the channel did not answer the refund') },
    ]);
  });
});

describe('refunds left processing', () => {
  it('are taken by the timer exactly when unchanged for the age asked, and a failed query is logged and retried later', async () => {
    const bill = await paidBill(100);
    const start = 1_764_001_000_000;
    const refund = await coreWith(new QueryFailsChannel(() => ''), () => start).refunds.createRefund(app, {
      refundNo: 'AGE-1',
      billNo: bill.billNo,
      refundFee: 100,
      needApproval: false,
    });
    expect(refund).toMatchObject({ status: 'processing', updateTime: start });

    // Unchanged for 999 ms: not taken at an age of 1000 ms.
    await coreWith(new QueryFailsChannel(() => ''), () => start + 999).refunds.settleProcessing(1000);
    expect(logs).toEqual([]);
    expect(await store.transaction((tx) => tx.refunds.claimProcessing(start - 1, start + 999))).toEqual([]);
    // Unchanged for exactly 1000 ms: taken; the query fails, which is logged, and the refund is marked taken.
    await coreWith(new QueryFailsChannel(() => ''), () => start + 1000).refunds.settleProcessing(1000);
    expect(logs).toEqual([
      ['warn', 'settling a refund failed', { refundId: refund.id, err: 'Error: query timed out' }],
    ]);
    expect(await store.refunds.findById(refund.id)).toMatchObject({
      status: 'processing',
      updateTime: start + 1000,
    });
    // So it is not taken again until it has been unchanged that long once more.
    logs = [];
    await coreWith(new QueryFailsChannel(() => ''), () => start + 1999).refunds.settleProcessing(1000);
    expect(logs).toEqual([]);
    // A channel that answers settles it.
    const channel = new NoticeLaterChannel(() => '');
    channel.queryRefund = async () => ({
      status: 'success',
      channelRefundNo: 'Q-1',
      refundFee: 100,
      finishedAt: start,
    });
    await coreWith(channel, () => start + 2000).refunds.settleProcessing(1000);
    expect(await store.refunds.findById(refund.id)).toMatchObject({
      status: 'succeeded',
      finishTime: start + 2000,
    });
    expect(await refundWebhooks()).toHaveLength(1);
  });

  it('one the channel never answered and now declines is recorded failed, its amount freed, no warning logged', async () => {
    const bill = await paidBill(100);
    await expect(
      coreWith(new UnreachableChannel(() => '')).refunds.createRefund(app, {
        refundNo: 'LEFT-1',
        billNo: bill.billNo,
        refundFee: 100,
        needApproval: false,
      }),
    ).rejects.toMatchObject({ reason: 'channel_unavailable' });
    const [left] = await coreWith().refunds.list(scope(), { refundNo: 'LEFT-1' }, paging);
    expect(left).toMatchObject({ status: 'processing', channelDetail: null });
    logs = [];
    await coreWith(new DecliningChannel(() => '')).refunds.settleProcessing(0);
    expect(await store.refunds.findById(left!.id)).toMatchObject({
      status: 'failed',
      channelDetail: { channel: 'SANDBOX', error: 'REFUND_DECLINED', refund_no: 'LEFT-1', refund_fee: 100 },
    });
    expect(logs).toEqual([]);
    expect(settled).toEqual([['LEFT-1', 'failed']]);
    // Its 100 fen may be refunded again.
    const again = await coreWith().refunds.createRefund(app, {
      refundNo: 'LEFT-2',
      billNo: bill.billNo,
      refundFee: 100,
      needApproval: false,
    });
    expect(again.status).toBe('succeeded');
  });

  it('a notice that it is still processing after it succeeded changes nothing', async () => {
    const bill = await paidBill(100);
    const core = coreWith(new NoticeLaterChannel(() => ''));
    const refund = await core.refunds.createRefund(app, {
      refundNo: 'PROC-1',
      billNo: bill.billNo,
      refundFee: 100,
      needApproval: false,
    });
    const outRefundNo = refund.id.replaceAll('-', '');
    const done = await core.refunds.settleFromNotice(outRefundNo, {
      status: 'success',
      channelRefundNo: 'CHREF-DONE',
      refundFee: 100,
      finishedAt: Date.now(),
    });
    const again = await core.refunds.settleFromNotice(outRefundNo, {
      status: 'processing',
      channelRefundNo: 'OTHER',
    });
    expect(again).toEqual(done);
  });
});

describe('the late payment mark', () => {
  it('is not set by an ordinary refund of the bill', async () => {
    const bill = await paidBill(50);
    await coreWith().refunds.createRefund(app, {
      refundNo: 'ORD-1',
      billNo: bill.billNo,
      refundFee: 50,
      needApproval: false,
    });
    expect(await store.refunds.hasLatePaymentRefund(bill.id)).toBe(false);
  });
});

describe('the edge’s work inside a refund change (the console’s audit entry)', () => {
  it('runs in the transaction that records a new refund, and not at all for a refused one', async () => {
    const bill = await paidBill(100);
    const core = coreWith();
    const seen: string[] = [];
    const within = async (tx: Parameters<Parameters<GatewayStore['transaction']>[0]>[0], refund: Refund) => {
      seen.push(`${refund.refundNo}:${(await tx.refunds.findById(refund.id))?.status}`);
    };
    await core.refunds.createRefund(
      app,
      { refundNo: 'AUD-1', billNo: bill.billNo, refundFee: 60, needApproval: true },
      within,
    );
    await expect(
      core.refunds.createRefund(
        app,
        { refundNo: 'AUD-2', billNo: bill.billNo, refundFee: 41, needApproval: false },
        within,
      ),
    ).rejects.toMatchObject({ reason: 'refund_too_large' });
    expect(seen).toEqual(['AUD-1:pending_approval']);

    // A decision that finds the pre-refund no longer pending does not run it either.
    const [pre] = await core.refunds.list(scope(), { refundNo: 'AUD-1' }, paging);
    await core.refunds.decidePreRefunds(app, { channel: undefined, ids: [pre!.id], agree: false }, within);
    expect(seen).toEqual(['AUD-1:pending_approval', 'AUD-1:denied']);
    expect(
      await core.refunds.decidePreRefunds(app, { channel: undefined, ids: [pre!.id], agree: false }, within),
    ).toEqual({ [pre!.id]: { ok: false, refusal: 'not_pending' } });
    expect(seen).toHaveLength(2);
  });
});
