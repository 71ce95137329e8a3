/**
 * The payment use cases (core/payments.ts) and the bill rules under them (storage/bill-store.ts), driven directly
 * against a real migrated store (SQLite, or PostgreSQL under npm run test:postgres) with the gateway's clock held
 * still: what an attempt is created with, how a payment is booked (first paid wins, siblings closed, the PAY
 * webhook), late and duplicate payments, amount mismatches, closing and expiry, live attempts closed at their
 * channel, and the bill list's filters. The live channel here is a real implementation of the channel contract
 * that keeps its payments in memory (no module mock).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App, AppMode } from '../apps/app.ts';
import { testApp } from '../testing/test-app.ts';
import type { Bill } from '../bills/bill.ts';
import type {
  ChannelAdapter,
  ChannelAttempt,
  ChannelFamily,
  ChannelUrls,
  PaymentQueryResult,
  PaymentStart,
  RefundResult,
} from '../channels/channel.ts';
import type { ButtonChannel } from '../channels/channels.ts';
import { SandboxChannel } from '../channels/sandbox-adapter.ts';
import { OutboundHttpClient } from '../net/outbound-http.ts';
import type { GatewayStore } from '../storage/store.ts';
import { openTestStore } from '../testing/test-database.ts';
import { ChannelRegistry } from './channel-registry.ts';
import { BillEvents } from '../bills/bill-events.ts';
import { Coupons } from './coupons.ts';
import type { CoreDeps } from './core-deps.ts';
import { Refunds } from './refunds.ts';
import { Users } from './users.ts';
import { quietObserver, type BillEvent, type GatewayObserver } from './observer.ts';
import {
  defaultQrBillTimeoutSeconds,
  defaultScanBillTimeoutSeconds,
  Payments,
  type PaymentRequest,
} from './payments.ts';

/** A live ALI family that keeps its payments in memory and can be told to fail. */
const counter = {
  created: [] as string[],
  /** What the channel was asked to charge: the payer's IP and where it notifies and sends the payer back. */
  asked: [] as Array<{ payerIp: string | null; notifyUrl: string; returnUrl: string }>,
  closed: [] as string[],
  failCreate: false,
  failClose: false,
};

class CounterAdapter implements ChannelAdapter {
  readonly family = 'ALI' as const;
  async createPayment(attempt: ChannelAttempt, urls: ChannelUrls): Promise<PaymentStart> {
    if (counter.failCreate) throw new Error('counter is down');
    counter.created.push(attempt.billId);
    counter.asked.push({ payerIp: attempt.payerIp, notifyUrl: urls.notifyUrl, returnUrl: urls.returnUrl });
    return { action: 'redirect', url: 'https://counter.invalid/pay', method: 'GET', param: {} };
  }
  async parseNotify(): Promise<never> {
    throw new Error('the counter sends no notifies');
  }
  notifyAnswer(accepted: boolean) {
    return { status: accepted ? 200 : 400, contentType: 'text/plain', body: accepted ? 'ok' : 'no' };
  }
  async queryPayment(): Promise<PaymentQueryResult> {
    return { status: 'open' } as PaymentQueryResult;
  }
  async closePayment(attempt: ChannelAttempt): Promise<void> {
    if (counter.failClose) throw new Error('counter cannot close now');
    counter.closed.push(attempt.billId);
  }
  async refund(): Promise<RefundResult> {
    return { status: 'failed', reason: 'the counter does not refund' };
  }
  async queryRefund(): Promise<RefundResult> {
    return { status: 'failed', reason: 'the counter does not refund' };
  }
}

const counterFamily: ChannelFamily<{ shop: string }> = {
  family: 'ALI',
  channels: ['ALI_WEB', 'ALI_WAP', 'ALI_QRCODE'],
  parseSettings: (input) => input as { shop: string },
  maskSettings: (settings) => ({ shop: settings.shop }),
  createAdapter: () => new CounterAdapter(),
};

let dataDir: string;
let store: GatewayStore;
let app: App;
let liveApp: App;
let clock: number;
let wakes: number;
let logs: Array<{ level: string; message: string; fields: Record<string, unknown> }>;
let observed: Array<[string, BillEvent]>;
let changed: Bill[];
let late: Bill[];
let core: TestCore;

/** The use cases these tests drive, over one store and one set of bill events (as GatewayCore wires them). */
interface TestCore {
  events: BillEvents;
  payments: Payments;
  refunds: Refunds;
  coupons: Coupons;
  users: Users;
}

function coreOver(
  sandbox: SandboxChannel,
  options: { allowPrivateTargets?: boolean; log?: CoreDeps['log'] } = {},
): TestCore {
  const deps: CoreDeps = {
    store,
    registry: new ChannelRegistry({
      sandbox,
      http: new OutboundHttpClient({ allowPrivateTargets: true }).http,
      families: [counterFamily],
    }),
    events: new BillEvents(),
    webhooksEnqueued: () => {
      wakes += 1;
    },
    webhookRetryScale: 0.001,
    publicUrl: () => 'http://gateway.test',
    log: options.log ?? ((level, message, fields) => logs.push({ level, message, fields })),
    now: () => clock,
    allowPrivateTargets: options.allowPrivateTargets ?? true,
    observer,
  };
  return {
    events: deps.events,
    payments: new Payments(deps, { reconcileAfterMs: 30_000 }),
    refunds: new Refunds(deps),
    coupons: new Coupons(deps),
    users: new Users(deps),
  };
}

const observer: GatewayObserver = {
  ...quietObserver,
  billEvent: (bill, event) => {
    observed.push([bill.id, event]);
  },
};

function newCore(options: { allowPrivateTargets?: boolean } = {}): TestCore {
  const made = coreOver(new SandboxChannel(() => 'http://127.0.0.1:9'), options);
  made.events.onLocalBillChange((bill) => changed.push(bill));
  made.events.onLatePayment((bill) => late.push(bill));
  return made;
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'spay-payments-'));
  store = await openTestStore(dataDir);
  const seed = testApp({ webhookUrl: 'https://shop.test/webhook', channels: ['ali', 'wxmp', 'wx', 'un'] });
  await store.apps.seedApp(seed);
  app = (await store.apps.findApp(seed.appId))!;
  const liveSeed = testApp({
    mode: 'live',
    channels: ['ali'],
    liveWebhookUrl: 'https://shop.test/live-webhook',
    channelSettings: { ALI: { shop: 'counter-1' } },
  });
  await store.apps.seedApp(liveSeed);
  liveApp = (await store.apps.findApp(liveSeed.appId))!;
  clock = 1_800_000_000_000;
  wakes = 0;
  logs = [];
  observed = [];
  changed = [];
  late = [];
  counter.created = [];
  counter.asked = [];
  counter.closed = [];
  counter.failCreate = false;
  counter.failClose = false;
  core = newCore();
});

afterEach(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

let billNoSeq = 0;
function billNo(): string {
  billNoSeq += 1;
  return `PAY${billNoSeq}${Math.floor(Math.random() * 1e6)}`;
}

function request(overrides: Partial<PaymentRequest> = {}): PaymentRequest {
  return {
    app,
    mode: 'test' as AppMode,
    channel: 'WX_NATIVE',
    billNo: billNo(),
    title: '一杯咖啡',
    totalFee: 1200,
    ...overrides,
  };
}

async function pay(bill: Bill, tradeNo = `T-${bill.id.slice(0, 8)}`, totalFee = bill.totalFee) {
  return core.payments.bookChannelPayment(bill.id, {
    tradeNo,
    totalFee,
    paidAt: clock + 5,
    detail: { channel_says: 'paid', tradeNo },
  });
}

async function payWebhooks(appId = app.appId) {
  return store.outbox.all({ appId, transactionType: 'PAY' });
}

/** One column as stored, read from the SQLite file (for what no gateway answer shows: the operator reads it there). */
/** A value as another process reads the file: once what was written is durable (as before any answer). */
async function sqliteValue(query: string, id: string): Promise<unknown> {
  await store.durable();
  const db = new Database(join(dataDir, 'gateway.sqlite'), { readonly: true });
  try {
    const row = db.prepare(query).pluck().get(id);
    return row;
  } finally {
    db.close();
  }
}

/** The notice kept on the bill for the operator. */
async function flaggedNotice(billId: string): Promise<unknown> {
  if (store.engine !== 'sqlite') return 'not read on this engine';
  const notice = (await sqliteValue('SELECT flagged_notice FROM bills WHERE id = ?', billId)) as
    string | null;
  return notice === null ? null : JSON.parse(notice);
}

describe('starting a payment', () => {
  it('creates an attempt with what the merchant sent, timed by its channel, and announces it', async () => {
    const sent = request({
      channel: 'WX_NATIVE',
      returnUrl: 'https://shop.test/back',
      notifyUrl: 'https://shop.test/notify',
      optional: { table: '7' },
      openid: 'o-payer',
    });
    const { bill, start } = await core.payments.startPayment(sent);
    expect(bill).toMatchObject({
      appId: app.appId,
      billNo: sent.billNo,
      mode: 'test',
      channel: 'WX',
      subChannel: 'WX_NATIVE',
      title: '一杯咖啡',
      totalFee: 1200,
      returnUrl: 'https://shop.test/back',
      notifyUrl: 'https://shop.test/notify',
      optional: { table: '7' },
      openid: 'o-payer',
      status: 'open',
      spayResult: false,
      tradeNo: null,
      channelDetail: null,
      createTime: clock,
      paidTime: null,
      closedTime: null,
      expiresAt: clock + defaultQrBillTimeoutSeconds * 1000,
      refundRequired: false,
      version: 0,
      reconcileCount: 0,
    });
    expect(defaultQrBillTimeoutSeconds).toBe(7200);
    expect(start.action).toBe('qr');
    expect(await store.bills.findBill(bill.id)).toEqual(bill);
    expect(await store.bills.findOrder(app.appId, 'test', sent.billNo)).toEqual({
      appId: app.appId,
      mode: 'test',
      billNo: sent.billNo,
      title: '一杯咖啡',
      totalFee: 1200,
      status: 'open',
      paidBillId: null,
    });
    expect(changed.map((b) => b.id)).toEqual([bill.id]);
    expect(observed).toEqual([[bill.id, 'created']]);
    expect(logs).toContainEqual({
      level: 'info',
      message: 'bill created',
      fields: {
        billId: bill.id,
        appId: app.appId,
        billNo: sent.billNo,
        channel: 'WX_NATIVE',
        totalFee: 1200,
      },
    });
    // First reconciliation 30 s after creation: not due before, due then.
    expect(await store.bills.dueForReconciliation(clock + 29_999, 10)).toEqual([]);
    expect((await store.bills.dueForReconciliation(clock + 30_000, 10)).map((b) => b.id)).toEqual([bill.id]);
  });

  it('stores absent fields as null, and times payment codes 5 minutes, redirects never, bill_timeout as sent', async () => {
    const redirect = await core.payments.openAttempt(request({ channel: 'ALI_WEB' }));
    expect(redirect).toMatchObject({
      channel: 'ALI',
      expiresAt: null,
      returnUrl: null,
      notifyUrl: null,
      optional: null,
      openid: null,
    });
    const scan = await core.payments.openAttempt(request({ channel: 'WX_SCAN', reconcileAfterMs: 2000 }));
    expect(defaultScanBillTimeoutSeconds).toBe(300);
    expect(scan.expiresAt).toBe(clock + 300_000);
    expect((await store.bills.dueForReconciliation(clock + 1999, 10)).map((b) => b.id)).toEqual([]);
    expect((await store.bills.dueForReconciliation(clock + 2000, 10)).map((b) => b.id)).toEqual([scan.id]);
    const timed = await core.payments.openAttempt(request({ channel: 'ALI_WEB', billTimeoutSeconds: 90 }));
    expect(timed.expiresAt).toBe(clock + 90_000);
    const qrTimed = await core.payments.openAttempt(
      request({ channel: 'WX_NATIVE', billTimeoutSeconds: 60 }),
    );
    expect(qrTimed.expiresAt).toBe(clock + 60_000);
  });

  it('refuses a channel the app does not enable and a private notify_url, naming the field', async () => {
    const narrow = testApp({ channels: ['un'] });
    await store.apps.seedApp(narrow);
    const unApp = (await store.apps.findApp(narrow.appId))!;
    const refused = core.payments.startPayment(request({ app: unApp, channel: 'ALI_WEB' }));
    await expect(refused).rejects.toMatchObject({
      reason: 'channel_not_enabled',
      subject: 'channel',
      message: 'ALI_WEB is not enabled for this app',
    });
    const strict = newCore({ allowPrivateTargets: false });
    const privateTarget = request({ notifyUrl: 'http://127.0.0.1/notify' });
    await expect(strict.payments.startPayment(privateTarget)).rejects.toMatchObject({
      reason: 'target_refused',
      subject: 'notify_url',
    });
    // Nothing was created for either.
    expect(await store.bills.attemptsOf(app.appId, 'test', privateTarget.billNo)).toEqual([]);
    expect(await core.payments.countBills({ appId: unApp.appId, mode: 'test' }, {})).toBe(0);
    const publicTarget = await strict.payments.startPayment(request({ notifyUrl: 'https://shop.test/n' }));
    expect(publicTarget.bill.notifyUrl).toBe('https://shop.test/n');
    const noTarget = await strict.payments.startPayment(request());
    expect(noTarget.bill.notifyUrl).toBeNull();
  });

  it("asks the channel with the payer's IP and the gateway's notify and return URLs", async () => {
    const { bill } = await core.payments.startPayment(
      request({ app: liveApp, mode: 'live', channel: 'ALI_WEB', payerIp: '203.0.113.9' }),
    );
    await core.payments.startPayment(request({ app: liveApp, mode: 'live', channel: 'ALI_WAP' }));
    expect(counter.asked).toEqual([
      {
        payerIp: '203.0.113.9',
        notifyUrl: `http://gateway.test/notify/ali/${liveApp.appId}`,
        returnUrl: `http://gateway.test/1/pay/jsbutton/result/${bill.id}`,
      },
      expect.objectContaining({ payerIp: null }),
    ]);
  });

  it('closes the attempt when its channel refuses it and answers channel_refused', async () => {
    counter.failCreate = true;
    const sent = request({ app: liveApp, mode: 'live', channel: 'ALI_WEB' });
    await expect(core.payments.startPayment(sent)).rejects.toMatchObject({
      reason: 'channel_refused',
      subject: 'channel',
      message: 'ALI_WEB did not accept the payment, try another channel',
    });
    const [attempt] = await store.bills.attemptsOf(liveApp.appId, 'live', sent.billNo);
    expect(attempt).toMatchObject({ status: 'closed', closedTime: clock });
    expect(logs).toContainEqual({
      level: 'error',
      message: 'channel refused the payment',
      fields: { billId: attempt!.id, err: 'Error: counter is down' },
    });
    // The order can still be paid on a new attempt once the channel is back.
    counter.failCreate = false;
    const { bill } = await core.payments.startPayment(sent);
    expect(counter.created).toEqual([bill.id]);
    expect((await pay(bill))?.outcome).toBe('paid');
  });

  it('opens further attempts of an order with its amount and title only, never on a paid order', async () => {
    const first = request();
    const one = await core.payments.openAttempt(first);
    clock += 1;
    const two = await core.payments.openAttempt({ ...first, channel: 'ALI_WEB' });
    expect(two.id).not.toBe(one.id);
    expect((await store.bills.attemptsOf(app.appId, 'test', first.billNo)).map((b) => b.id)).toEqual([
      one.id,
      two.id,
    ]);
    await expect(core.payments.openAttempt({ ...first, totalFee: 1201 })).rejects.toMatchObject({
      reason: 'order_conflict',
      subject: 'amount',
      message: `order ${first.billNo} already exists with amount 1200`,
    });
    await expect(core.payments.openAttempt({ ...first, title: '两杯咖啡' })).rejects.toMatchObject({
      reason: 'order_conflict',
      subject: 'title',
      message: `order ${first.billNo} already exists with another title`,
    });
    // The same bill_no in live mode is another order.
    const live = await core.payments.openAttempt({
      ...first,
      app: liveApp,
      mode: 'live',
      channel: 'ALI_WEB',
    });
    expect(live.mode).toBe('live');
    expect((await pay(two))?.outcome).toBe('paid');
    await expect(core.payments.openAttempt(first)).rejects.toMatchObject({
      reason: 'order_paid',
      subject: 'bill_no',
      message: `order ${first.billNo} is already paid`,
    });
    expect(await store.bills.attemptsOf(app.appId, 'test', first.billNo)).toHaveLength(2);
  });

  it('keeps the extras and the currency with the attempt', async () => {
    const withBuyer = await core.payments.openAttempt(
      request({ extras: { buyerId: 'buyer-1', analysis: { ip: 'x' } }, currency: 'USD' }),
    );
    const plain = await core.payments.openAttempt(request());
    const empty = await core.payments.openAttempt(request({ extras: {} }));
    const buyerOnly = await core.payments.openAttempt(request({ extras: { buyerId: 'buyer-2' } }));
    const analysisOnly = await core.payments.openAttempt(request({ extras: { analysis: { ua: 'phone' } } }));
    expect(await store.bills.extrasOf([buyerOnly.id, analysisOnly.id])).toEqual(
      new Map([
        [buyerOnly.id, { buyerId: 'buyer-2', couponId: null, billFee: null, discount: null }],
        [analysisOnly.id, { buyerId: null, couponId: null, billFee: null, discount: null }],
      ]),
    );
    expect(await store.bills.buyerIds([analysisOnly.id])).toEqual(new Map());
    if (store.engine === 'sqlite') {
      expect(await sqliteValue('SELECT analysis FROM bill_extras WHERE bill_id = ?', withBuyer.id)).toBe(
        '{"ip":"x"}',
      );
      expect(
        await sqliteValue('SELECT analysis FROM bill_extras WHERE bill_id = ?', buyerOnly.id),
      ).toBeNull();
    }
    expect(await store.international.currencyOf(withBuyer.id)).toBe('USD');
    expect(await store.international.currencyOf(plain.id)).toBeUndefined();
    const extras = await store.bills.extrasOf([withBuyer.id, plain.id, empty.id]);
    expect([...extras.entries()]).toEqual([
      [withBuyer.id, { buyerId: 'buyer-1', couponId: null, billFee: null, discount: null }],
    ]);
    expect(await store.bills.buyerIds([withBuyer.id, plain.id])).toEqual(
      new Map([[withBuyer.id, 'buyer-1']]),
    );
    expect(await store.bills.buyerIds([])).toEqual(new Map());
    expect(await store.bills.extrasOf([])).toEqual(new Map());
    const [view] = await core.payments.views([withBuyer]);
    expect(view).toEqual({
      bill: withBuyer,
      refunded: false,
      buyerId: 'buyer-1',
      couponId: null,
      billFee: 1200,
      discount: 0,
    });
  });
});

describe('booking a payment', () => {
  it('pays the attempt and its order, closes the open siblings and queues one PAY webhook', async () => {
    const sent = request({ optional: { table: '7' }, notifyUrl: 'https://shop.test/notify' });
    const paid = await core.payments.openAttempt(sent);
    clock += 1000;
    const sibling = await core.payments.openAttempt({ ...sent, channel: 'ALI_WEB' });
    const other = await core.payments.openAttempt(request());
    changed = [];
    observed = [];
    clock += 1000;
    const booked = await pay(paid, 'T-1');
    expect(booked?.outcome).toBe('paid');
    expect(booked?.bill).toMatchObject({
      id: paid.id,
      status: 'paid',
      spayResult: true,
      tradeNo: 'T-1',
      paidTime: clock + 5,
      channelDetail: { channel_says: 'paid', tradeNo: 'T-1' },
      refundRequired: false,
      version: 1,
    });
    expect(await store.bills.findOrder(app.appId, 'test', sent.billNo)).toMatchObject({
      status: 'paid',
      paidBillId: paid.id,
    });
    expect(await store.bills.findBill(sibling.id)).toMatchObject({
      status: 'closed',
      closedTime: clock,
      version: 1,
    });
    expect((await store.bills.findBill(other.id))?.status).toBe('open');
    // A test-mode sibling is not closed at a channel: nothing pending.
    expect(await store.bills.pendingChannelCloses(clock + 1e9, 10)).toEqual([]);
    // Paid: no more reconciliation.
    expect((await store.bills.dueForReconciliation(clock + 1e9, 10)).map((b) => b.id)).toEqual([other.id]);

    const [webhook] = await payWebhooks();
    expect(await payWebhooks()).toHaveLength(1);
    expect(webhook).toMatchObject({
      bill_id: paid.id,
      transaction_id: sent.billNo,
      target_url: 'https://shop.test/notify',
      status: 'pending',
    });
    const body = JSON.parse(webhook!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      transaction_type: 'PAY',
      transaction_id: sent.billNo,
      channel_type: 'WX',
      sub_channel_type: 'WX_NATIVE',
      transaction_fee: 1200,
      trade_success: true,
      optional: { table: '7' },
      message_detail: { channel_says: 'paid', tradeNo: 'T-1' },
    });
    expect(body).not.toHaveProperty('coupon_id');
    expect(wakes).toBe(1);
    expect(changed.map((b) => [b.id, b.status])).toEqual([
      [paid.id, 'paid'],
      [sibling.id, 'closed'],
    ]);
    expect(observed).toEqual([
      [paid.id, 'paid'],
      [sibling.id, 'closed'],
    ]);
    expect(late).toEqual([]);
    expect(logs).toContainEqual({
      level: 'info',
      message: 'payment recorded',
      fields: {
        billId: paid.id,
        appId: app.appId,
        billNo: sent.billNo,
        outcome: 'paid',
        tradeNo: 'T-1',
        closedAttempts: [sibling.id],
      },
    });
  });

  it('answers nothing for an unknown bill and books no other amount, keeping it for the operator', async () => {
    expect(
      await core.payments.bookChannelPayment('00000000-0000-4000-8000-000000000000', {
        tradeNo: 'T',
        totalFee: 1,
        paidAt: clock,
        detail: {},
      }),
    ).toBeUndefined();
    const bill = await core.payments.openAttempt(request());
    const booked = await pay(bill, 'T-LESS', 1199);
    expect(booked).toEqual({ outcome: 'amount_mismatch', bill });
    expect(await store.bills.findBill(bill.id)).toEqual(bill);
    expect((await store.bills.findOrder(app.appId, 'test', bill.billNo))?.status).toBe('open');
    expect(await payWebhooks()).toEqual([]);
    expect(wakes).toBe(0);
    const notice = await flaggedNotice(bill.id);
    if (store.engine === 'sqlite') {
      expect(notice).toEqual({
        reported_total_fee: 1199,
        trade_no: 'T-LESS',
        paid_at: clock + 5,
        detail: { channel_says: 'paid', tradeNo: 'T-LESS' },
        flagged_at: clock,
      });
    }
    expect(logs).toContainEqual({
      level: 'warn',
      message: 'channel reported another amount: not booked',
      fields: { billId: bill.id, appId: app.appId, billFee: 1200, reportedFee: 1199, tradeNo: 'T-LESS' },
    });
    // The right amount afterwards is booked.
    expect((await pay(bill, 'T-RIGHT'))?.outcome).toBe('paid');
  });

  it('records a second payment under another trade number for refund, and the same one again never', async () => {
    const bill = await core.payments.openAttempt(request());
    await pay(bill, 'T-FIRST');
    logs = [];
    const again = await pay(bill, 'T-FIRST');
    expect(again?.outcome).toBe('already_paid');
    expect(again?.bill.tradeNo).toBe('T-FIRST');
    expect(await store.duplicatePayments.awaitingRefund(app.appId)).toEqual([]);
    expect(logs.map((l) => l.message)).toEqual(['payment recorded']);
    const twice = await pay(bill, 'T-SECOND');
    expect(twice?.outcome).toBe('already_paid');
    expect(await store.duplicatePayments.awaitingRefund(app.appId)).toEqual([
      {
        billId: bill.id,
        appId: app.appId,
        tradeNo: 'T-SECOND',
        totalFee: 1200,
        detail: { channel_says: 'paid', tradeNo: 'T-SECOND' },
        receivedAt: clock,
        refundRequired: true,
      },
    ]);
    expect(logs.at(-1)?.message).toBe('second payment for a paid attempt recorded for refund');
    expect(await payWebhooks()).toHaveLength(1);
    expect(wakes).toBe(1);
    expect(late).toEqual([]);
  });

  it('records money for a closed attempt, or for an attempt of a paid order, as a late payment to refund', async () => {
    const sent = request();
    const closedOne = await core.payments.openAttempt(sent);
    await core.payments.closeAttempt(closedOne.id);
    changed = [];
    const lateOne = await pay(closedOne, 'T-LATE');
    expect(lateOne?.outcome).toBe('late_payment');
    expect(lateOne?.bill).toMatchObject({
      status: 'closed',
      spayResult: true,
      tradeNo: 'T-LATE',
      paidTime: clock + 5,
      refundRequired: true,
      channelDetail: { channel_says: 'paid', tradeNo: 'T-LATE' },
      version: 2,
    });
    expect(late.map((b) => b.id)).toEqual([closedOne.id]);
    expect(changed.map((b) => b.id)).toEqual([closedOne.id]);
    expect(logs.at(-1)).toMatchObject({
      message: 'late payment recorded for refund',
      fields: { outcome: 'late_payment', tradeNo: 'T-LATE', closedAttempts: [] },
    });
    // The order stays unpaid: a late payment pays nothing.
    expect((await store.bills.findOrder(app.appId, 'test', sent.billNo))?.status).toBe('open');

    // Two open attempts of one order, both paid: the second is late (the order is paid).
    const order = request();
    const a = await core.payments.openAttempt(order);
    const b = await core.payments.openAttempt({ ...order, channel: 'ALI_WEB' });
    clock -= 10_000;
    await pay(a, 'T-A');
    clock += 20_000;
    // b was closed by a's payment: its money is late too (paid after closedOne's).
    expect((await pay(b, 'T-B'))?.outcome).toBe('late_payment');
    expect((await store.bills.awaitingRefund()).map((bill) => bill.id)).toEqual([closedOne.id, b.id]);
    // Late payments are recorded once: the store rule answers whether it recorded one.
    expect(await store.bills.markLatePayment(b, { tradeNo: 'T-B2', paidAt: clock, detail: {} })).toBe(false);
    const closedAgain = await core.payments.openAttempt(request());
    await core.payments.closeAttempt(closedAgain.id);
    expect(
      await store.bills.markLatePayment(closedAgain, { tradeNo: 'T-C', paidAt: clock, detail: {} }),
    ).toBe(true);
    // No such order or attempt: nothing, or a refusal inside a transaction that expected it.
    expect(await store.bills.findOrder(app.appId, 'test', 'NO-SUCH-ORDER')).toBeUndefined();
    await expect(store.bills.requireBill('00000000-0000-4000-8000-000000000000')).rejects.toThrow(
      'bill 00000000-0000-4000-8000-000000000000 vanished inside its transaction',
    );
    expect((await store.bills.findBill(b.id))?.tradeNo).toBe('T-B');
    expect(await payWebhooks()).toHaveLength(1);
  });

  it('treats an attempt still open on a paid order as late (another instance paid the order)', async () => {
    const order = request();
    const a = await core.payments.openAttempt(order);
    const b = await core.payments.openAttempt({ ...order, channel: 'ALI_WEB' });
    // The order is paid by a without closing b (as if b had been opened in a race): b's money is late.
    await store.transaction(async (tx) => {
      expect(await tx.bills.markPaid(a, { tradeNo: 'T-A', paidAt: clock, detail: {} })).toBe(true);
      await tx.bills.markOrderPaid(app.appId, 'test', order.billNo, a.id);
    });
    expect(await store.bills.markPaid(a, { tradeNo: 'T-A2', paidAt: clock, detail: {} })).toBe(false);
    const booked = await pay(b, 'T-B');
    expect(booked?.outcome).toBe('late_payment');
    expect(booked?.bill).toMatchObject({ status: 'open', refundRequired: true, spayResult: true });
    expect(late.map((bill) => bill.id)).toEqual([b.id]);
  });

  it('closes the live siblings at their channel after the payment, retried when the channel was down', async () => {
    const sent = request({ app: liveApp, mode: 'live', channel: 'ALI_WEB' });
    const { bill: one } = await core.payments.startPayment(sent);
    const { bill: two } = await core.payments.startPayment({ ...sent, channel: 'ALI_WAP' });
    const { bill: three } = await core.payments.startPayment({ ...sent, channel: 'ALI_WAP' });
    counter.failClose = true;
    expect((await pay(one, 'T-LIVE'))?.outcome).toBe('paid');
    await expect.poll(() => logs.filter((l) => l.message.startsWith('closing the payment')).length).toBe(2);
    expect(logs.find((l) => l.message === 'closing the payment at its channel failed')).toMatchObject({
      level: 'warn',
      fields: { err: 'Error: counter cannot close now' },
    });
    const pending = await store.bills.pendingChannelCloses(clock, 10);
    expect(pending.map((b) => b.id).sort()).toEqual([two.id, three.id].sort());
    expect(await store.bills.pendingChannelCloses(clock - 1, 10)).toEqual([]);
    expect(await store.bills.findBill(two.id)).toMatchObject({ status: 'closed', reconcileCount: 0 });
    const [webhook] = await payWebhooks(liveApp.appId);
    expect(webhook?.target_url).toBe('https://shop.test/live-webhook');

    // Asked again while the channel is still down: not confirmed.
    expect(await core.payments.closeAtChannel(two)).toBe(false);
    counter.failClose = false;
    expect(await core.payments.closeAtChannel(two)).toBe(true);
    expect(counter.closed).toEqual([two.id]);
    expect((await store.bills.pendingChannelCloses(clock + 1e9, 10)).map((b) => b.id)).toEqual([three.id]);
    // An app that vanished closes nothing, and that is no channel failure to warn about.
    const warnings = logs.filter((l) => l.level === 'warn').length;
    expect(await core.payments.closeAtChannel({ ...three, appId: 'no-such-app' })).toBe(false);
    expect(logs.filter((l) => l.level === 'warn')).toHaveLength(warnings);
  });

  it('refunds a live payment at its own channel, recording the refund under that channel’s name', async () => {
    const { bill } = await core.payments.startPayment(
      request({ app: liveApp, mode: 'live', channel: 'ALI_WEB' }),
    );
    const paid = await pay(bill, 'T-LIVE-REFUND');
    expect(paid?.outcome).toBe('paid');
    // The counter declines refunds: what it said is kept on the refund, named after the live channel.
    await expect(
      core.refunds.createRefund(liveApp, {
        refundNo: 'LIVE-REFUND-1',
        billNo: bill.billNo,
        refundFee: 200,
        needApproval: false,
      }),
    ).rejects.toMatchObject({ reason: 'refund_refused', subject: 'refund_no' });
    const [refund] = await core.refunds.list(
      { appId: liveApp.appId, mode: 'live' },
      {},
      { skip: 0, limit: 10 },
    );
    expect(refund).toMatchObject({
      status: 'failed',
      mode: 'live',
      channel: 'ALI',
      subChannel: 'ALI_WEB',
      refundFee: 200,
    });
    expect(refund!.channelDetail).toEqual({
      channel: 'ALI',
      bill_id: bill.id,
      trade_no: 'T-LIVE-REFUND',
      refund_no: 'LIVE-REFUND-1',
      refund_fee: 200,
      error: 'the counter does not refund',
    });
  });
});

describe('paying with a coupon', () => {
  async function couponFor(buyerId: string, discountFee: number) {
    const scope = { appId: app.appId, mode: 'test' as const };
    await core.users.register(scope, buyerId);
    const template = await core.coupons.createTemplate(scope, {
      name: '立减',
      kind: 'fixed',
      limitFee: 0,
      discountFee,
      ratePermille: 0,
      totalCount: 0,
      maxCountPerUser: 0,
      expiryType: 1,
      startTime: clock - 1000,
      endTime: clock + 86_400_000,
      deliveryValidDays: 0,
      status: 1,
      mchAccount: '',
    });
    return core.coupons.issue(scope, template.id, buyerId);
  }

  it('charges the discounted amount, tells the webhook the order amount and discount, and uses the coupon', async () => {
    const coupon = await couponFor('buyer-c', 200);
    const sent = request({ extras: { buyerId: 'buyer-c', couponId: coupon.id } });
    const discounted = await core.payments.openAttempt(sent);
    const full = await core.payments.openAttempt({
      ...sent,
      channel: 'ALI_WEB',
      extras: { buyerId: 'buyer-c' },
    });
    expect(discounted.totalFee).toBe(1000);
    expect(full.totalFee).toBe(1200);
    expect((await store.bills.findOrder(app.appId, 'test', sent.billNo))?.totalFee).toBe(1200);
    expect(await store.bills.openAttemptsWithCoupon(app.appId, 'test', sent.billNo, coupon.id)).toBe(1);
    expect(await store.bills.openAttemptsWithCoupon(app.appId, 'live', sent.billNo, coupon.id)).toBe(0);
    const views = await core.payments.views([discounted, full]);
    expect(
      views.map(({ couponId, billFee, discount, buyerId }) => ({ couponId, billFee, discount, buyerId })),
    ).toEqual([
      { couponId: coupon.id, billFee: 1200, discount: 200, buyerId: 'buyer-c' },
      { couponId: null, billFee: 1200, discount: 0, buyerId: 'buyer-c' },
    ]);
    expect((await pay(discounted, 'T-C'))?.outcome).toBe('paid');
    const [webhook] = await payWebhooks();
    expect(JSON.parse(webhook!.body)).toMatchObject({
      transaction_fee: 1000,
      bill_fee: 1200,
      discount: 200,
      coupon_id: coupon.id,
    });
    expect(await store.coupons.findCoupon(coupon.id)).toMatchObject({
      status: 'used',
      paidBillId: discounted.id,
    });
    expect(await store.bills.openAttemptsWithCoupon(app.appId, 'test', sent.billNo, coupon.id)).toBe(0);
  });

  it('gives the coupon back when its attempt closes or expires unpaid', async () => {
    const coupon = await couponFor('buyer-d', 300);
    const sent = request({ extras: { buyerId: 'buyer-d', couponId: coupon.id }, billTimeoutSeconds: 60 });
    const first = await core.payments.openAttempt(sent);
    expect(await store.coupons.findCoupon(coupon.id)).toMatchObject({
      status: 'used',
      orderBillNo: sent.billNo,
    });
    expect((await core.payments.closeAttempt(first.id))?.status).toBe('closed');
    expect(await store.coupons.findCoupon(coupon.id)).toMatchObject({ status: 'unused', orderBillNo: null });
    const second = await core.payments.openAttempt(sent);
    expect(second.totalFee).toBe(900);
    clock += 60_000;
    expect((await core.payments.expireDueAttempts()).map((b) => b.id)).toEqual([second.id]);
    expect((await store.coupons.findCoupon(coupon.id))?.status).toBe('unused');
  });
});

describe('closing and expiring attempts', () => {
  it('closes an open attempt once, announcing it unless told not to', async () => {
    const bill = await core.payments.openAttempt(request());
    changed = [];
    observed = [];
    await store.bills.scheduleReconciliation(bill.id, clock + 60_000, 2);
    const closed = await core.payments.closeAttempt(bill.id, 'closed', { announce: false });
    expect(closed?.reconcileCount).toBe(0);
    expect(closed).toMatchObject({ id: bill.id, status: 'closed', closedTime: clock, version: 1 });
    expect(changed).toEqual([]);
    expect(observed).toEqual([[bill.id, 'closed']]);
    expect(logs.at(-1)).toEqual({
      level: 'info',
      message: 'bill closed',
      fields: { billId: bill.id, appId: app.appId, status: 'closed' },
    });
    expect(await core.payments.closeAttempt(bill.id)).toBeUndefined();
    expect(await core.payments.closeAttempt('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(observed).toHaveLength(1);
    // Closed: no reconciliation, and not closed at a channel (test mode).
    expect(await store.bills.dueForReconciliation(clock + 1e9, 10)).toEqual([]);
    expect(await store.bills.pendingChannelCloses(clock + 1e9, 10)).toEqual([]);

    const announced = await core.payments.openAttempt(request());
    changed = [];
    await core.payments.closeAttempt(announced.id);
    expect(changed.map((b) => [b.id, b.status])).toEqual([[announced.id, 'closed']]);
  });

  it('closes a live attempt at its channel too', async () => {
    const { bill } = await core.payments.startPayment(
      request({ app: liveApp, mode: 'live', channel: 'ALI_WEB' }),
    );
    const closed = await core.payments.closeAttempt(bill.id);
    expect(closed?.status).toBe('closed');
    await expect.poll(() => counter.closed).toEqual([bill.id]);
    expect(await store.bills.pendingChannelCloses(clock + 1e9, 10)).toEqual([]);
  });

  it('expires the attempts whose time is up, and finds an attempt past its time expired', async () => {
    const due = await core.payments.openAttempt(request({ billTimeoutSeconds: 60 }));
    const later = await core.payments.openAttempt(request({ billTimeoutSeconds: 61 }));
    const never = await core.payments.openAttempt(request({ channel: 'ALI_WEB' }));
    clock += 59_999;
    expect(await core.payments.expireDueAttempts()).toEqual([]);
    expect((await core.payments.findBill(due.id))?.status).toBe('open');
    clock += 1;
    const expired = await core.payments.expireDueAttempts();
    expect(expired.map((b) => [b.id, b.status, b.closedTime])).toEqual([[due.id, 'expired', clock]]);
    expect(observed.at(-1)).toEqual([due.id, 'expired']);
    expect(logs.at(-1)?.message).toBe('bill expired');
    clock += 1000;
    // Found past its time: expired on the spot, before the sweep.
    expect(await core.payments.findBill(later.id)).toMatchObject({ status: 'expired', closedTime: clock });
    expect((await core.payments.findBill(never.id))?.status).toBe('open');
    expect(await core.payments.findBill('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect((await core.payments.findBill(due.id))?.status).toBe('expired');
    expect(await core.payments.expireDueAttempts()).toEqual([]);
  });

  it("reads a bill's public status with findBill's fields, an attempt past its time expired on the spot", async () => {
    const later = await core.payments.openAttempt(request({ billTimeoutSeconds: 60 }));
    const paid = await core.payments.openAttempt(request({ channel: 'ALI_WEB' }));
    await pay(paid);
    const statusFields = [
      'id',
      'appId',
      'billNo',
      'title',
      'totalFee',
      'channel',
      'subChannel',
      'status',
      'createTime',
      'tradeNo',
      'expiresAt',
      'version',
    ] as const;
    const full = (await core.payments.findBill(paid.id))!;
    expect(full.tradeNo).not.toBeNull();
    expect(await core.payments.findBillStatus(paid.id)).toEqual(
      Object.fromEntries(statusFields.map((field) => [field, full[field]])),
    );
    clock += 59_999;
    expect(await core.payments.findBillStatus(later.id)).toMatchObject({ status: 'open', version: 0 });
    clock += 1;
    expect(await core.payments.findBillStatus(later.id)).toMatchObject({
      status: 'expired',
      closedTime: clock,
    });
    expect(observed.at(-1)).toEqual([later.id, 'expired']);
    expect((await core.payments.findBill(later.id))?.status).toBe('expired');
    expect(await core.payments.findBillStatus('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('lets a payment continue only while its attempt is open', async () => {
    const { bill } = await core.payments.startPayment(
      request({ app: liveApp, mode: 'live', channel: 'ALI_WEB' }),
    );
    expect(await core.payments.continuePayment(bill)).toMatchObject({ action: 'redirect' });
    expect(counter.created).toEqual([bill.id, bill.id]);
    counter.failCreate = true;
    expect(await core.payments.continuePayment(bill)).toBeUndefined();
    expect(logs.at(-1)).toEqual({
      level: 'warn',
      message: 'continuing a payment failed',
      fields: { billId: bill.id, err: 'Error: counter is down' },
    });
    counter.failCreate = false;
    const warnings = logs.length;
    // No app, nothing to continue (and no failure to warn about).
    expect(await core.payments.continuePayment({ ...bill, appId: 'no-such-app' })).toBeUndefined();
    expect(logs).toHaveLength(warnings);
    const closed = await core.payments.closeAttempt(bill.id);
    expect(await core.payments.continuePayment(closed!)).toBeUndefined();
    expect(counter.created).toEqual([bill.id, bill.id]);
  });
});

describe('reconciliation and channel-close leases', () => {
  it('hands out due attempts oldest first, each to one taker for its lease', async () => {
    const first = await core.payments.openAttempt(request());
    clock += 10;
    const second = await core.payments.openAttempt(request());
    clock += 10;
    const third = await core.payments.openAttempt(request());
    const at = clock + 30_000;
    const taken = await store.transaction((tx) => tx.bills.claimDueForReconciliation(at, 2, 5000));
    expect(taken.map((b) => b.id)).toEqual([first.id, second.id]);
    const next = await store.transaction((tx) => tx.bills.claimDueForReconciliation(at, 10, 6000));
    expect(next.map((b) => b.id)).toEqual([third.id]);
    expect(await store.transaction((tx) => tx.bills.claimDueForReconciliation(at, 10, 5000))).toEqual([]);
    const again = await store.bills.dueForReconciliation(at + 5000, 10);
    expect(again.map((b) => b.id).sort()).toEqual([first.id, second.id].sort());
    expect(await store.bills.dueForReconciliation(at + 4999, 10)).toEqual([]);
    await store.bills.scheduleReconciliation(first.id, at + 100_000, 3);
    expect((await store.bills.dueForReconciliation(at + 99_999, 10)).map((b) => b.id)).toEqual([
      second.id,
      third.id,
    ]);
    const [rescheduled] = await store.bills.dueForReconciliation(at + 100_000, 1);
    expect(rescheduled?.id).toBe(second.id);
    expect((await store.bills.findBill(first.id))?.reconcileCount).toBe(3);
    // A paid attempt is not rescheduled.
    await pay(third);
    await store.bills.scheduleReconciliation(third.id, at, 9);
    expect((await store.bills.findBill(third.id))?.reconcileCount).toBe(0);
  });

  it('hands out live attempts to close at their channel, each to one taker, until closed', async () => {
    counter.failClose = true;
    const one = await core.payments.openAttempt(request({ app: liveApp, mode: 'live', channel: 'ALI_WEB' }));
    clock += 10;
    const two = await core.payments.openAttempt(request({ app: liveApp, mode: 'live', channel: 'ALI_WEB' }));
    await core.payments.closeAttempt(two.id);
    clock -= 5;
    await core.payments.closeAttempt(one.id);
    clock += 5;
    await expect.poll(() => logs.filter((l) => l.level === 'warn').length).toBe(2);
    const closedAt = clock;
    expect((await store.bills.pendingChannelCloses(closedAt, 1)).map((b) => b.id)).toEqual([one.id]);
    const taken = await store.transaction((tx) => tx.bills.claimChannelCloses(closedAt, 1, 5000));
    expect(taken.map((b) => b.id)).toEqual([one.id]);
    const rest = await store.transaction((tx) => tx.bills.claimChannelCloses(closedAt, 10, 5000));
    expect(rest.map((b) => b.id)).toEqual([two.id]);
    expect(await store.transaction((tx) => tx.bills.claimChannelCloses(closedAt, 10, 5000))).toEqual([]);
    expect((await store.bills.pendingChannelCloses(closedAt + 5000, 10)).map((b) => b.id)).toEqual([
      one.id,
      two.id,
    ]);
    await store.bills.scheduleChannelClose(one.id, closedAt + 60_000, 4);
    expect((await store.bills.pendingChannelCloses(closedAt + 59_999, 10)).map((b) => b.id)).toEqual([
      two.id,
    ]);
    expect((await store.bills.findBill(one.id))?.reconcileCount).toBe(4);
    await store.bills.channelClosed(one.id);
    await store.bills.scheduleChannelClose(one.id, closedAt, 7);
    expect((await store.bills.findBill(one.id))?.reconcileCount).toBe(4);
    expect((await store.bills.pendingChannelCloses(closedAt + 1e9, 10)).map((b) => b.id)).toEqual([two.id]);
  });
});

describe('the bill list', () => {
  it('filters by payment, refund and buyer, newest first, with what each record shows', async () => {
    const scope = { appId: app.appId, mode: 'test' as const };
    const a = await core.payments.openAttempt(request({ extras: { buyerId: 'buyer-a' } }));
    clock += 1000;
    const b = await core.payments.openAttempt(request({ extras: { buyerId: 'buyer-b' } }));
    clock += 1000;
    const c = await core.payments.openAttempt(request());
    await pay(a);
    await pay(b);
    const refund = await core.refunds.createRefund(app, {
      refundNo: `${Date.now()}001`,
      billNo: a.billNo,
      refundFee: 100,
      needApproval: false,
    });
    expect(refund.status).toBe('succeeded');
    const page = { skip: 0, limit: 10 };
    const ids = async (filter: Parameters<typeof core.payments.listBills>[1]) =>
      (await core.payments.listBills(scope, filter, page)).map((view) => view.bill.id);
    expect(await ids({})).toEqual([c.id, b.id, a.id]);
    expect(await ids({ spayResult: true })).toEqual([b.id, a.id]);
    expect(await ids({ spayResult: false })).toEqual([c.id]);
    expect(await ids({ refundResult: true })).toEqual([a.id]);
    expect(await ids({ refundResult: false })).toEqual([c.id, b.id]);
    expect(await ids({ buyerId: 'buyer-b' })).toEqual([b.id]);
    expect(await core.payments.countBills(scope, {})).toBe(3);
    expect(await core.payments.countBills(scope, { spayResult: true })).toBe(2);
    expect(await core.payments.countBills(scope, { refundResult: true })).toBe(1);
    expect(await core.payments.countBills(scope, { buyerId: 'buyer-a' })).toBe(1);
    const views = await core.payments.listBills(scope, {}, page);
    expect(views.map((view) => [view.refunded, view.buyerId])).toEqual([
      [false, null],
      [false, 'buyer-b'],
      [true, 'buyer-a'],
    ]);
    expect(await store.bills.refundedAmong([])).toEqual(new Set());
    expect(await store.bills.refundedAmong([a.id, b.id])).toEqual(new Set([a.id]));
    // A refund the channel declined is no refund.
    const declining = new SandboxChannel(() => 'http://127.0.0.1:9');
    declining.refund = async () => ({ status: 'failed', reason: 'REFUND_DECLINED' });
    const decliningCore = coreOver(declining, { log: () => {} });
    await expect(
      decliningCore.refunds.createRefund(app, {
        refundNo: `${Date.now()}002`,
        billNo: b.billNo,
        refundFee: 100,
        needApproval: false,
      }),
    ).rejects.toMatchObject({ reason: 'refund_refused' });
    expect(await store.bills.refundedAmong([a.id, b.id])).toEqual(new Set([a.id]));
    expect(await ids({ refundResult: true })).toEqual([a.id]);
    expect(await ids({ refundResult: false })).toEqual([c.id, b.id]);
  });

  it('pages after a position by time, then by id, with skip and limit', async () => {
    const scope = { appId: app.appId, mode: 'test' as const };
    const sameTime = [];
    for (let i = 0; i < 3; i += 1) sameTime.push(await core.payments.openAttempt(request()));
    clock += 1000;
    const newest = await core.payments.openAttempt(request());
    const all = (await core.payments.listBills(scope, {}, { skip: 0, limit: 10 })).map((v) => v.bill);
    expect(all[0]?.id).toBe(newest.id);
    const byId = sameTime
      .map((b) => b.id)
      .sort()
      .reverse();
    expect(all.slice(1).map((b) => b.id)).toEqual(byId);
    const after = (position: Bill, skip = 0, limit = 10, endTime?: number) =>
      core.payments
        .listBills(scope, endTime === undefined ? {} : { endTime }, {
          skip,
          limit,
          after: { createTime: position.createTime, id: position.id },
        })
        .then((views) => views.map((v) => v.bill.id));
    expect(await after(all[0]!)).toEqual(byId);
    expect(await after(all[1]!)).toEqual(byId.slice(1));
    expect(await after(all[1]!, 1)).toEqual(byId.slice(2));
    expect(await after(all[0]!, 0, 1)).toEqual(byId.slice(0, 1));
    expect(await after(all[3]!)).toEqual([]);
    // An end_time before the position's time bounds the list; a later one does not widen it.
    expect(await after(all[0]!, 0, 10, clock - 1001)).toEqual([]);
    expect(await after(all[1]!, 0, 10, clock + 1e6)).toEqual(byId.slice(1));
    expect(
      (await core.payments.listBills(scope, { endTime: clock - 1 }, { skip: 0, limit: 10 })).map(
        (v) => v.bill.id,
      ),
    ).toEqual(byId);
  });

  it('gives the buyer to every attempt of an order, never over another buyer', async () => {
    const order = request({ extras: { analysis: { source: 'web' } } });
    const one = await core.payments.openAttempt(order);
    const two = await core.payments.openAttempt({ ...order, channel: 'ALI_WEB', extras: undefined });
    expect(await store.bills.attachBuyer(app.appId, 'test', 'NO-SUCH-ORDER', 'buyer-1')).toBe('not_found');
    expect(await store.bills.attachBuyer(app.appId, 'test', order.billNo, 'buyer-1')).toBe('attached');
    expect(await store.bills.buyerIds([one.id, two.id])).toEqual(
      new Map([
        [one.id, 'buyer-1'],
        [two.id, 'buyer-1'],
      ]),
    );
    expect(await store.bills.attachBuyer(app.appId, 'test', order.billNo, 'buyer-1')).toBe('attached');
    expect(await store.bills.attachBuyer(app.appId, 'test', order.billNo, 'buyer-2')).toBe('other_buyer');
    expect(await store.bills.buyerIds([one.id, two.id])).toEqual(
      new Map([
        [one.id, 'buyer-1'],
        [two.id, 'buyer-1'],
      ]),
    );
    expect(await store.bills.attachBuyer(app.appId, 'live', order.billNo, 'buyer-2')).toBe('not_found');
  });
});

export type { ButtonChannel };
