/**
 * A live app's ALI_TRANSFER through the Alipay adapter against the Alipay simulator over real HTTP
 * (alipay.fund.trans.uni.transfer): made at once with Alipay's order_id as trade_no and a TRANSFER webhook; a
 * payee Alipay does not know fails with its sub_code; a resend is the same transfer; other live transfers are
 * refused with PAY_FACTOR_NOT_SET.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAlipaySimulator, type AlipaySimulatorHandle } from '../../../simulators/alipay/index.ts';
import { rest } from '../../rest/testing/rest-caller.ts';
import { startTestGateway, type TestGateway } from '../../testing/gateway-harness.ts';
import { startWebhookReceiver, webhooksFor, type WebhookReceiver } from '../../testing/webhook-receiver.ts';
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
  const merchant = await simulator.registerMerchant({ app_public_key: keys.publicKey, mode: 'public_key' });
  const settings = alipayChannel.parseSettings({
    app_id: merchant.app_id,
    mode: 'public_key',
    app_private_key: keys.privateKey,
    alipay_public_key: merchant.alipay_public_key,
    seller_id: merchant.seller_id,
    gateway_url: simulator.gatewayUrl,
  });
  receiver = await startWebhookReceiver();
  gateway = await startTestGateway({
    app: {
      mode: 'live',
      channels: ['ali'],
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
function aliTransfer(overrides: Record<string, unknown> = {}) {
  serial += 1;
  return {
    channel: 'ALI_TRANSFER',
    transfer_no: `live${Date.now()}${serial}`,
    total_fee: 1234,
    desc: '佣金',
    channel_user_id: 'payee@alipay.example',
    channel_user_name: '收款人',
    account_name: '某公司',
    ...overrides,
  };
}

async function webhookOf(transferNo: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 10_000;
  while (webhooksFor(receiver, transferNo).length === 0 && Date.now() < deadline) {
    await receiver.waitFor(receiver.received.length + 1, 2000).catch(() => []);
  }
  const [webhook] = webhooksFor(receiver, transferNo);
  if (!webhook) throw new Error(`no webhook for ${transferNo}`);
  return JSON.parse(webhook.body) as Record<string, unknown>;
}

it('transfers through alipay.fund.trans.uni.transfer and announces it', async () => {
  const request = aliTransfer();
  const made = await rest(gateway, {
    method: 'POST',
    path: 'rest/transfer',
    secret: 'masterSecret',
    payload: request,
  });
  expect(made.json, made.text).toMatchObject({ result_code: 0, transfer_status: 'SUCCESS' });
  expect(made.json.url).toBeUndefined();
  expect(await webhookOf(request.transfer_no)).toMatchObject({
    transaction_type: 'TRANSFER',
    channel_type: 'ALI',
    transaction_fee: 1234,
    trade_success: true,
  });
  const listed = await rest(gateway, {
    method: 'GET',
    path: 'rest/transfers',
    secret: 'appSecret',
    payload: { transfer_no: request.transfer_no },
  });
  const [record] = listed.json.bills as Record<string, unknown>[];
  expect(record).toMatchObject({ transfer_status: 'SUCCESS', spay_result: true });
  expect(String(record?.trade_no)).toMatch(/^\d{32}$/);

  const again = await rest(gateway, {
    method: 'POST',
    path: 'rest/transfer',
    secret: 'masterSecret',
    payload: request,
  });
  expect(again.json).toMatchObject({ result_code: 0, id: made.json.id, transfer_status: 'SUCCESS' });
  expect(webhooksFor(receiver, request.transfer_no)).toHaveLength(1);
});

it('fails a transfer to a payee Alipay does not know, with its reason', async () => {
  const request = aliTransfer({ channel_user_id: 'nobody-fail@alipay.example' });
  const refused = await rest(gateway, {
    method: 'POST',
    path: 'rest/transfer',
    secret: 'masterSecret',
    payload: request,
  });
  expect(refused.json).toMatchObject({ result_code: 7 });
  expect(String(refused.json.err_detail)).toMatch(/^channel_user_id: PAYEE_NOT_EXIST/);
  expect(await webhookOf(request.transfer_no)).toMatchObject({
    trade_success: false,
    transfer_status: 'FAIL',
  });
});

it('refuses the live transfers spay has no channel for', async () => {
  const answer = await rest(gateway, {
    method: 'POST',
    path: 'rest/transfer',
    secret: 'masterSecret',
    payload: {
      channel: 'WX_TRANSFER',
      transfer_no: `wx${Date.now()}`,
      total_fee: 100,
      desc: 'x',
      channel_user_id: 'o-openid',
    },
  });
  expect(answer.json).toMatchObject({ result_code: 2 });
});
