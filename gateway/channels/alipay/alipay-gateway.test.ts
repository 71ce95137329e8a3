/**
 * The whole gateway with a live app on Alipay, against the Alipay simulator over real HTTP: the registry builds the
 * Alipay adapter from the app's settings, the simulator's notifies come in at `/notify/ali/{appId}`, the core books
 * and webhooks; a dropped notify ends paid by reconciliation, a notify for another amount is never booked, a notify
 * with a bad signature is answered `fail`, a REST refund reaches the simulator and a REFUND webhook goes out.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlipaySimulator, type AlipaySimulatorHandle } from '../../../simulators/alipay/index.ts';
import { newBillNo, newRefundNo, rest } from '../../rest/testing/rest-caller.ts';
import { billStatus, startTestGateway, type TestGateway } from '../../testing/gateway-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver.ts';
import { plainHttp } from '../testing/plain-http.ts';
import { alipayChannel } from './index.ts';

let simulator: AlipaySimulatorHandle;
let gateway: TestGateway;
let receiver: WebhookReceiver;

beforeAll(async () => {
  simulator = await startAlipaySimulator({ notifyRetryScale: 0.001 });
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const merchant = await simulator.registerMerchant({ app_public_key: keys.publicKey, mode: 'cert' });
  const settings = alipayChannel.parseSettings({
    app_id: merchant.app_id,
    mode: 'cert',
    app_private_key: keys.privateKey,
    app_cert: merchant.app_cert,
    alipay_public_cert: merchant.alipay_public_cert,
    alipay_root_cert: merchant.alipay_root_cert,
    seller_id: merchant.seller_id,
    gateway_url: simulator.gatewayUrl,
  });
  receiver = await startWebhookReceiver();
  gateway = await startTestGateway({
    app: {
      mode: 'live',
      channels: ['ali', 'aliqr'],
      channelSettings: { ALI: settings as unknown as Record<string, unknown> },
      liveWebhookUrl: receiver.url,
      webhookUrl: receiver.url,
    },
    channelFamilies: [alipayChannel],
    channelHttp: plainHttp,
    timings: { reconcileAfterMs: 1500, reconcilePassMs: 100 },
  });
});

afterAll(async () => {
  await gateway?.close();
  await receiver?.close();
  await simulator?.close();
});

const billNos = new Map<string, string>();

async function livePay(channel: string, totalFee: number) {
  const billNo = newBillNo();
  const answer = await rest(gateway, {
    method: 'POST',
    path: 'rest/bill',
    secret: 'appSecret',
    payload: {
      channel,
      bill_no: billNo,
      total_fee: totalFee,
      title: '实盘 Alipay',
      return_url: 'https://shop.example/r',
    },
  });
  expect(answer.json, answer.text).toMatchObject({ result_code: 0 });
  const bill = answer.json as Record<string, unknown> & { id: string };
  billNos.set(bill.id, billNo);
  return bill;
}

const outTradeNo = (billId: string) => billId.replaceAll('-', '');

/** The merchant's webhooks of a type for a bill. */
const webhooksFor = (billId: string, type: string) =>
  receiver.received.filter((w) => {
    const body = JSON.parse(w.body) as { transaction_type?: string };
    return body.transaction_type === type && w.body.includes(String(billNos.get(billId)));
  });

describe('a live app on Alipay (certificate mode) through the gateway', () => {
  it('ALI_QRCODE: code_url from precreate; paying books the bill once and sends one PAY webhook', async () => {
    const bill = await livePay('ALI_QRCODE', 1);
    expect(String(bill.code_url)).toMatch(new RegExp(`^${simulator.url}/scan/`));
    await simulator.pay(outTradeNo(bill.id));
    await expect
      .poll(async () => (await billStatus(gateway, bill.id)).status, { timeout: 10_000 })
      .toBe('paid');
    await expect.poll(() => webhooksFor(bill.id, 'PAY').length, { timeout: 10_000 }).toBe(1);
    const attempts = (await simulator.notifies()).filter((n) => n.out_trade_no === outTradeNo(bill.id));
    expect(attempts.at(-1)).toMatchObject({ status: 200, answer: 'success' });
    expect(attempts[0].url).toBe(`${gateway.url}/notify/ali/${gateway.app.appId}`);
  });

  it('ALI_WEB: the pay answer is the signed form for gateway.do', async () => {
    const bill = await livePay('ALI_WEB', 2);
    expect(String(bill.url)).toContain(simulator.gatewayUrl);
    expect(String(bill.html)).toContain('alipay.trade.page.pay');
  });

  it('ALI_WAP: the pay answer is the signed GET URL; a payer back before the notify is checked with the channel', async () => {
    const bill = await livePay('ALI_WAP', 6);
    const url = new URL(String(bill.url));
    expect(url.origin + url.pathname).toBe(simulator.gatewayUrl);
    expect(url.searchParams.get('method')).toBe('alipay.trade.wap.pay');
    const cashier = await plainHttp({ url: url.toString(), method: 'GET', headers: {} });
    expect(cashier.status, cashier.body).toBe(302);
    // The notify is lost; the payer comes back from Alipay's cashier to the gateway's result route.
    await simulator.setOrderFaults(outTradeNo(bill.id), { drop_notify: true });
    const { return_url: alipayReturn } = await simulator.pay(outTradeNo(bill.id));
    expect(alipayReturn).toContain(`${gateway.url}/1/pay/jsbutton/result/${bill.id}?`);
    const back = await plainHttp({ url: alipayReturn!, method: 'GET', headers: {} });
    expect(back.status).toBe(303);
    const merchant = new URL(back.headers.location);
    expect(merchant.origin + merchant.pathname).toBe('https://shop.example/r');
    expect(merchant.searchParams.get('spay_result')).toBe('true');
    expect(merchant.searchParams.get('sub_channel')).toBe('ALI_WAP');
    expect(await billStatus(gateway, bill.id)).toMatchObject({ status: 'paid' });
    await expect.poll(() => webhooksFor(bill.id, 'PAY').length, { timeout: 10_000 }).toBe(1);
  });

  it('a dropped notify ends paid by reconciliation (alipay.trade.query)', async () => {
    const bill = await livePay('ALI_QRCODE', 3);
    await simulator.setOrderFaults(outTradeNo(bill.id), { drop_notify: true });
    await simulator.pay(outTradeNo(bill.id));
    await expect
      .poll(async () => (await billStatus(gateway, bill.id)).status, { timeout: 15_000 })
      .toBe('paid');
    expect(
      (await simulator.notifies()).filter((n) => n.out_trade_no === outTradeNo(bill.id) && n.status !== null),
    ).toEqual([]);
    const queries = (await simulator.requests()).filter(
      (r) => r.method === 'alipay.trade.query' && JSON.stringify(r.biz_content).includes(outTradeNo(bill.id)),
    );
    expect(queries.length).toBeGreaterThan(0);
    await expect.poll(() => webhooksFor(bill.id, 'PAY').length, { timeout: 10_000 }).toBe(1);
  });

  it('a notify for another amount is answered success but never booked; the query books the true amount once', async () => {
    const bill = await livePay('ALI_QRCODE', 400);
    await simulator.setOrderFaults(outTradeNo(bill.id), { wrong_amount: true });
    await simulator.pay(outTradeNo(bill.id));
    await expect
      .poll(
        async () => (await simulator.notifies()).find((n) => n.out_trade_no === outTradeNo(bill.id))?.answer,
        {
          timeout: 10_000,
        },
      )
      .toBe('success');
    const notified = (await simulator.notifies()).find((n) => n.out_trade_no === outTradeNo(bill.id))!;
    expect(notified.params.total_amount).toBe('4.01');
    await expect
      .poll(async () => (await billStatus(gateway, bill.id)).status, { timeout: 15_000 })
      .toBe('paid');
    await expect.poll(() => webhooksFor(bill.id, 'PAY').length, { timeout: 10_000 }).toBe(1);
    const body = JSON.parse(webhooksFor(bill.id, 'PAY')[0].body) as { transaction_fee: number };
    expect(body.transaction_fee).toBe(400);
  });

  it('a notify with a bad signature is answered fail (and Alipay retries it)', async () => {
    const bill = await livePay('ALI_QRCODE', 5);
    await simulator.setOrderFaults(outTradeNo(bill.id), { bad_signature: true });
    await simulator.pay(outTradeNo(bill.id));
    await expect
      .poll(
        async () =>
          (await simulator.notifies()).filter(
            (n) => n.out_trade_no === outTradeNo(bill.id) && n.answer === 'fail',
          ).length,
        {
          timeout: 10_000,
        },
      )
      .toBeGreaterThanOrEqual(2);
    // Reconciliation still books it from the query.
    await expect
      .poll(async () => (await billStatus(gateway, bill.id)).status, { timeout: 15_000 })
      .toBe('paid');
  });

  it('a REST refund reaches the simulator and a REFUND webhook arrives', async () => {
    const bill = await livePay('ALI_QRCODE', 1000);
    await simulator.pay(outTradeNo(bill.id));
    await expect
      .poll(async () => (await billStatus(gateway, bill.id)).status, { timeout: 10_000 })
      .toBe('paid');
    const billNo = String(billNos.get(bill.id));
    const refund = await rest(gateway, {
      method: 'POST',
      path: 'rest/refund',
      secret: 'masterSecret',
      payload: { bill_no: billNo, refund_no: newRefundNo(), refund_fee: 250 },
    });
    expect(refund.json, refund.text).toMatchObject({ result_code: 0 });
    await expect
      .poll(async () => (await simulator.order(outTradeNo(bill.id)))?.refunds.length, { timeout: 10_000 })
      .toBe(1);
    expect((await simulator.order(outTradeNo(bill.id)))!.refunds[0].refund_fee).toBe(250);
    await expect.poll(() => webhooksFor(bill.id, 'REFUND').length, { timeout: 10_000 }).toBe(1);
  });
});
