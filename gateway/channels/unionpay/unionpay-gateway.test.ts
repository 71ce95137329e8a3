/**
 * The UnionPay family inside the gateway: a live app whose UN settings point at the UnionPay simulator. Bills made
 * through `POST /2/rest/bill`, the payer's form posted to the simulator, UnionPay's notifies reaching
 * `/notify/un/{appId}` — and, when a notify is lost or refused, reconciliation asking `queryTrans.do` books the
 * payment (one PAY webhook).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMerchantCertificate,
  startUnionpaySimulator,
  type RunningUnionpaySimulator,
  type UnionpayFaults,
} from '../../../simulators/unionpay/index.ts';
import { newBillNo, rest } from '../../rest/testing/rest-caller.ts';
import { billStatus } from '../../testing/gateway-harness.ts';
import { startTestGateway, type TestGateway } from '../../testing/gateway-harness.ts';
import { startWebhookReceiver, webhooksFor, type WebhookReceiver } from '../../testing/webhook-receiver.ts';
import { plainHttp } from '../testing/plain-http.ts';
import { unionpayChannel } from './index.ts';

const merId = '777290058110048';
let sim: RunningUnionpaySimulator;
let gateway: TestGateway;
let receiver: WebhookReceiver;

beforeAll(async () => {
  sim = await startUnionpaySimulator({ notifyRetryScale: 0.001 });
  const merchant = createMerchantCertificate(merId);
  const registration = sim.registerMerchant(merId, merchant.certificatePem);
  const settings = unionpayChannel.parseSettings({
    mer_id: merId,
    private_key: merchant.privateKeyPem,
    certificate: merchant.certificatePem,
    root_certificate: registration.root_certificate,
    middle_certificate: registration.middle_certificate,
    expected_signer_cn: registration.expected_signer_cn,
    front_url: sim.url,
    back_url: sim.url,
  });
  receiver = await startWebhookReceiver();
  gateway = await startTestGateway({
    app: {
      mode: 'live',
      channels: ['un', 'unwap'],
      liveWebhookUrl: receiver.url,
      channelSettings: { UN: settings as unknown as Record<string, unknown> },
    },
    channelFamilies: [unionpayChannel],
    channelHttp: plainHttp,
    timings: { reconcileAfterMs: 300, reconcilePassMs: 50 },
  });
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await receiver?.close();
  await sim?.close();
});

/** A live UN bill through the REST API; its `html` form posted to UnionPay (the payer's browser). */
async function liveBill(channel: 'UN_WEB' | 'UN_WAP', totalFee: number) {
  const billNo = newBillNo();
  const answer = await rest(gateway, {
    method: 'POST',
    path: 'rest/bill',
    secret: 'appSecret',
    payload: {
      channel,
      bill_no: billNo,
      total_fee: totalFee,
      title: '银联订单',
      return_url: 'https://shop.example/r',
    },
  });
  expect(answer.json).toMatchObject({ result_code: 0 });
  const html = String(answer.json.html);
  const action = /action="([^"]+)"/.exec(html)?.[1];
  expect(action).toBe(`${sim.url}/gateway/api/frontTransReq.do`);
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"/g)) {
    fields[match[1]] = match[2].replaceAll('&#x2F;', '/').replaceAll('&#47;', '/').replaceAll('&amp;', '&');
  }
  const page = await plainHttp({
    url: action!,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  expect(page.body).toContain('付款');
  return { billId: String(answer.json.id), billNo, orderId: String(answer.json.id).replaceAll('-', '') };
}

async function payWith(faults: UnionpayFaults, channel: 'UN_WEB' | 'UN_WAP' = 'UN_WEB', totalFee = 100) {
  const bill = await liveBill(channel, totalFee);
  sim.setOrderFaults(bill.orderId, faults);
  sim.pay(bill.orderId);
  return bill;
}

async function paidWebhooks(billNo: string) {
  await expect.poll(() => webhooksFor(receiver, billNo).length, { timeout: 15_000 }).toBeGreaterThan(0);
  return webhooksFor(receiver, billNo).map((webhook) => JSON.parse(webhook.body) as Record<string, unknown>);
}

describe('UnionPay in the gateway', () => {
  it('UnionPay notify → booked, one PAY webhook with the queryId; the notify is answered ok', async () => {
    const bill = await payWith({}, 'UN_WAP', 250);
    const [webhook] = await paidWebhooks(bill.billNo);
    const order = sim.order(bill.orderId)!;
    expect(webhook).toMatchObject({
      transaction_type: 'PAY',
      channel_type: 'UN',
      sub_channel_type: 'UN_WAP',
      transaction_fee: 250,
      channel_transaction_id: order.queryId,
    });
    expect(await billStatus(gateway, bill.billId)).toMatchObject({ status: 'paid' });
    const attempts = sim.notifies().filter((attempt) => attempt.orderId === bill.orderId);
    expect(attempts.map((attempt) => [attempt.status, attempt.answer])).toEqual([[200, 'ok']]);
    // UnionPay's front redirect (a form POST to frontUrl) lands on the gateway's result page (the posted fields are
    // not read), which sends the payer on to the merchant's return_url with the bill as the gateway knows it.
    const front = await plainHttp({
      url: `${gateway.url}/1/pay/jsbutton/result/${bill.billId}`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'respCode=00&txnAmt=1',
    });
    expect(front.status).toBe(303);
    expect(front.headers.location).toBe(`/1/pay/jsbutton/result/${bill.billId}`);
    const result = await plainHttp({
      url: `${gateway.url}${front.headers.location}`,
      method: 'GET',
      headers: {},
    });
    expect(result.status).toBe(303);
    const merchantPage = new URL(result.headers.location!);
    expect(`${merchantPage.origin}${merchantPage.pathname}`).toBe('https://shop.example/r');
    expect(merchantPage.searchParams.get('spay_result')).toBe('true');
    expect(merchantPage.searchParams.get('trade_no')).toBe(order.queryId);
  });

  it('a dropped notify: reconciliation queries UnionPay and books the payment', async () => {
    const bill = await payWith({ drop_notify: true });
    const webhooks = await paidWebhooks(bill.billNo);
    expect(webhooks).toHaveLength(1);
    expect(sim.notifies().filter((attempt) => attempt.orderId === bill.orderId)).toHaveLength(0);
    expect(
      sim
        .requests()
        .some(
          (request) =>
            request.path === '/gateway/api/queryTrans.do' && request.fields.orderId === bill.orderId,
        ),
    ).toBe(true);
  });

  it('notifies signed with an expired certificate are refused (400) and never booked; the query books it', async () => {
    const bill = await payWith({ expired_cert: true });
    await paidWebhooks(bill.billNo);
    const attempts = sim.notifies().filter((attempt) => attempt.orderId === bill.orderId);
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((attempt) => attempt.status === 400)).toBe(true);
  });

  it('a notify with another amount is verified but not booked; the query (the right amount) books it', async () => {
    const bill = await payWith({ wrong_amount: true }, 'UN_WEB', 300);
    const [webhook] = await paidWebhooks(bill.billNo);
    expect(webhook).toMatchObject({ transaction_fee: 300 });
    const attempts = sim.notifies().filter((attempt) => attempt.orderId === bill.orderId);
    expect(attempts[0].status).toBe(200);
  });
});
