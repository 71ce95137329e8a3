/**
 * The SDK against the real gateway over HTTP on 127.0.0.1: every REST endpoint, good and refused, and the
 * gateway's real webhooks checked by `verifyWebhook` in a local receiver.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../gateway/server.ts';
import { appFromConfig, type SpayApp } from './app.ts';
import { SpayClient } from './client.ts';
import { SpayError, type SpayResult, type Success } from './result.ts';
import { newRefundNo } from './rest-types.ts';
import { verifyWebhook, type WebhookBody, type WebhookVerification } from './webhook.ts';

interface Delivery {
  headers: IncomingHttpHeaders;
  verification: WebhookVerification;
}

let dataDir: string;
let gateway: { url: string; close(): Promise<void> };
let receiver: Server;
let app: SpayApp;
let client: SpayClient;
const deliveries: Delivery[] = [];

async function startReceiver(): Promise<string> {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const verification = verifyWebhook(Buffer.concat(chunks), request.headers, app);
      deliveries.push({ headers: request.headers, verification });
      response.writeHead(200, { 'content-type': 'text/plain' }).end(verification.ok ? 'success' : 'fail');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`;
}

async function webhookFor(type: 'PAY' | 'REFUND', transactionId: string): Promise<WebhookBody> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const delivery of deliveries) {
      const { verification } = delivery;
      if (!verification.ok) throw new Error(`a webhook failed verification: ${verification.message}`);
      if (
        verification.webhook.transaction_type === type &&
        verification.webhook.transaction_id === transactionId
      ) {
        return verification.webhook;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${type} webhook for ${transactionId}`);
}

function success<T>(result: SpayResult<T>): Success<T> {
  if (!result.ok) throw new Error(`expected success, got ${result.result_msg}: ${result.err_detail}`);
  return result;
}

let serial = 0;
function newBillNo(): string {
  serial += 1;
  return `sdk${Date.now()}${serial}`;
}

async function paidBill(totalFee = 100): Promise<{ id: string; billNo: string }> {
  const billNo = newBillNo();
  const bill = success(
    await client.pay({
      channel: 'ALI_WEB',
      total_fee: totalFee,
      bill_no: billNo,
      title: 'SDK 测试',
      return_url: 'http://shop.example/r',
    }),
  );
  success(await client.sandbox.notify(bill.id));
  return { id: bill.id, billNo };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'spay-sdk-'));
  const config = JSON.parse(await readFile(new URL('../config/demo-app.json', import.meta.url), 'utf8'));
  const webhookUrl = await startReceiver();
  gateway = await startGateway({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    seedApps: [{ ...config, webhookUrl }],
    webhookRetryScale: 0.001,
    logger: false,
    // The test's webhook receiver (or the demo app's URL) is on 127.0.0.1.
    allowPrivateTargets: true,
  });
  app = appFromConfig(config, gateway.url);
  client = new SpayClient(app);
});

afterAll(async () => {
  await gateway?.close();
  receiver?.closeAllConnections();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  await rm(dataDir, { recursive: true, force: true });
});

describe('pay', () => {
  it('creates an ALI_WEB bill and answers where to send the payer', async () => {
    const answer = success(
      await client.pay({
        channel: 'ALI_WEB',
        total_fee: 1,
        bill_no: newBillNo(),
        title: 'product',
        return_url: 'http://shop.example/r',
      }),
    );
    expect(answer.result_msg).toBe('OK');
    expect(answer.id).toEqual(expect.any(String));
    expect(answer.url).toMatch(/^http/);
  });

  it('creates a WX_NATIVE bill with a QR code_url', async () => {
    const answer = success(
      await client.pay({ channel: 'WX_NATIVE', total_fee: 1, bill_no: newBillNo(), title: 'product' }),
    );
    expect(answer.code_url).toEqual(expect.any(String));
  });

  it('passes on a refusal naming the field', async () => {
    const result = await client.pay({
      channel: 'ALI_WEB',
      total_fee: 0,
      bill_no: newBillNo(),
      title: 'product',
      return_url: 'http://shop.example/r',
    });
    expect(result).toMatchObject({ ok: false, result_code: 5, result_msg: 'PARAM_INVALID' });
    expect(result.err_detail).toMatch(/^total_fee/);
  });

  it('refuses a bill_no reused with another amount', async () => {
    const billNo = newBillNo();
    success(await client.pay({ channel: 'WX_NATIVE', total_fee: 1, bill_no: billNo, title: 'product' }));
    const again = await client.pay({ channel: 'WX_NATIVE', total_fee: 2, bill_no: billNo, title: 'product' });
    expect(again.ok).toBe(false);
    expect([5, 17]).toContain(again.result_code);
  });

  it('is refused with APP_INVALID when signed with the wrong secret', async () => {
    const wrong = new SpayClient({ ...app, testSecret: 'wrong', appSecret: 'wrong' });
    const result = await wrong.pay({
      channel: 'WX_NATIVE',
      total_fee: 1,
      bill_no: newBillNo(),
      title: 'product',
    });
    expect(result).toMatchObject({ ok: false, result_code: 1, result_msg: 'APP_INVALID' });
    // The SDK signs with the v2 request signature too, which the gateway checks first.
    expect(result.err_detail).toMatch(/^X-Spay-Signature: does not match/);
  });
});

describe('a paid bill and its queries', () => {
  it('is paid by the sandbox, announced by a verified PAY webhook, and found by every query', async () => {
    const { id, billNo } = await paidBill(100);
    const webhook = await webhookFor('PAY', billNo);
    expect(webhook).toMatchObject({ transaction_fee: 100, channel_type: 'ALI', trade_success: true });
    const delivery = deliveries.find(
      (d) => d.verification.ok && d.verification.webhook.transaction_id === billNo,
    )!;
    expect(delivery.verification.ok && delivery.verification.checked).toEqual([
      'standard-signature',
      'sign',
      'signature',
    ]);

    const byId = success(await client.billById(id));
    expect(byId.pay).toMatchObject({
      id,
      bill_no: billNo,
      total_fee: 100,
      spay_result: true,
      sub_channel: 'ALI_WEB',
    });

    const list = success(await client.bills({ bill_no: billNo }));
    expect(list.bills.map((bill) => bill.id)).toEqual([id]);
    expect(success(await client.billsCount({ bill_no: billNo, spay_result: true })).count).toBe(1);
    expect(success(await client.billsCount({ bill_no: billNo, spay_result: false })).count).toBe(0);
  });

  it('answers NO_SUCH_BILL for an unknown id, and the throwing variant throws it', async () => {
    expect(await client.billById('no-such-bill')).toMatchObject({ ok: false, result_code: 8 });
    const error = await client.orThrow.billById('no-such-bill').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SpayError);
    expect((error as SpayError).resultCode).toBe(8);
  });
});

describe('refunds', () => {
  it('refunds a paid bill, sends a verified REFUND webhook, and shows it in every query', async () => {
    const { billNo } = await paidBill(100);
    const refundNo = newRefundNo();
    const refund = success(await client.refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 100 }));

    const webhook = await webhookFor('REFUND', refundNo);
    expect(webhook).toMatchObject({ transaction_fee: 100, bill_no: billNo, trade_success: true });

    const byId = success(await client.refundById(refund.id));
    expect(byId.refund).toMatchObject({
      refund_no: refundNo,
      bill_no: billNo,
      refund_fee: 100,
      result: true,
    });
    expect(success(await client.refundStatus({ channel: 'ALI', refund_no: refundNo })).refund_status).toBe(
      'SUCCESS',
    );
    expect(success(await client.refunds({ bill_no: billNo })).refunds.map((r) => r.refund_no)).toEqual([
      refundNo,
    ]);
    expect(success(await client.refundsCount({ bill_no: billNo })).count).toBe(1);
    expect(success(await client.bills({ bill_no: billNo })).bills[0].refund_result).toBe(true);
  });

  it('refuses refunding more than was paid, and an unpaid bill', async () => {
    const { billNo } = await paidBill(100);
    const tooMuch = await client.refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 101 });
    expect(tooMuch).toMatchObject({ ok: false, result_code: 12, result_msg: 'REFUND_AMOUNT_TOO_LARGE' });

    const unpaid = newBillNo();
    success(await client.pay({ channel: 'WX_NATIVE', total_fee: 1, bill_no: unpaid, title: 'product' }));
    const refused = await client.refund({ refund_no: newRefundNo(), bill_no: unpaid, refund_fee: 1 });
    expect(refused).toMatchObject({ ok: false, result_code: 9, result_msg: 'BILL_UNSUCCESS' });
  });

  it('refuses a refund signed with the app secret instead of the master secret', async () => {
    const { billNo } = await paidBill(100);
    const wrong = new SpayClient({ ...app, masterSecret: app.testSecret });
    const result = await wrong.refund({ refund_no: newRefundNo(), bill_no: billNo, refund_fee: 1 });
    expect(result).toMatchObject({ ok: false, result_code: 1 });
    expect(result.err_detail).toMatch(/^X-Spay-Signature: does not match HMAC-SHA256\(master_secret/);
  });

  it('records a pre-refund and refunds it once approved', async () => {
    const { billNo } = await paidBill(100);
    const refundNo = newRefundNo();
    const pre = success(
      await client.refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 30, need_approval: true }),
    );
    expect(success(await client.refundStatus({ channel: 'ALI', refund_no: refundNo })).refund_status).toBe(
      'PENDING_APPROVAL',
    );
    const approval = success(await client.approveRefunds({ channel: 'ALI', ids: [pre.id], agree: true }));
    expect(approval.result_map[pre.id]).toBe('OK');
    expect((await webhookFor('REFUND', refundNo)).transaction_fee).toBe(30);
    expect(success(await client.refundById(pre.id)).refund).toMatchObject({
      result: true,
      need_approval: true,
    });
  });

  it('denies a pre-refund without refunding', async () => {
    const { billNo } = await paidBill(100);
    const refundNo = newRefundNo();
    const pre = success(
      await client.refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 30, need_approval: true }),
    );
    const denial = success(
      await client.approveRefunds({ channel: 'ALI', ids: [pre.id], agree: false, deny_reason: '顾客撤回' }),
    );
    expect(denial.result_map[pre.id]).toBe('OK');
    expect(success(await client.refundById(pre.id)).refund).toMatchObject({
      result: false,
      deny_reason: '顾客撤回',
    });
  });
});

describe('sandbox paths', () => {
  it('creates, pays, lists and counts sandbox bills', async () => {
    const billNo = newBillNo();
    const bill = success(
      await client.sandbox.pay({ channel: 'WX_NATIVE', total_fee: 5, bill_no: billNo, title: 'sandbox' }),
    );
    const paid = success(await client.sandbox.notify(bill.id));
    expect(paid.id).toBe(bill.id);
    expect(success(await client.sandbox.bills({ bill_no: billNo })).bills[0]).toMatchObject({
      spay_result: true,
    });
    expect(success(await client.sandbox.billsCount({ bill_no: billNo })).count).toBe(1);
    expect((await webhookFor('PAY', billNo)).transaction_fee).toBe(5);
  });

  it('refuses the sandbox paths signed with anything but the test secret', async () => {
    const wrong = new SpayClient({ ...app, testSecret: app.appSecret });
    expect(await wrong.sandbox.billsCount()).toMatchObject({ ok: false, result_code: 1 });
  });
});
