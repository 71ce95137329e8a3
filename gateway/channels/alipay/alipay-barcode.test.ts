/**
 * Offline payments of a live app on Alipay, the whole gateway against the Alipay simulator over real HTTP:
 * ALI_SCAN is alipay.trade.pay with scene bar_code (paid at once; 10003 waiting for the payer's password, then
 * settled by the status query; refused), REVERT is alipay.trade.cancel, ALI_OFFLINE_QRCODE is alipay.trade.precreate.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlipaySimulator, type AlipaySimulatorHandle } from '../../../simulators/alipay/index.ts';
import { newBillNo, rest, type RestAnswer } from '../../rest/testing/rest-caller.ts';
import { startTestGateway, type TestGateway } from '../../testing/gateway-harness.ts';
import { startWebhookReceiver, webhooksFor, type WebhookReceiver } from '../../testing/webhook-receiver.ts';
import { plainHttp } from '../testing/plain-http.ts';
import { outTradeNoFor } from '../channel.ts';
import { alipayChannel } from './index.ts';

let simulator: AlipaySimulatorHandle;
let gateway: TestGateway;
let receiver: WebhookReceiver;

beforeAll(async () => {
  simulator = await startAlipaySimulator({ notifyRetryScale: 0.001, payerConfirmMs: 200 });
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const merchant = await simulator.registerMerchant({ app_public_key: keys.publicKey });
  const settings = alipayChannel.parseSettings({
    app_id: merchant.app_id,
    mode: 'public_key',
    app_private_key: keys.privateKey,
    alipay_public_key: simulator.alipayPublicKey,
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
  });
});

afterAll(async () => {
  await gateway?.close();
  await receiver?.close();
  await simulator?.close();
});

let serial = 0;
function authCode(last: string): string {
  serial += 1;
  return `28${`${Date.now()}${String(serial).padStart(3, '0')}`.slice(-15)}${last}`;
}

const call = (path: string, payload: Record<string, unknown>) =>
  rest(gateway, { method: 'POST', path, payload, secret: 'appSecret' });

async function statusUntilPaid(billNo: string): Promise<RestAnswer> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await call('rest/offline/bill/status', { bill_no: billNo });
    if (answer.json.pay_result === true || Date.now() > deadline) return answer;
  }
}

async function payWebhookOf(billNo: string) {
  const deadline = Date.now() + 10_000;
  while (webhooksFor(receiver, billNo).length === 0 && Date.now() < deadline) {
    await receiver.waitFor(receiver.received.length + 1, deadline - Date.now()).catch(() => []);
  }
  return webhooksFor(receiver, billNo).map((webhook) => JSON.parse(webhook.body) as Record<string, unknown>);
}

describe('ALI_SCAN: alipay.trade.pay, scene bar_code', () => {
  it('books a payment code Alipay took at once', async () => {
    const billNo = newBillNo();
    const code = authCode('0');
    const paid = await call('rest/offline/bill', {
      channel: 'ALI_SCAN',
      bill_no: billNo,
      title: '条码支付',
      total_fee: 1234,
      auth_code: code,
      store_id: 'NJ_001',
    });
    expect(paid.json, paid.text).toMatchObject({ result_code: 0, pay_result: true });
    const order = await simulator.order(outTradeNoFor(String(paid.json.id)));
    expect(order).toMatchObject({
      status: 'TRADE_SUCCESS',
      total_amount: '12.34',
      method: 'alipay.trade.pay',
    });
    const sent = (await simulator.requests()).find((r) => r.method === 'alipay.trade.pay');
    expect(sent?.biz_content).toMatchObject({ scene: 'bar_code', auth_code: code, total_amount: '12.34' });
    const [webhook] = await payWebhookOf(billNo);
    expect(webhook).toMatchObject({
      channel_type: 'ALI',
      sub_channel_type: 'ALI_SCAN',
      transaction_fee: 1234,
    });
  });

  it('leaves a payment waiting for the password open (10003), then books it when the payer confirms', async () => {
    const billNo = newBillNo();
    const waiting = await call('rest/offline/bill', {
      channel: 'ALI_SCAN',
      bill_no: billNo,
      title: '输密码',
      total_fee: 500,
      auth_code: authCode('1'),
    });
    expect(waiting.json, waiting.text).toMatchObject({ result_code: 0, pay_result: false });
    const settled = await statusUntilPaid(billNo);
    expect(settled.json).toMatchObject({ result_code: 0, pay_result: true, id: waiting.json.id });
    const webhooks = await payWebhookOf(billNo);
    expect(webhooks).toHaveLength(1);
    expect(webhooks[0]).toMatchObject({ transaction_fee: 500, trade_success: true });
  });

  it('answers a payer without balance with CHANNEL_ERROR naming auth_code', async () => {
    const billNo = newBillNo();
    const refused = await call('rest/offline/bill', {
      channel: 'ALI_SCAN',
      bill_no: billNo,
      title: '余额不足',
      total_fee: 100,
      auth_code: authCode('2'),
    });
    expect(refused.json).toMatchObject({ result_code: 7, result_msg: 'CHANNEL_ERROR' });
    expect(String(refused.json.err_detail)).toMatch(/^auth_code: .*ACQ\.BUYER_BALANCE_NOT_ENOUGH/);
  });

  it('reverts a payment the payer never confirms with alipay.trade.cancel', async () => {
    const billNo = newBillNo();
    const waiting = await call('rest/offline/bill', {
      channel: 'ALI_SCAN',
      bill_no: billNo,
      title: '撤销',
      total_fee: 300,
      auth_code: authCode('3'),
    });
    expect(waiting.json).toMatchObject({ pay_result: false });
    const reverted = await call(`rest/offline/bill/${billNo}`, { method: 'REVERT' });
    expect(reverted.json).toMatchObject({ result_code: 0, revert_status: true });
    expect((await simulator.requests()).some((r) => r.method === 'alipay.trade.cancel')).toBe(true);
    expect(await simulator.order(outTradeNoFor(String(waiting.json.id)))).toMatchObject({
      status: 'TRADE_CLOSED',
    });
    expect((await call('rest/offline/bill/status', { bill_no: billNo })).json).toMatchObject({
      pay_result: false,
    });
  });
});

describe('ALI_OFFLINE_QRCODE: alipay.trade.precreate', () => {
  it('answers the code_url Alipay made; the payer pays it and the status query finds it paid', async () => {
    const billNo = newBillNo();
    const made = await call('rest/offline/bill', {
      channel: 'ALI_OFFLINE_QRCODE',
      bill_no: billNo,
      title: '收银台扫码',
      total_fee: 800,
    });
    expect(made.json, made.text).toMatchObject({ result_code: 0 });
    expect(String(made.json.code_url)).toMatch(new RegExp(`^${simulator.url}/scan/`));
    await simulator.pay(outTradeNoFor(String(made.json.id)));
    expect((await statusUntilPaid(billNo)).json).toMatchObject({ pay_result: true });
  });
});
