/**
 * The refund service against a real SQLite store when the channel says no or cannot be reached — paths the
 * sandbox channel (which always accepts) never takes. The channels here are the sandbox with its refund answer
 * changed, nothing else.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppStore } from '../apps/app-store.ts';
import type { App } from '../apps/app.ts';
import { BillEvents } from '../bills/bill-events.ts';
import { BillService } from '../bills/bill-service.ts';
import type { Bill } from '../bills/bill.ts';
import type { ChannelAdapter, ChannelRefundResult } from '../channels/channel-adapter.ts';
import { SandboxChannel } from '../channels/sandbox-adapter.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import { m100_refunds } from '../storage/migrations/100-refunds.ts';
import { openSqliteStore, type GatewayStore } from '../storage/store.ts';
import { testApp } from '../testing/gateway-harness.ts';
import { RefundService } from './refund-service.ts';

class DecliningChannel extends SandboxChannel {
  override async refund(): Promise<ChannelRefundResult> {
    return { accepted: false, channelRefundNo: '', detail: { channel: 'SANDBOX', error: 'REFUND_DECLINED' } };
  }
}

class UnreachableChannel extends SandboxChannel {
  override async refund(): Promise<ChannelRefundResult> {
    throw new Error('connect ECONNREFUSED');
  }
}

let dataDir: string;
let store: GatewayStore;
let app: App;
let bills: BillService;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'spay-refund-service-'));
  store = await openSqliteStore(dataDir, { '100_refunds': m100_refunds });
  const apps = new AppStore(store.db);
  const seed = testApp({ webhookUrl: 'http://127.0.0.1:9/webhook' });
  await apps.seedApp(seed);
  app = (await apps.findApp(seed.appId)) as App;
  bills = new BillService({ db: store.db, events: new BillEvents(), webhookRetryScale: 0.001 });
});

afterEach(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

function refundService(channel: ChannelAdapter): RefundService {
  return new RefundService({ db: store.db, channelFor: () => channel, webhookRetryScale: 0.001 });
}

async function paidBill(totalFee: number): Promise<Bill> {
  const bill = await bills.createAttempt({
    app,
    channel: 'WX_NATIVE',
    billNo: `S${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    title: '失败路径',
    totalFee,
  });
  const { bill: paid } = await bills.recordPayment({
    billId: bill.id,
    tradeNo: 'SANDBOXTRADE1',
    totalFee,
    paidAt: Date.now(),
    detail: { channel: 'SANDBOX' },
  });
  return paid;
}

async function refundWebhookCount(): Promise<number> {
  const row = await store.db
    .selectFrom('webhook_outbox')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('transaction_type', '=', 'REFUND')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

describe('refund failures', () => {
  it('records a refund the channel declines as failed, frees its amount and sends no webhook', async () => {
    const bill = await paidBill(100);
    const declining = refundService(new DecliningChannel());
    const attempt = declining.createRefund(app, {
      refundNo: '20261123001',
      billNo: bill.billNo,
      refundFee: 100,
      needApproval: false,
    });
    await expect(attempt).rejects.toBeInstanceOf(BeeCloudError);
    await expect(attempt).rejects.toMatchObject({ code: 7, field: 'refund_no' });
    const [failed] = await declining.records.queryRefunds({
      appId: app.appId,
      mode: 'test',
      billNo: bill.billNo,
    });
    expect(failed).toMatchObject({
      status: 'failed',
      refundFee: 100,
      channelDetail: { error: 'REFUND_DECLINED' },
    });
    expect(await refundWebhookCount()).toBe(0);

    const working = refundService(new SandboxChannel());
    const refund = await working.createRefund(app, {
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
    const unreachable = refundService(new UnreachableChannel());
    await expect(
      unreachable.createRefund(app, {
        refundNo: '20261123003',
        billNo: bill.billNo,
        refundFee: 60,
        needApproval: false,
      }),
    ).rejects.toMatchObject({ code: 7 });
    const [processing] = await unreachable.records.queryRefunds({
      appId: app.appId,
      mode: 'test',
      billNo: bill.billNo,
    });
    expect(processing.status).toBe('processing');
    await expect(
      unreachable.createRefund(app, {
        refundNo: '20261123004',
        billNo: bill.billNo,
        refundFee: 41,
        needApproval: false,
      }),
    ).rejects.toMatchObject({ code: 12 });

    const working = refundService(new SandboxChannel());
    await working.retryProcessing(60_000);
    expect((await working.records.findRefund(app.appId, 'test', processing.id))?.status).toBe('processing');
    await working.retryProcessing(0);
    const [done] = await unreachable.records.queryRefunds({
      appId: app.appId,
      mode: 'test',
      billNo: bill.billNo,
    });
    expect(done).toMatchObject({ id: processing.id, status: 'succeeded' });
    expect(await refundWebhookCount()).toBe(1);
  });

  it('answers an approval the channel declines in result_map, not as a failed request', async () => {
    const bill = await paidBill(50);
    const declining = refundService(new DecliningChannel());
    const pre = await declining.createRefund(app, {
      refundNo: '20261123005',
      billNo: bill.billNo,
      refundFee: 50,
      needApproval: true,
    });
    const results = await declining.decidePreRefunds(app, {
      channel: { family: 'WX' },
      ids: [pre.id],
      agree: true,
    });
    expect(results[pre.id]).toMatch(/^CHANNEL_ERROR/);
    expect((await declining.records.findRefund(app.appId, 'test', pre.id))?.status).toBe('failed');
  });
});
