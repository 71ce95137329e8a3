/**
 * The WeChat Pay adapter against the WeChat Pay simulator over real HTTP on 127.0.0.1, in both key modes
 * (platform certificate, WeChat Pay public key): every payment channel paid through the simulator's payer side,
 * notifies received and parsed, query, close, refunds finishing by notify and by query, and every fault switch.
 */
import { randomUUID } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Formatter, Rsa } from 'wechatpay-axios-plugin';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  generateMerchantCredentials,
  startWechatpaySimulator,
  type KeyMode,
  type MerchantCredentials,
  type WechatpaySimulator,
} from '../../../simulators/wechatpay/index.ts';
import {
  ChannelCallError,
  NotifyRejected,
  outTradeNoFor,
  type ChannelAdapter,
  type ChannelAttempt,
  type ChannelName,
  type ChannelNotice,
  type ChannelUrls,
  type RawChannelNotify,
} from '../channel.ts';
import { plainHttpClient } from '../testing/plain-http.ts';
import { wechatpayChannel } from './index.ts';

async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The merchant's notify endpoint: records every notify and answers as the gateway does (parse → answer). */
class NotifyReceiver {
  readonly received: RawChannelNotify[] = [];
  readonly notices: ChannelNotice[] = [];
  readonly rejections: string[] = [];
  /** By notify path: statuses to answer before the adapter decides (a merchant server down for a while). */
  readonly failFirst = new Map<string, number[]>();
  adapter: ChannelAdapter | null = null;
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw: RawChannelNotify = { body: Buffer.concat(chunks).toString('utf8'), headers: req.headers };
        this.received.push(raw);
        const forced = this.failFirst.get(req.url ?? '')?.shift();
        if (forced !== undefined) {
          res.writeHead(forced, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ code: 'FAIL', message: 'merchant server busy' }));
          return;
        }
        const adapter = this.adapter;
        if (!adapter) throw new Error('no adapter');
        adapter.parseNotify(raw).then(
          (notice) => {
            this.notices.push(notice);
            const answer = adapter.notifyAnswer(true);
            res.writeHead(answer.status, { 'content-type': answer.contentType });
            res.end(answer.body);
          },
          (error: unknown) => {
            this.rejections.push((error as Error).message);
            const answer = adapter.notifyAnswer(!(error instanceof NotifyRejected));
            res.writeHead(answer.status, { 'content-type': answer.contentType });
            res.end(answer.body);
          },
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/notify/WX/app-1`;
  }

  reset(): void {
    this.received.length = 0;
    this.notices.length = 0;
    this.rejections.length = 0;
    this.failFirst.clear();
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }
}

/** A form POST or GET from the payer's browser (node:http; no redirects followed). */
function browser(
  url: string,
  method: 'GET' | 'POST' = 'GET',
  form?: Record<string, string>,
): Promise<{ status: number; body: string; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const req = request(
      url,
      {
        method,
        headers: body
          ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            location: res.headers.location,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function postJson(url: string, payload: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(payload);
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let sim: WechatpaySimulator;
const receiver = new NotifyReceiver();

beforeAll(async () => {
  sim = await startWechatpaySimulator({ notifyRetryScale: 0.0005, refundDelayMs: 20 });
  await receiver.start();
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

interface Setup {
  adapter: ChannelAdapter;
  credentials: MerchantCredentials;
  settings: Record<string, unknown>;
}

function merchant(keyMode: KeyMode, mchid: string, appid: string): Setup {
  const merchantKey = generateMerchantCredentials(mchid);
  const credentials = sim.registerMerchant({
    mchid,
    appid,
    merchant_certificate: merchantKey.certificatePem,
    key_mode: keyMode,
  });
  const settings: Record<string, unknown> = {
    mchid,
    appid,
    merchant_private_key: merchantKey.privateKeyPem,
    merchant_serial_no: merchantKey.serialNo,
    merchant_certificate: merchantKey.certificatePem,
    apiv3_key: credentials.apiv3_key,
    api_base_url: sim.url,
    ...(keyMode === 'platform_certificate'
      ? { platform_certificates: [credentials.platform_certificate] }
      : {
          wechatpay_public_key: credentials.wechatpay_public_key,
          wechatpay_public_key_id: credentials.wechatpay_public_key_id,
        }),
  };
  const adapter = wechatpayChannel.createAdapter(wechatpayChannel.parseSettings(settings), {
    http: plainHttpClient({ maxTimeoutMs: 800 }),
  });
  return { adapter, credentials, settings };
}

function attempt(channel: ChannelName, extra: Partial<ChannelAttempt> = {}): ChannelAttempt {
  const billId = randomUUID();
  return {
    billId,
    outTradeNo: outTradeNoFor(billId),
    billNo: `bill${Date.now()}`,
    channel,
    title: '秒支付 test order',
    totalFee: 1,
    createTime: Date.now(),
    expiresAt: Date.now() + 30 * 60_000,
    openid: null,
    payerIp: '203.0.113.9',
    ...extra,
  };
}

function urls(): ChannelUrls {
  return { notifyUrl: receiver.url, returnUrl: 'https://shop.example/return?bill=1&x=a b', quitUrl: null };
}

afterEach(() => receiver.reset());

async function paymentNotice(outTradeNo: string) {
  return waitFor(
    () =>
      receiver.notices.find(
        (n): n is Extract<ChannelNotice, { kind: 'payment' }> =>
          n.kind === 'payment' && n.outTradeNo === outTradeNo,
      ),
    `the payment notify for ${outTradeNo}`,
  );
}

describe.each<[KeyMode, string, string]>([
  ['public_key', '1900000101', 'wx1111111111111111'],
  ['platform_certificate', '1900000102', 'wx2222222222222222'],
])('WeChat Pay adapter ⇄ simulator, key mode %s', (keyMode, mchid, appid) => {
  let setup: Setup;
  beforeAll(() => {
    setup = merchant(keyMode, mchid, appid);
  });
  beforeEach(() => {
    receiver.adapter = setup.adapter;
  });

  it('WX_NATIVE: code_url → scan page → pay → a verified, decrypted TRANSACTION.SUCCESS; query says paid', async () => {
    const bill = attempt('WX_NATIVE', { totalFee: 1234 });
    const start = await setup.adapter.createPayment(bill, urls());
    if (start.action !== 'qr') throw new Error(`expected a qr start, got ${start.action}`);
    expect(start.codeUrl).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=[0-9a-z]+$/);
    expect(await setup.adapter.queryPayment(bill)).toEqual({ status: 'open' });

    const page = await browser(sim.scanUrl(start.codeUrl));
    expect(page.status).toBe(200);
    expect(page.body).toContain('付款 Pay ¥12.34');
    const paid = await browser(`${sim.scanUrl(start.codeUrl)}/pay`, 'POST', {});
    expect(paid.body).toContain('支付成功');

    const notice = await paymentNotice(bill.outTradeNo);
    expect(notice.totalFee).toBe(1234);
    expect(notice.tradeNo).toBe(sim.order(bill.outTradeNo)?.transaction_id);
    expect(notice.detail).toMatchObject({ mchid, appid, trade_state: 'SUCCESS' });
    // Answered 204: WeChat stops resending.
    const attempts = await waitFor(() => {
      const list = sim.notifies().filter((n) => n.out_trade_no === bill.outTradeNo);
      return list.length > 0 ? list : null;
    }, 'the notify log');
    expect(attempts).toHaveLength(1);
    expect(attempts[0].status).toBe(204);
    expect(attempts[0].url).toBe(receiver.url);

    const query = await setup.adapter.queryPayment(bill);
    expect(query).toMatchObject({ status: 'paid', tradeNo: notice.tradeNo, totalFee: 1234 });
    // Creating it again is refused as WeChat does (the core keeps the bill paid).
    await expect(setup.adapter.createPayment(bill, urls())).rejects.toMatchObject({ code: 'ORDERPAID' });
    await expect(setup.adapter.closePayment(bill)).rejects.toMatchObject({
      code: 'ORDERPAID',
      retryable: false,
    });

    // What went over the wire: a v3 request signed by the merchant, checked with an independent implementation.
    const sent = sim
      .requests()
      .find((r) => r.path === '/v3/pay/transactions/native' && r.body.includes(bill.outTradeNo));
    expect(sent).toBeDefined();
    const auth =
      /mchid="(\d+)",nonce_str="(\w+)",timestamp="(\d+)",serial_no="([0-9A-F]+)",signature="([^"]+)"/.exec(
        sent!.headers.authorization,
      );
    expect(auth?.[1]).toBe(mchid);
    const certificatePublicKey = new (await import('node:crypto')).X509Certificate(
      setup.settings.merchant_certificate as string,
    ).publicKey;
    expect(
      Rsa.verify(
        Formatter.request('POST', '/v3/pay/transactions/native', auth![3], auth![2], sent!.body),
        auth![5],
        certificatePublicKey,
      ),
    ).toBe(true);
    expect(JSON.parse(sent!.body)).toMatchObject({
      appid,
      mchid,
      out_trade_no: bill.outTradeNo,
      notify_url: receiver.url,
      amount: { total: 1234, currency: 'CNY' },
      description: '秒支付 test order',
    });
    expect(JSON.parse(sent!.body).time_expire).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  });

  it('WX_JSAPI: prepay_id → signed getBrandWCPayRequest parameters → the bridge pays → notify', async () => {
    const bill = attempt('WX_JSAPI', { openid: setup.credentials.payer_openid, totalFee: 5 });
    const start = await setup.adapter.createPayment(bill, urls());
    if (start.action !== 'jsapi') throw new Error(`expected a jsapi start, got ${start.action}`);
    const params = start.params;
    expect(params).toMatchObject({ appId: appid, signType: 'RSA' });
    expect(params.package).toMatch(/^prepay_id=wx/);
    expect(params.package).toBe(`prepay_id=${sim.order(bill.outTradeNo)?.prepay_id}`);

    // What the bridge stand-in does when the page calls getBrandWCPayRequest and the payer taps 付款.
    const checked = await postJson(`${sim.url}/jsapi/request`, params);
    expect(checked).toMatchObject({ ok: true, order: { total: 5, amount: '0.05' } });
    const tampered = await postJson(`${sim.url}/jsapi/request`, {
      ...params,
      timeStamp: String(Number(params.timeStamp) + 1),
    });
    expect(tampered).toMatchObject({ ok: false, err_desc: 'paySign does not verify' });
    expect(await postJson(`${sim.url}/jsapi/pay`, params)).toEqual({ ok: true });

    const notice = await paymentNotice(bill.outTradeNo);
    expect(notice.totalFee).toBe(5);
    expect(notice.detail).toMatchObject({
      payer: { openid: setup.credentials.payer_openid },
      trade_type: 'JSAPI',
    });
  });

  it('WX_JSAPI without an openid is refused before any call; with a stranger’s openid WeChat says PARAM_ERROR', async () => {
    await expect(setup.adapter.createPayment(attempt('WX_JSAPI'), urls())).rejects.toMatchObject({
      code: 'PARAM_ERROR',
    });
    await expect(
      setup.adapter.createPayment(attempt('WX_JSAPI', { openid: 'oSomeoneElse000000000000000' }), urls()),
    ).rejects.toMatchObject({ code: 'PARAM_ERROR', retryable: false });
  });

  it('WX_WAP: h5_url + redirect_url → the H5 cashier pays and sends the payer back → notify', async () => {
    const bill = attempt('WX_WAP', { totalFee: 100 });
    const start = await setup.adapter.createPayment(bill, urls());
    if (start.action !== 'redirect') throw new Error(`expected a redirect start, got ${start.action}`);
    expect(start.method).toBe('GET');
    // A GET form replaces the action's query: the h5_url's parameters travel as fields.
    expect(start.url).toBe(`${sim.url}/h5/pay`);
    expect(start.param).toEqual({
      prepay_id: sim.order(bill.outTradeNo)?.prepay_id,
      package: expect.stringMatching(/^\d+$/),
      redirect_url: urls().returnUrl,
    });
    const target = new URL(start.url);
    for (const [name, value] of Object.entries(start.param)) target.searchParams.set(name, value);
    const sent = sim
      .requests()
      .find((r) => r.path === '/v3/pay/transactions/h5' && r.body.includes(bill.outTradeNo));
    expect(JSON.parse(sent!.body).scene_info).toEqual({
      payer_client_ip: '203.0.113.9',
      h5_info: { type: 'Wap' },
    });

    const page = await browser(target.toString());
    expect(page.body).toContain('付款 Pay ¥1.00');
    const back = await browser(`${sim.url}/h5/pay`, 'POST', {
      prepay_id: target.searchParams.get('prepay_id')!,
      redirect_url: urls().returnUrl,
      choice: 'pay',
    });
    expect(back.status).toBe(302);
    expect(back.location).toBe(urls().returnUrl);
    expect((await paymentNotice(bill.outTradeNo)).totalFee).toBe(100);
  });

  it('WX_WAP needs the payer IP', async () => {
    await expect(
      setup.adapter.createPayment(attempt('WX_WAP', { payerIp: null }), urls()),
    ).rejects.toMatchObject({
      code: 'PARAM_ERROR',
    });
  });

  it('query: not_found before the order exists; close makes it closed; a closed order cannot be ordered again', async () => {
    const bill = attempt('WX_NATIVE');
    expect(await setup.adapter.queryPayment(bill)).toEqual({ status: 'not_found' });
    await setup.adapter.closePayment(bill); // the channel never saw it: fine
    await setup.adapter.createPayment(bill, urls());
    // Idempotent: the same order again gives the same code_url.
    const again = await setup.adapter.createPayment(bill, urls());
    expect(again).toEqual({ action: 'qr', codeUrl: sim.order(bill.outTradeNo)?.code_url });
    await setup.adapter.closePayment(bill);
    await setup.adapter.closePayment(bill);
    expect(await setup.adapter.queryPayment(bill)).toEqual({ status: 'closed' });
    expect(() => sim.pay(bill.outTradeNo)).toThrow('订单已关闭');
    await expect(setup.adapter.createPayment(bill, urls())).rejects.toMatchObject({ code: 'ORDER_CLOSED' });
  });

  it('refund: PROCESSING, then REFUND.SUCCESS by notify; the query agrees; the order shows REFUND', async () => {
    const bill = attempt('WX_NATIVE', { totalFee: 300 });
    await setup.adapter.createPayment(bill, urls());
    sim.pay(bill.outTradeNo);
    await paymentNotice(bill.outTradeNo);
    const refund = { outRefundNo: `R${bill.outTradeNo}`, refundFee: 120, reason: '不想要了' };
    const result = await setup.adapter.refund(bill, refund, urls());
    expect(result).toMatchObject({ status: 'processing' });
    const notice = await waitFor(
      () => receiver.notices.find((n) => n.kind === 'refund' && n.outRefundNo === refund.outRefundNo),
      'the refund notify',
    );
    expect(notice).toMatchObject({
      kind: 'refund',
      outTradeNo: bill.outTradeNo,
      result: { status: 'success', refundFee: 120 },
    });
    expect(await setup.adapter.queryRefund(bill, refund)).toMatchObject({
      status: 'success',
      refundFee: 120,
    });
    // The same refund again is the same refund.
    expect(await setup.adapter.refund(bill, refund, urls())).toMatchObject({
      status: 'success',
      refundFee: 120,
    });
    expect(await setup.adapter.queryPayment(bill)).toMatchObject({ status: 'paid', totalFee: 300 });
    expect(sim.order(bill.outTradeNo)?.trade_state).toBe('REFUND');
    // More than is left is refused.
    await expect(
      setup.adapter.refund(
        bill,
        { outRefundNo: `R2${bill.outTradeNo}`, refundFee: 181, reason: null },
        urls(),
      ),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('WX_TRANSFER: a batch of one detail to the openid, SUCCESS at once; the same request again reads it, never pays twice', async () => {
    const no = `T${Date.now()}${keyMode === 'public_key' ? 1 : 2}`;
    const request = {
      outBizNo: no,
      totalFee: 150,
      payeeAccount: setup.credentials.payer_openid,
      payeeName: null,
      title: '佣金',
    };
    const first = await setup.adapter.transfer!(request);
    expect(first).toMatchObject({ status: 'SUCCESS' });
    expect(first.status === 'SUCCESS' && first.channelTransferNo).toMatch(/^1040000\d{25}$/);
    expect(first.detail).toMatchObject({
      out_batch_no: no,
      out_detail_no: no,
      transfer_amount: 150,
      openid: setup.credentials.payer_openid,
    });
    const again = await setup.adapter.transfer!(request);
    expect(again).toEqual(first);
  });

  it('WX_TRANSFER: PROCESSING stays retryable until WeChat settles; FAIL and refusals are final', async () => {
    const openid = setup.credentials.payer_openid;
    const slow = `S${Date.now()}${keyMode === 'public_key' ? 1 : 2}`;
    sim.setOrderFaults(slow, { transfer_status: 'PROCESSING' });
    const transfer = {
      outBizNo: slow,
      totalFee: 200,
      payeeAccount: openid,
      payeeName: null,
      title: '退押金',
    };
    await expect(setup.adapter.transfer!(transfer)).rejects.toMatchObject({
      code: 'PROCESSING',
      retryable: true,
    });
    sim.setOrderFaults(slow, { transfer_status: 'SUCCESS' });
    expect(await setup.adapter.transfer!(transfer)).toMatchObject({ status: 'SUCCESS' });

    const frozen = `F${Date.now()}${keyMode === 'public_key' ? 1 : 2}`;
    sim.setOrderFaults(frozen, { transfer_status: 'FAIL' });
    expect(await setup.adapter.transfer!({ ...transfer, outBizNo: frozen })).toMatchObject({
      status: 'FAIL',
      reason: 'FAIL: ACCOUNT_FROZEN',
    });

    const stranger = await setup.adapter.transfer!({
      ...transfer,
      outBizNo: `X${frozen}`,
      payeeAccount: 'o_not_under_this_appid',
    });
    expect(stranger).toMatchObject({ status: 'FAIL' });
    expect(stranger.status === 'FAIL' && stranger.reason).toMatch(/^PARAM_ERROR: /);

    const big = await setup.adapter.transfer!({ ...transfer, outBizNo: `B${frozen}`, totalFee: 200_000 });
    expect(big).toMatchObject({ status: 'FAIL' });
    expect(sim.requests().some((r) => r.path.includes(`B${frozen}`) || r.body.includes(`B${frozen}`))).toBe(
      false,
    );
  });
});

describe('faults', () => {
  let setup: Setup;
  beforeAll(() => {
    setup = merchant('public_key', '1900000103', 'wx3333333333333333');
  });
  beforeEach(() => {
    receiver.adapter = setup.adapter;
  });

  async function paidBill(totalFee = 1, faults: Parameters<WechatpaySimulator['setOrderFaults']>[1] = {}) {
    const bill = attempt('WX_NATIVE', { totalFee });
    sim.setOrderFaults(bill.outTradeNo, faults);
    await setup.adapter.createPayment(bill, urls());
    sim.pay(bill.outTradeNo);
    return bill;
  }

  it('drop_notify: nothing arrives; reconciliation by query finds it paid', async () => {
    const bill = await paidBill(42, { drop_notify: true });
    expect(await setup.adapter.queryPayment(bill)).toMatchObject({ status: 'paid', totalFee: 42 });
    const other = await paidBill(1);
    await paymentNotice(other.outTradeNo);
    expect(sim.notifies().some((n) => n.out_trade_no === bill.outTradeNo)).toBe(false);
  });

  it('duplicate_notify: the same notify twice, both verify (the core books once)', async () => {
    const bill = await paidBill(7, { duplicate_notify: true });
    await waitFor(
      () =>
        receiver.notices.filter((n) => n.kind === 'payment' && n.outTradeNo === bill.outTradeNo).length === 2,
      'two notifies',
    );
    const ids = receiver.received.map((raw) => JSON.parse(raw.body).id);
    expect(new Set(ids).size).toBe(1);
  });

  it('delay_notify_ms: the notify comes later', async () => {
    const before = Date.now();
    const bill = await paidBill(1, { delay_notify_ms: 150 });
    await paymentNotice(bill.outTradeNo);
    expect(Date.now() - before).toBeGreaterThanOrEqual(150);
  });

  it('wrong_amount: the adapter reports what WeChat says, exactly (the core refuses to book it)', async () => {
    const bill = await paidBill(500, { wrong_amount: true });
    expect((await paymentNotice(bill.outTradeNo)).totalFee).toBe(501);
    expect(await setup.adapter.queryPayment(bill)).toMatchObject({ totalFee: 501 });
  });

  it('bad_signature: the notify is rejected with 400 FAIL and WeChat resends on its schedule; answers fail BAD_SIGNATURE', async () => {
    const bill = attempt('WX_NATIVE');
    await setup.adapter.createPayment(bill, urls());
    sim.setOrderFaults(bill.outTradeNo, { bad_signature: true });
    sim.pay(bill.outTradeNo);
    const attempts = await waitFor(() => {
      const list = sim.notifies().filter((n) => n.out_trade_no === bill.outTradeNo);
      return list.length >= 3 ? list : null;
    }, 'three notify attempts');
    expect(attempts[0].status).toBe(400);
    expect(JSON.parse(attempts[0].answer)).toMatchObject({ code: 'FAIL' });
    expect(receiver.rejections[0]).toContain('Wechatpay-Signature does not verify');
    await expect(setup.adapter.queryPayment(bill)).rejects.toMatchObject({
      code: 'BAD_SIGNATURE',
      retryable: false,
    });
    sim.setOrderFaults(bill.outTradeNo, { bad_signature: false });
  });

  it('an unanswered notify is resent (15 s, 15 s, 30 s … × scale) until the merchant answers success', async () => {
    receiver.failFirst.set('/notify/WX/flaky', [500, 503]);
    const bill = attempt('WX_NATIVE', { totalFee: 3 });
    await setup.adapter.createPayment(bill, {
      ...urls(),
      notifyUrl: receiver.url.replace(/[^/]+$/, 'flaky'),
    });
    sim.pay(bill.outTradeNo);
    await paymentNotice(bill.outTradeNo);
    await waitFor(
      () => sim.notifies().filter((n) => n.out_trade_no === bill.outTradeNo).length === 3,
      'the log',
    );
    const attempts = sim.notifies().filter((n) => n.out_trade_no === bill.outTradeNo);
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 204],
    ]);
  });

  it('api_5xx: SYSTEM_ERROR, retryable; the next call works', async () => {
    const bill = attempt('WX_NATIVE');
    sim.setOrderFaults(bill.outTradeNo, { api_5xx: true });
    await expect(setup.adapter.createPayment(bill, urls())).rejects.toMatchObject({
      code: 'SYSTEM_ERROR',
      retryable: true,
    });
    expect(await setup.adapter.createPayment(bill, urls())).toMatchObject({ action: 'qr' });
  });

  it('api_timeout: TIMEOUT, retryable (run-wide switch, one call)', async () => {
    sim.setFaults({ api_timeout: 1 });
    const bill = attempt('WX_NATIVE');
    const error = await setup.adapter.createPayment(bill, urls()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelCallError);
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(await setup.adapter.queryPayment(bill)).toEqual({ status: 'not_found' });
  });

  it('refund_status ABNORMAL / CLOSED arrive as failed refunds; NOT_ENOUGH is refused, retryable', async () => {
    for (const outcome of ['ABNORMAL', 'CLOSED'] as const) {
      const bill = await paidBill(10, { refund_status: outcome });
      const refund = { outRefundNo: `R${bill.outTradeNo}`, refundFee: 10, reason: null };
      await setup.adapter.refund(bill, refund, urls());
      const notice = await waitFor(
        () => receiver.notices.find((n) => n.kind === 'refund' && n.outRefundNo === refund.outRefundNo),
        `the REFUND.${outcome} notify`,
      );
      expect(notice).toMatchObject({
        result: { status: 'failed', reason: expect.stringContaining(outcome) },
      });
      expect(await setup.adapter.queryRefund(bill, refund)).toMatchObject({ status: 'failed' });
    }
    const bill = await paidBill(10, { not_enough: true });
    await expect(
      setup.adapter.refund(bill, { outRefundNo: `R${bill.outTradeNo}`, refundFee: 1, reason: null }, urls()),
    ).rejects.toMatchObject({ code: 'NOT_ENOUGH', retryable: true });
  });

  it('a refund whose notify is dropped finishes by query', async () => {
    const bill = await paidBill(20, { drop_notify: true });
    const refund = { outRefundNo: `R${bill.outTradeNo}`, refundFee: 20, reason: null };
    expect(await setup.adapter.refund(bill, refund, urls())).toMatchObject({ status: 'processing' });
    const settled = await waitFor(async () => {
      const result = await setup.adapter.queryRefund(bill, refund);
      return result.status === 'success' ? result : null;
    }, 'the refund to settle');
    expect(settled).toMatchObject({ refundFee: 20 });
    expect(receiver.notices.some((n) => n.kind === 'refund' && n.outRefundNo === refund.outRefundNo)).toBe(
      false,
    );
    await expect(
      setup.adapter.queryRefund(bill, { outRefundNo: 'NO_SUCH_REFUND', refundFee: 1, reason: null }),
    ).rejects.toMatchObject({ code: 'RESOURCE_NOT_EXISTS' });
  });
});

describe('key selection across merchants', () => {
  it('an adapter that only knows the platform certificate refuses answers signed with the public key', async () => {
    const setup = merchant('public_key', '1900000104', 'wx4444444444444444');
    const { wechatpay_public_key: _key, wechatpay_public_key_id: _id, ...rest } = setup.settings;
    const certOnly = wechatpayChannel.createAdapter(
      wechatpayChannel.parseSettings({
        ...rest,
        platform_certificates: [setup.credentials.platform_certificate],
      }),
      { http: plainHttpClient() },
    );
    await expect(certOnly.queryPayment(attempt('WX_NATIVE'))).rejects.toMatchObject({
      code: 'BAD_SIGNATURE',
      message: expect.stringContaining(setup.credentials.wechatpay_public_key_id),
    });
  });

  it('a notify for another merchant (its own keys) is rejected', async () => {
    const ours = merchant('public_key', '1900000105', 'wx5555555555555555');
    const theirs = merchant('public_key', '1900000106', 'wx6666666666666666');
    receiver.adapter = theirs.adapter;
    const bill = attempt('WX_NATIVE');
    await theirs.adapter.createPayment(bill, urls());
    sim.pay(bill.outTradeNo);
    await paymentNotice(bill.outTradeNo);
    await expect(ours.adapter.parseNotify(receiver.received[0])).rejects.toBeInstanceOf(NotifyRejected);
    expect(ours.adapter.notifyAnswer(false)).toMatchObject({ status: 400 });
  });

  it('a merchant signing with the wrong key is refused with SIGN_ERROR', async () => {
    const setup = merchant('public_key', '1900000107', 'wx7777777777777777');
    const impostor = generateMerchantCredentials('1900000107');
    const adapter = wechatpayChannel.createAdapter(
      wechatpayChannel.parseSettings({
        ...setup.settings,
        merchant_private_key: impostor.privateKeyPem,
        merchant_certificate: undefined,
      }),
      { http: plainHttpClient() },
    );
    await expect(adapter.createPayment(attempt('WX_NATIVE'), urls())).rejects.toMatchObject({
      code: 'SIGN_ERROR',
      retryable: false,
    });
  });
});
