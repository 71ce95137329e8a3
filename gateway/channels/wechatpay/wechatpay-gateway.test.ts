/**
 * The gateway in live mode with WeChat Pay: an app whose WX settings point at the WeChat Pay simulator, bills made
 * through the REST API on each channel, paid through the simulator's payer side, booked from its notify (posted to
 * `/notify/wx/{appId}`) with a PAY webhook; a refund that reaches the simulator and ends with a REFUND webhook; a
 * dropped notify booked by reconciliation.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateMerchantCredentials,
  startWechatpaySimulator,
  type MerchantCredentials,
  type WechatpaySimulator,
} from '../../../simulators/wechatpay/index.ts';
import { billStatus, startTestGateway, type TestGateway } from '../../testing/gateway-harness.ts';
import { startWebhookReceiver, webhooksFor, type WebhookReceiver } from '../../testing/webhook-receiver.ts';
import { newBillNo, rest } from '../../rest/testing/rest-caller.ts';
import { plainHttpClient } from '../testing/plain-http.ts';
import { wechatpayChannel } from './index.ts';

let sim: WechatpaySimulator;
let gateway: TestGateway;
let receiver: WebhookReceiver;
let credentials: MerchantCredentials;

beforeAll(async () => {
  sim = await startWechatpaySimulator({ notifyRetryScale: 0.001, refundDelayMs: 20 });
  receiver = await startWebhookReceiver();
  const merchantKey = generateMerchantCredentials('1900000401');
  credentials = sim.registerMerchant({
    mchid: '1900000401',
    appid: 'wx0401040104010401',
    merchant_certificate: merchantKey.certificatePem,
    key_mode: 'platform_certificate',
  });
  const settings = wechatpayChannel.parseSettings({
    mchid: '1900000401',
    appid: 'wx0401040104010401',
    merchant_private_key: merchantKey.privateKeyPem,
    merchant_serial_no: merchantKey.serialNo,
    apiv3_key: credentials.apiv3_key,
    platform_certificates: [credentials.platform_certificate],
    app_secret: credentials.app_secret,
    api_base_url: sim.url,
    oauth_base_url: sim.url,
    sns_api_base_url: sim.url,
  });
  gateway = await startTestGateway({
    app: {
      mode: 'live',
      channels: ['wx', 'wxmp', 'wxwap'],
      allowedOrigins: ['https://shop.example'],
      webhookUrl: receiver.url,
      liveWebhookUrl: receiver.url,
      channelSettings: { WX: settings as unknown as Record<string, unknown> },
    },
    channelFamilies: [wechatpayChannel],
    channelHttp: plainHttpClient(),
    timings: { reconcileAfterMs: 100, reconcilePassMs: 50 },
  } as Parameters<typeof startTestGateway>[0]);
});

afterAll(async () => {
  await gateway?.close();
  await receiver?.close();
  await sim?.close();
});

async function livePay(channel: string, totalFee: number, extra: Record<string, unknown> = {}) {
  const billNo = newBillNo();
  const answer = await rest(gateway, {
    method: 'POST',
    path: 'rest/bill',
    secret: 'appSecret',
    payload: { channel, bill_no: billNo, total_fee: totalFee, title: '微信实盘', ...extra },
  });
  expect(answer.json).toMatchObject({ result_code: 0 });
  return { billNo, id: String(answer.json.id), json: answer.json };
}

function postForm(url: string, form: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams(form).toString();
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function paidWebhook(billNo: string) {
  await expect.poll(() => webhooksFor(receiver, billNo).length, { timeout: 10_000 }).toBeGreaterThan(0);
  return JSON.parse(webhooksFor(receiver, billNo)[0].body) as Record<string, unknown>;
}

describe('live WeChat Pay through the gateway', () => {
  it('WX_NATIVE: code_url → the scan page pays → the notify books the bill → PAY webhook', async () => {
    const bill = await livePay('WX_NATIVE', 1);
    const codeUrl = String(bill.json.code_url);
    expect(codeUrl).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    const order = sim.order(bill.id.replaceAll('-', ''));
    expect(order?.notify_url).toBe(`${gateway.url}/notify/wx/${gateway.app.appId}`);
    expect(await postForm(`${sim.scanUrl(codeUrl)}/pay`, {})).toBe(200);
    const webhook = await paidWebhook(bill.billNo);
    expect(webhook).toMatchObject({ transaction_type: 'PAY', channel_type: 'WX', transaction_fee: 1 });
    expect(await billStatus(gateway, bill.id)).toMatchObject({
      status: 'paid',
      trade_no: sim.order(bill.id.replaceAll('-', ''))?.transaction_id,
    });
    await expect
      .poll(() => sim.notifies().find((n) => n.out_trade_no === bill.id.replaceAll('-', ''))?.status)
      .toBe(204);
  });

  it('WX_JSAPI: the REST answer carries the RSA-signed getBrandWCPayRequest parameters; the bridge pays', async () => {
    const bill = await livePay('WX_JSAPI', 2, { openid: credentials.payer_openid });
    expect(bill.json).toMatchObject({ app_id: 'wx0401040104010401', sign_type: 'RSA' });
    const params = {
      appId: String(bill.json.app_id),
      timeStamp: String(bill.json.timestamp),
      nonceStr: String(bill.json.nonce_str),
      package: String(bill.json.package),
      signType: 'RSA',
      paySign: String(bill.json.pay_sign),
    };
    const paid = await new Promise<string>((resolve, reject) => {
      const body = JSON.stringify(params);
      request(
        `${sim.url}/jsapi/pay`,
        { method: 'POST', headers: { 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        },
      )
        .on('error', reject)
        .end(body);
    });
    expect(JSON.parse(paid)).toEqual({ ok: true });
    expect(await paidWebhook(bill.billNo)).toMatchObject({
      transaction_fee: 2,
      sub_channel_type: 'WX_JSAPI',
    });
  });

  it('WX_WAP: the url is the H5 cashier with redirect_url back to the gateway’s result page', async () => {
    const bill = await livePay('WX_WAP', 3);
    const url = new URL(String(bill.json.url));
    expect(url.origin).toBe(sim.url);
    expect(url.searchParams.get('redirect_url')).toBe(`${gateway.url}/1/pay/jsbutton/result/${bill.id}`);
    expect(sim.order(bill.id.replaceAll('-', ''))?.payer_client_ip).toBe('127.0.0.1');
    sim.pay(bill.id.replaceAll('-', ''));
    expect(await paidWebhook(bill.billNo)).toMatchObject({ transaction_fee: 3 });
  });

  it('a refund reaches WeChat Pay and its REFUND.SUCCESS notify ends in a REFUND webhook', async () => {
    const bill = await livePay('WX_NATIVE', 50);
    sim.pay(bill.id.replaceAll('-', ''));
    await paidWebhook(bill.billNo);
    const refundNo = `${new Date().toISOString().slice(0, 10).replaceAll('-', '')}${Date.now() % 1_000_000}`;
    const answer = await rest(gateway, {
      method: 'POST',
      path: 'rest/refund',
      secret: 'masterSecret',
      payload: { refund_no: refundNo, bill_no: bill.billNo, refund_fee: 20 },
    });
    expect(answer.json).toMatchObject({ result_code: 0 });
    await expect.poll(() => webhooksFor(receiver, refundNo).length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(JSON.parse(webhooksFor(receiver, refundNo)[0].body)).toMatchObject({
      transaction_type: 'REFUND',
      transaction_fee: 20,
    });
    expect(sim.refunds().find((r) => r.out_trade_no === bill.id.replaceAll('-', ''))).toMatchObject({
      status: 'SUCCESS',
      refund: 20,
      total: 50,
    });
  });

  it('a refund whose notify is dropped is settled by queryRefund (the refund-settling timer) → REFUND webhook', async () => {
    const bill = await livePay('WX_NATIVE', 60);
    const outTradeNo = bill.id.replaceAll('-', '');
    sim.pay(outTradeNo);
    await paidWebhook(bill.billNo);
    sim.setOrderFaults(outTradeNo, { drop_notify: true });
    const refundNo = `${new Date().toISOString().slice(0, 10).replaceAll('-', '')}q${Date.now() % 1_000_000}`;
    const answer = await rest(gateway, {
      method: 'POST',
      path: 'rest/refund',
      secret: 'masterSecret',
      payload: { refund_no: refundNo, bill_no: bill.billNo, refund_fee: 60 },
    });
    expect(answer.json).toMatchObject({ result_code: 0 });
    await expect.poll(() => sim.refunds().find((r) => r.out_trade_no === outTradeNo)?.status).toBe('SUCCESS');
    expect(webhooksFor(receiver, refundNo)).toHaveLength(0);
    await gateway.ctx.core.refunds.settleProcessing(0);
    await expect.poll(() => webhooksFor(receiver, refundNo).length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(JSON.parse(webhooksFor(receiver, refundNo)[0].body)).toMatchObject({
      transaction_type: 'REFUND',
      transaction_fee: 60,
    });
    expect(sim.notifies().some((n) => n.out_refund_no !== null && n.out_trade_no === outTradeNo)).toBe(false);
  });

  it('a dropped notify: reconciliation asks WeChat Pay and books the bill', async () => {
    const bill = await livePay('WX_NATIVE', 4);
    const outTradeNo = bill.id.replaceAll('-', '');
    sim.setOrderFaults(outTradeNo, { drop_notify: true });
    sim.pay(outTradeNo);
    await expect
      .poll(async () => (await billStatus(gateway, bill.id)).status, { timeout: 10_000 })
      .toBe('paid');
    expect(sim.notifies().some((n) => n.out_trade_no === outTradeNo)).toBe(false);
    expect(await paidWebhook(bill.billNo)).toMatchObject({ transaction_fee: 4 });
  });

  it('WeChat OAuth for a JSAPI payer’s openid: gateway → WeChat authorize → gateway callback → the merchant page', async () => {
    const start = `${gateway.url}/wx/oauth/${gateway.app.appId}?redirect_uri=${encodeURIComponent('https://shop.example/pay?item=1')}&state=st-1`;
    const toWechat = new URL(await location(start));
    expect(toWechat.origin + toWechat.pathname).toBe(`${sim.url}/connect/oauth2/authorize`);
    expect(toWechat.searchParams.get('scope')).toBe('snsapi_base');
    expect(toWechat.searchParams.get('appid')).toBe('wx0401040104010401');
    expect(toWechat.searchParams.get('redirect_uri')).toBe(
      `${gateway.url}/wx/oauth/${gateway.app.appId}/callback`,
    );
    const callback = await location(toWechat.toString());
    expect(callback.startsWith(`${gateway.url}/wx/oauth/${gateway.app.appId}/callback?code=`)).toBe(true);
    const back = new URL(await location(callback));
    expect(back.origin + back.pathname).toBe('https://shop.example/pay');
    expect(back.searchParams.get('item')).toBe('1');
    expect(back.searchParams.get('state')).toBe('st-1');
    expect(back.searchParams.get('openid')).toBe(credentials.payer_openid);
    // The authorization is used once.
    const replay = await get(callback);
    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.body)).toMatchObject({ result_msg: 'PARAM_INVALID' });
    // Only back to an origin the app registered.
    const stranger = await get(
      `${gateway.url}/wx/oauth/${gateway.app.appId}?redirect_uri=${encodeURIComponent('https://evil.example/')}`,
    );
    expect(stranger.status).toBe(400);
    expect(JSON.parse(stranger.body)).toMatchObject({ result_msg: 'PARAM_INVALID' });
    expect(
      JSON.parse((await get(`${gateway.url}/wx/oauth/nosuchapp?redirect_uri=https%3A%2F%2Fx.example`)).body),
    ).toMatchObject({
      result_msg: 'APP_INVALID',
    });
    expect(
      JSON.parse(
        (await get(`${gateway.url}/wx/oauth/${gateway.app.appId}?redirect_uri=javascript:alert(1)`)).body,
      ),
    ).toMatchObject({
      result_msg: 'PARAM_INVALID',
    });
  });
});

function get(url: string): Promise<{ status: number; body: string; location: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          location: res.headers.location ?? '',
        }),
      );
    })
      .on('error', reject)
      .end();
  });
}

async function location(url: string): Promise<string> {
  const answer = await get(url);
  if (answer.status !== 302)
    throw new Error(`expected a redirect from ${url}, got ${answer.status}: ${answer.body}`);
  return answer.location;
}

describe('live WX_TRANSFER through the gateway (商家转账到零钱)', () => {
  let serial = 0;
  function wxTransfer(overrides: Record<string, unknown> = {}) {
    serial += 1;
    return {
      channel: 'WX_TRANSFER',
      transfer_no: `wxt${Date.now()}${serial}`,
      total_fee: 321,
      desc: '佣金',
      channel_user_id: credentials.payer_openid,
      ...overrides,
    };
  }
  const send = (payload: Record<string, unknown>) =>
    rest(gateway, { method: 'POST', path: 'rest/transfer', secret: 'masterSecret', payload });

  async function transferWebhook(transferNo: string) {
    await expect.poll(() => webhooksFor(receiver, transferNo).length, { timeout: 10_000 }).toBeGreaterThan(0);
    return JSON.parse(webhooksFor(receiver, transferNo)[0]!.body) as Record<string, unknown>;
  }

  it('pays the openid at WeChat Pay, announces it once; the same request answers the same transfer', async () => {
    const request = wxTransfer();
    const made = await send(request);
    expect(made.json, made.text).toMatchObject({ result_code: 0, transfer_status: 'SUCCESS' });
    expect(await transferWebhook(request.transfer_no)).toMatchObject({
      transaction_type: 'TRANSFER',
      channel_type: 'WX',
      sub_channel_type: 'WX_TRANSFER',
      transaction_fee: 321,
      trade_success: true,
    });
    const sent = sim.requests().filter((r) => r.method === 'POST' && r.path === '/v3/transfer/batches');
    const body = JSON.parse(sent.at(-1)!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      appid: 'wx0401040104010401',
      out_batch_no: request.transfer_no,
      total_amount: 321,
    });
    expect(body.transfer_detail_list).toEqual([
      {
        out_detail_no: request.transfer_no,
        transfer_amount: 321,
        transfer_remark: '佣金',
        openid: credentials.payer_openid,
      },
    ]);
    const again = await send(request);
    expect(again.json).toMatchObject({ result_code: 0, id: made.json.id, transfer_status: 'SUCCESS' });
    expect(webhooksFor(receiver, request.transfer_no)).toHaveLength(1);
  });

  it('stays PROCESSING while WeChat has not settled (CHANNEL_ERROR, ask again), then settles on the resend', async () => {
    const request = wxTransfer();
    sim.setOrderFaults(request.transfer_no, { transfer_status: 'PROCESSING' });
    const pending = await send(request);
    expect(pending.json).toMatchObject({ result_code: 7, result_msg: 'CHANNEL_ERROR' });
    expect(String(pending.json.err_detail)).toMatch(/^channel: WeChat Pay has not settled the transfer/);
    const listed = await rest(gateway, {
      method: 'GET',
      path: 'rest/transfers',
      secret: 'appSecret',
      payload: { transfer_no: request.transfer_no },
    });
    expect((listed.json.bills as Record<string, unknown>[])[0]).toMatchObject({
      transfer_status: 'PROCESSING',
    });
    sim.setOrderFaults(request.transfer_no, { transfer_status: 'SUCCESS' });
    const settled = await send(request);
    expect(settled.json).toMatchObject({ result_code: 0, transfer_status: 'SUCCESS' });
    const creations = sim
      .requests()
      .filter(
        (r) =>
          r.method === 'POST' && r.path === '/v3/transfer/batches' && r.body.includes(request.transfer_no),
      );
    expect(creations).toHaveLength(1);
  });

  it('records a transfer WeChat fails or refuses as FAIL, with its reason and a webhook', async () => {
    const frozen = wxTransfer();
    sim.setOrderFaults(frozen.transfer_no, { transfer_status: 'FAIL' });
    const failed = await send(frozen);
    expect(failed.json).toMatchObject({ result_code: 7 });
    expect(String(failed.json.err_detail)).toMatch(/^channel_user_id: FAIL: ACCOUNT_FROZEN/);
    expect(await transferWebhook(frozen.transfer_no)).toMatchObject({
      trade_success: false,
      transfer_status: 'FAIL',
    });

    const stranger = wxTransfer({ channel_user_id: 'o_someone_else' });
    const refused = await send(stranger);
    expect(refused.json).toMatchObject({ result_code: 7 });
    expect(String(refused.json.err_detail)).toMatch(/^channel_user_id: PARAM_ERROR/);
  });

  it('still refuses live red packets (no channel for them)', async () => {
    const answer = await send({
      channel: 'WX_REDPACK',
      transfer_no: String(Date.now()).slice(-10),
      total_fee: 100,
      desc: 'x',
      channel_user_id: credentials.payer_openid,
      redpack_info: { send_name: '店', wishing: '祝', act_name: '活动' },
    });
    expect(answer.json).toMatchObject({ result_code: 2, result_msg: 'PAY_FACTOR_NOT_SET' });
  });
});
