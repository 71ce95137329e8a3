/**
 * Refunds on PostgreSQL with two gateway instances on one database (runs under `npm run test:postgres`): the races
 * one SQLite gateway cannot have. Each is made to happen, not hoped for: the first instance holds its transaction
 * open at the moment that matters, the test waits until the second one waits for it on a lock, then lets the first
 * commit. A refund_no taken at once for two bills, one pre-refund approved or denied at once, stuck refunds settled
 * at once, and what an instance takes at start while another may still be sending a refund.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../apps/app.ts';
import type { Bill } from '../bills/bill.ts';
import type { ChannelAttempt, ChannelRefundRequest, RefundResult } from '../channels/channel.ts';
import { SandboxChannel } from '../channels/sandbox-adapter.ts';
import { OutboundHttpClient } from '../net/outbound-http.ts';
import type { Refund } from '../refunds/refund.ts';
import { openPostgresStore } from '../storage/postgres-store.ts';
import type { GatewayStore } from '../storage/store.ts';
import { testApp } from '../testing/gateway-harness.ts';
import { createTestDatabase, someoneWaitsForALock } from '../testing/test-database.ts';
import { UnreachableChannel } from '../testing/refusing-channels.ts';
import { ChannelRegistry } from './channel-registry.ts';
import { GatewayCore } from './gateway-core.ts';
import { quietObserver } from './observer.ts';

/** Refunds as the sandbox does and keeps every refund request it is sent; a query answers that it succeeded. */
class RecordingChannel extends SandboxChannel {
  readonly refunded: ChannelRefundRequest[] = [];
  readonly queried: ChannelRefundRequest[] = [];
  constructor() {
    super(() => 'http://127.0.0.1:9');
  }
  override async refund(attempt: ChannelAttempt, refund: ChannelRefundRequest): Promise<RefundResult> {
    this.refunded.push(refund);
    return super.refund(attempt, refund);
  }
  override async queryRefund(_attempt: ChannelAttempt, refund: ChannelRefundRequest): Promise<RefundResult> {
    this.queried.push(refund);
    return { status: 'success', channelRefundNo: 'Q-OK', refundFee: refund.refundFee, finishedAt: 0 };
  }
}

/** Answers every refund `processing` (the channel tells the outcome later). */
class NoticeLaterChannel extends RecordingChannel {
  override async refund(): Promise<RefundResult> {
    return { status: 'processing', channelRefundNo: 'LATER-1' };
  }
}

type Tx = Parameters<Parameters<GatewayStore['transaction']>[0]>[0];

let url: string;
let dropDatabase: () => Promise<void>;
let first: GatewayStore;
let second: GatewayStore;
let app: App;
let logs: Array<[string, string, Record<string, unknown>]>;
let settled: Array<[string, string]>;

beforeEach(async () => {
  const database = await createTestDatabase();
  url = database.url;
  dropDatabase = () => database.drop();
  [first, second] = [await openPostgresStore(url), await openPostgresStore(url)];
  const seed = testApp({ webhookUrl: 'http://127.0.0.1:9/webhook' });
  await first.apps.seedApp(seed);
  app = (await first.apps.findApp(seed.appId))!;
  logs = [];
  settled = [];
});

afterEach(async () => {
  await first.close();
  await second.close();
  await dropDatabase();
});

/** A gateway instance's core over one of the two stores. */
function instance(store: GatewayStore, channel: SandboxChannel = new RecordingChannel(), now?: () => number) {
  return new GatewayCore({
    store,
    now,
    registry: new ChannelRegistry({
      sandbox: channel,
      http: new OutboundHttpClient({ allowPrivateTargets: true }).http,
    }),
    webhooksEnqueued: () => {},
    webhookRetryScale: 0.001,
    publicUrl: () => 'http://127.0.0.1:9',
    log: (level, message, fields) => logs.push([level, message, fields]),
    observer: {
      ...quietObserver,
      refundSettled: (refund, outcome) => settled.push([refund.refundNo, outcome]),
    },
  });
}

let billCount = 0;

async function paidBill(totalFee: number): Promise<Bill> {
  const core = instance(first);
  billCount += 1;
  const { bill } = await core.payments.startPayment({
    app,
    mode: 'test',
    channel: 'WX_NATIVE',
    billNo: `RACE${Date.now()}${billCount}`,
    title: '并发退款',
    totalFee,
  });
  const booked = await core.payments.bookChannelPayment(bill.id, {
    tradeNo: `SANDBOXRACE${billCount}`,
    totalFee,
    paidAt: Date.now(),
    detail: { channel: 'SANDBOX' },
  });
  expect(booked?.outcome).toBe('paid');
  return booked!.bill;
}

/** A transaction step that stops, its transaction open, until `release()`; `reached` settles when it stops. */
function gate() {
  let arrive = () => {};
  let release = () => {};
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    reached,
    release,
    hold: async () => {
      arrive();
      await released;
    },
  };
}

const scope = () => ({ appId: app.appId, mode: 'test' as const });
const paging = { skip: 0, limit: 50 };

describe('refunds on PostgreSQL, two instances', () => {
  it('one refund_no asked for two bills at once: one is recorded, the other refused naming refund_no', async () => {
    const [one, two] = [await paidBill(100), await paidBill(100)];
    const held = gate();
    // The first instance has inserted its pre-refund and holds its transaction open.
    const recorded = instance(first).refunds.createRefund(
      app,
      { refundNo: 'SAME-1', billNo: one.billNo, refundFee: 40, needApproval: true },
      held.hold,
    );
    await held.reached;
    // The second cannot see that uncommitted row when it checks the number, so it gets as far as its insert,
    // which waits on the unique index for the first transaction to end.
    const refused = instance(second).refunds.createRefund(app, {
      refundNo: 'SAME-1',
      billNo: two.billNo,
      refundFee: 30,
      needApproval: true,
    });
    const refusal = refused.catch((error: unknown) => error);
    await expect.poll(() => someoneWaitsForALock(url)).toBe(true);
    held.release();

    expect(await recorded).toMatchObject({
      refundNo: 'SAME-1',
      billNo: one.billNo,
      status: 'pending_approval',
    });
    expect(await refusal).toMatchObject({
      reason: 'prerefund_duplicate',
      subject: 'refund_no',
      message: 'refund SAME-1 already exists',
    });
    const byNumber = await instance(second).refunds.list(scope(), { refundNo: 'SAME-1' }, paging);
    expect(byNumber.map((refund) => [refund.billNo, refund.refundFee])).toEqual([[one.billNo, 40]]);
    expect(await instance(second).refunds.count(scope(), { billNo: two.billNo })).toBe(0);
  });

  it.each([
    { agree: true, done: 'processing', finally: 'succeeded', sent: 1, outcome: 'succeeded' },
    { agree: false, done: 'denied', finally: 'denied', sent: 0, outcome: 'denied' },
  ])(
    'one pre-refund decided on both at once (agree: $agree): decided once, the other answered not_pending',
    async (expected) => {
      const bill = await paidBill(100);
      const pre = await instance(first).refunds.createRefund(app, {
        refundNo: 'DECIDE-1',
        billNo: bill.billNo,
        refundFee: 60,
        needApproval: true,
      });
      const channel = new RecordingChannel();
      const audited: string[] = [];
      const held = gate();
      const decision = { channel: undefined, ids: [pre.id], agree: expected.agree, denyReason: 'no stock' };
      const firstDecision = instance(first, channel).refunds.decidePreRefunds(
        app,
        decision,
        async (_tx, refund) => {
          audited.push(`first:${refund.status}`);
          await held.hold();
        },
      );
      await held.reached;
      // The second still reads the pre-refund as pending, and its move waits on the row the first has changed.
      const secondDecision = instance(second, channel).refunds.decidePreRefunds(
        app,
        decision,
        async (_tx: Tx, refund: Refund) => {
          audited.push(`second:${refund.status}`);
        },
      );
      await expect.poll(() => someoneWaitsForALock(url)).toBe(true);
      held.release();

      expect(await firstDecision).toEqual({ [pre.id]: { ok: true } });
      expect(await secondDecision).toEqual({ [pre.id]: { ok: false, refusal: 'not_pending' } });
      expect(audited).toEqual([`first:${expected.done}`]);
      expect(channel.refunded).toHaveLength(expected.sent);
      expect(settled).toEqual([['DECIDE-1', expected.outcome]]);
      expect(await first.refunds.findById(pre.id)).toMatchObject({ status: expected.finally });
      expect(await first.outbox.all({ transactionType: 'REFUND' })).toHaveLength(expected.sent);
    },
  );

  it('stuck refunds another instance is settling are skipped, not waited for and not sent twice', async () => {
    const bill = await paidBill(100);
    const start = 1_764_002_000_000;
    await expect(
      instance(first, new UnreachableChannel(() => ''), () => start).refunds.createRefund(app, {
        refundNo: 'STUCK-1',
        billNo: bill.billNo,
        refundFee: 100,
        needApproval: false,
      }),
    ).rejects.toMatchObject({ reason: 'channel_unavailable' });

    // The first instance has claimed it and holds its claim open.
    const held = gate();
    let claimed: Refund[] = [];
    const claim = first.transaction(async (tx) => {
      claimed = await tx.refunds.claimProcessing(start, start + 60_000);
      await held.hold();
    });
    await held.reached;
    expect(claimed.map((refund) => refund.refundNo)).toEqual(['STUCK-1']);

    const channel = new RecordingChannel();
    let finished = false;
    const settling = instance(second, channel, () => start + 60_000)
      .refunds.settleProcessing(0)
      .finally(() => (finished = true));
    // Whichever comes first: the second instance done, or waiting on the first one's lock.
    let waited = false;
    while (!finished && !waited) waited = await someoneWaitsForALock(url);
    const outcome = waited ? 'waited for the first instance' : 'finished without it';
    held.release();
    await claim;
    await settling;
    expect(outcome).toBe('finished without it');
    expect(channel.refunded).toEqual([]);
    expect(await first.refunds.findById(claimed[0]!.id)).toMatchObject({ status: 'processing' });
  });

  it('at start, leaves a refund changed less than 30 s ago to the instance sending it; settles it once older', async () => {
    const bill = await paidBill(100);
    const start = 1_764_003_000_000;
    const sent = await instance(first, new NoticeLaterChannel(), () => start).refunds.createRefund(app, {
      refundNo: 'FRESH-1',
      billNo: bill.billNo,
      refundFee: 100,
      needApproval: false,
    });
    expect(sent).toMatchObject({ status: 'processing', channelRefundNo: 'LATER-1' });

    const channel = new RecordingChannel();
    await instance(second, channel, () => start + 29_999).refunds.resumeUnfinished();
    expect(channel.queried).toEqual([]);
    expect(await second.refunds.findById(sent.id)).toMatchObject({ status: 'processing' });

    await instance(second, channel, () => start + 30_000).refunds.resumeUnfinished();
    expect(channel.queried).toHaveLength(1);
    expect(await second.refunds.findById(sent.id)).toMatchObject({
      status: 'succeeded',
      channelRefundNo: 'Q-OK',
    });
  });
});
