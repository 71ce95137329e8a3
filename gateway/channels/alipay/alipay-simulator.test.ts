/**
 * The Alipay adapter against the Alipay simulator over real HTTP on 127.0.0.1, in both key modes: every flow
 * (create each channel's payment, pay through the simulator's pages, receive the notify, parse it, query, close,
 * refund, refund query) and every fault switch.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAlipaySimulator,
  type AlipaySimulatorHandle,
  type Merchant,
} from '../../../simulators/alipay/index.ts';
import {
  ChannelCallError,
  NotifyRejected,
  outTradeNoFor,
  type ChannelAdapter,
  type ChannelAttempt,
  type ChannelName,
  type ChannelUrls,
  type OutboundHttp,
} from '../channel.ts';
import { plainHttp } from '../testing/plain-http.ts';
import { alipayChannel } from './index.ts';
import type { AlipaySettings } from './settings.ts';

interface NotifyReceiver {
  url: string;
  bodies: string[];
  /** Answers to give per out_trade_no, in order; once used up the receiver answers `success`. */
  answers: Map<string, string[]>;
  close(): Promise<void>;
}

async function startNotifyReceiver(): Promise<NotifyReceiver> {
  const bodies: string[] = [];
  const answers = new Map<string, string[]>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(answers.get(new URLSearchParams(body).get('out_trade_no') ?? '')?.shift() ?? 'success');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify/ali/app`,
    bodies,
    answers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 8000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function attemptFor(
  channel: ChannelName,
  totalFee = 1,
  overrides: Partial<ChannelAttempt> = {},
): ChannelAttempt {
  const billId = randomUUID();
  return {
    billId,
    outTradeNo: outTradeNoFor(billId),
    billNo: `order${Date.now()}`,
    channel,
    title: '测试商品 Test/item & co',
    totalFee,
    createTime: Date.now(),
    expiresAt: Date.now() + 30 * 60_000,
    openid: null,
    payerIp: '127.0.0.1',
    ...overrides,
  };
}

/** A form POST / GET the way a browser submits the redirect action; answers status, location and body. */
async function browse(url: string, method: 'GET' | 'POST' = 'GET', form?: Record<string, string>) {
  const response = await plainHttp({
    url,
    method,
    headers: form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  return { status: response.status, location: response.headers.location ?? null, body: response.body };
}

const appKeys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});

let simulator: AlipaySimulatorHandle;
let receiver: NotifyReceiver;
const setups: Record<
  'public_key' | 'cert',
  { merchant: Merchant; settings: AlipaySettings; adapter: ChannelAdapter }
> = {} as never;

/** The adapter with a short timeout, so api_timeout tests do not wait the default 10 s. */
const quickHttp: OutboundHttp = (request) => plainHttp({ ...request, timeoutMs: 1500 });

beforeAll(async () => {
  simulator = await startAlipaySimulator({ notifyRetryScale: 0.001 });
  receiver = await startNotifyReceiver();
  for (const mode of ['public_key', 'cert'] as const) {
    const merchant = await simulator.registerMerchant({ app_public_key: appKeys.publicKey, mode });
    const input =
      mode === 'public_key'
        ? { app_id: merchant.app_id, alipay_public_key: merchant.alipay_public_key }
        : {
            app_id: merchant.app_id,
            mode: 'cert',
            app_cert: merchant.app_cert,
            alipay_public_cert: merchant.alipay_public_cert,
            alipay_root_cert: merchant.alipay_root_cert,
          };
    const settings = alipayChannel.parseSettings({
      ...input,
      app_private_key: appKeys.privateKey,
      seller_id: merchant.seller_id,
      gateway_url: simulator.gatewayUrl,
    });
    setups[mode] = {
      merchant,
      settings,
      adapter: alipayChannel.createAdapter(settings, { http: quickHttp }),
    };
  }
});

afterAll(async () => {
  await simulator?.close();
  await receiver?.close();
});

function urlsFor(quitUrl: string | null = null): ChannelUrls {
  return { notifyUrl: receiver.url, returnUrl: 'http://127.0.0.1:1/return/bill', quitUrl };
}

const notifyFor =
  (outTradeNo: string, status = 'TRADE_SUCCESS') =>
  () =>
    receiver.bodies.find((b) => {
      const p = new URLSearchParams(b);
      return p.get('out_trade_no') === outTradeNo && p.get('trade_status') === status && !p.has('out_biz_no');
    });

describe.each(['public_key', 'cert'] as const)('Alipay adapter ⇄ simulator (%s mode)', (mode) => {
  it('ALI_WEB: POST form to gateway.do → cashier → pay → return_url with signed params → notify → paid', async () => {
    const { adapter, settings } = setups[mode];
    const attempt = attemptFor('ALI_WEB', 1);
    const start = await adapter.createPayment(attempt, urlsFor());
    expect(start.action).toBe('redirect');
    if (start.action !== 'redirect') return;
    expect(start.method).toBe('POST');
    expect(start.url).toBe(`${simulator.gatewayUrl}?charset=utf-8`);
    expect(start.param.method).toBe('alipay.trade.page.pay');
    expect(start.param.app_id).toBe(settings.app_id);
    expect(JSON.parse(start.param.biz_content)).toMatchObject({
      out_trade_no: attempt.outTradeNo,
      total_amount: '0.01',
      product_code: 'FAST_INSTANT_TRADE_PAY',
    });
    if (mode === 'cert') {
      expect(start.param.app_cert_sn).toBe(setups.cert.merchant.app_cert_sn);
      expect(start.param.alipay_root_cert_sn).toBe(setups.cert.merchant.alipay_root_cert_sn);
    }

    const gateway = await browse(start.url, 'POST', start.param);
    expect(gateway.status, gateway.body).toBe(302);
    const cashier = await browse(gateway.location!);
    expect(cashier.body).toContain('Pay ¥0.01');
    const tradeNo = (await simulator.order(attempt.outTradeNo))!.trade_no;
    const paid = await browse(`${simulator.url}/cashier/${tradeNo}/pay`, 'POST', {});
    expect(paid.status).toBe(302);
    const returned = new URL(paid.location!);
    expect(returned.origin + returned.pathname).toBe('http://127.0.0.1:1/return/bill');
    expect(returned.searchParams.get('method')).toBe('alipay.trade.page.pay.return');
    expect(returned.searchParams.get('sign')).toBeTruthy();

    const body = await waitFor(notifyFor(attempt.outTradeNo), 'payment notify');
    const notice = await adapter.parseNotify({
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(notice).toMatchObject({ kind: 'payment', outTradeNo: attempt.outTradeNo, tradeNo, totalFee: 1 });
    expect(adapter.notifyAnswer(true)).toEqual({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: 'success',
    });
    expect(adapter.notifyAnswer(false).body).toBe('fail');

    const query = await adapter.queryPayment(attempt);
    expect(query).toMatchObject({ status: 'paid', tradeNo, totalFee: 1 });
  });

  it('ALI_WAP: signed GET URL with quit_url → cashier; cancel goes to quit_url; pay books it', async () => {
    const { adapter } = setups[mode];
    const attempt = attemptFor('ALI_WAP', 10);
    const quitUrl = 'http://127.0.0.1:1/quit?bill=1';
    const start = await adapter.createPayment(attempt, urlsFor(quitUrl));
    if (start.action !== 'redirect') throw new Error('expected a redirect');
    expect(start.method).toBe('GET');
    expect(start.url).toBe(simulator.gatewayUrl);
    const url = new URL(start.url);
    for (const [key, value] of Object.entries(start.param)) url.searchParams.set(key, value);
    expect(url.searchParams.get('method')).toBe('alipay.trade.wap.pay');
    expect(JSON.parse(url.searchParams.get('biz_content')!)).toMatchObject({
      product_code: 'QUICK_WAP_WAY',
      quit_url: quitUrl,
      total_amount: '0.10',
    });
    const gateway = await browse(url.toString());
    expect(gateway.status, gateway.body).toBe(302);
    const order = (await simulator.order(attempt.outTradeNo))!;
    const cancelled = await browse(`${simulator.url}/cashier/${order.trade_no}/cancel`, 'POST', {});
    expect(cancelled.location).toBe(quitUrl);
    expect(await adapter.queryPayment(attempt)).toEqual({ status: 'open' });

    await simulator.pay(attempt.outTradeNo);
    const body = await waitFor(notifyFor(attempt.outTradeNo), 'payment notify');
    expect(await adapter.parseNotify({ body, headers: {} })).toMatchObject({ kind: 'payment', totalFee: 10 });
  });

  it('ALI_QRCODE: precreate answers a qr_code pointing at the scan page; paying there sends the notify', async () => {
    const { adapter } = setups[mode];
    const attempt = attemptFor('ALI_QRCODE', 12345);
    const start = await adapter.createPayment(attempt, urlsFor());
    if (start.action !== 'qr') throw new Error('expected a QR action');
    expect(start.codeUrl).toMatch(new RegExp(`^${simulator.url}/scan/\\d+$`));
    // Creating again is idempotent (same out_trade_no, same amount): the same code.
    const again = await adapter.createPayment(attempt, urlsFor());
    expect(again).toEqual(start);
    const scan = await browse(start.codeUrl);
    expect(scan.body).toContain('Pay ¥123.45');
    const paid = await browse(`${start.codeUrl}/pay`, 'POST', {});
    expect(paid.body).toContain('支付成功');
    const body = await waitFor(notifyFor(attempt.outTradeNo), 'payment notify');
    expect(await adapter.parseNotify({ body, headers: {} })).toMatchObject({
      kind: 'payment',
      totalFee: 12345,
    });
    // A different amount on the same out_trade_no is refused by Alipay.
    await expect(adapter.createPayment({ ...attempt, totalFee: 1 }, urlsFor())).rejects.toMatchObject({
      code: 'ACQ.TRADE_HAS_SUCCESS',
    });
  });

  it('query: not_found for a payment Alipay never saw, open, closed after close; close is idempotent', async () => {
    const { adapter } = setups[mode];
    const unseen = attemptFor('ALI_QRCODE');
    expect(await adapter.queryPayment(unseen)).toEqual({ status: 'not_found' });
    await adapter.closePayment(unseen); // never saw it: fine

    const attempt = attemptFor('ALI_QRCODE', 200);
    await adapter.createPayment(attempt, urlsFor());
    expect(await adapter.queryPayment(attempt)).toEqual({ status: 'open' });
    await adapter.closePayment(attempt);
    expect(await adapter.queryPayment(attempt)).toEqual({ status: 'closed' });
    await adapter.closePayment(attempt); // already closed: fine
    const scanPage = await browse((await simulator.order(attempt.outTradeNo))!.qr_code!);
    expect(scanPage.body).toContain('交易已关闭');
  });

  it('close refuses a paid payment', async () => {
    const { adapter } = setups[mode];
    const attempt = attemptFor('ALI_QRCODE', 300);
    await adapter.createPayment(attempt, urlsFor());
    await simulator.pay(attempt.outTradeNo);
    await expect(adapter.closePayment(attempt)).rejects.toMatchObject({
      code: 'ACQ.TRADE_STATUS_ERROR',
      retryable: false,
    });
  });

  it('refunds: partial, repeated (idempotent), over the total (failed), query; refund notifies are acknowledged only', async () => {
    const { adapter } = setups[mode];
    const attempt = attemptFor('ALI_QRCODE', 1000);
    await adapter.createPayment(attempt, urlsFor());
    await simulator.pay(attempt.outTradeNo);

    const first = { outRefundNo: `r1${attempt.outTradeNo.slice(2)}`, refundFee: 300, reason: '退货' };
    expect(await adapter.refund(attempt, first, urlsFor())).toMatchObject({
      status: 'success',
      channelRefundNo: first.outRefundNo,
      refundFee: 300,
    });
    // The same refund again: Alipay answers fund_change N; the adapter confirms with a refund query.
    expect(await adapter.refund(attempt, first, urlsFor())).toMatchObject({
      status: 'success',
      refundFee: 300,
    });
    const tooMuch = { outRefundNo: `r2${attempt.outTradeNo.slice(2)}`, refundFee: 701, reason: null };
    const refused = await adapter.refund(attempt, tooMuch, urlsFor());
    expect(refused).toMatchObject({ status: 'failed' });
    expect(refused.status === 'failed' && refused.reason).toContain('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL');
    const rest = { outRefundNo: `r3${attempt.outTradeNo.slice(2)}`, refundFee: 700, reason: null };
    expect(await adapter.refund(attempt, rest, urlsFor())).toMatchObject({
      status: 'success',
      refundFee: 700,
    });

    expect(await adapter.queryRefund(attempt, first)).toMatchObject({ status: 'success', refundFee: 300 });
    expect(await adapter.queryRefund(attempt, tooMuch)).toEqual({
      status: 'processing',
      channelRefundNo: null,
    });
    const order = (await simulator.order(attempt.outTradeNo))!;
    expect(order.refunds.map((r) => r.refund_fee)).toEqual([300, 700]);
    expect(order.status).toBe('TRADE_CLOSED');

    // Alipay's refund notifies (trade_status_sync with out_biz_no; TRADE_CLOSED after the full refund) are
    // neither payments nor failures.
    const refundNotify = await waitFor(
      () => receiver.bodies.find((b) => new URLSearchParams(b).get('out_biz_no') === rest.outRefundNo),
      'refund notify',
    );
    expect(new URLSearchParams(refundNotify).get('trade_status')).toBe('TRADE_CLOSED');
    expect(await adapter.parseNotify({ body: refundNotify, headers: {} })).toMatchObject({ kind: 'ignored' });
  });

  it('refund of an unpaid payment fails with the business code', async () => {
    const { adapter } = setups[mode];
    const attempt = attemptFor('ALI_QRCODE', 100);
    await adapter.createPayment(attempt, urlsFor());
    const result = await adapter.refund(
      attempt,
      { outRefundNo: `u${attempt.outTradeNo}`.slice(0, 32), refundFee: 100, reason: null },
      urlsFor(),
    );
    expect(result.status === 'failed' && result.reason).toContain('ACQ.TRADE_STATUS_ERROR');
  });

  it('a notify for another app is rejected; a tampered notify is rejected', async () => {
    const { adapter } = setups[mode];
    const other = setups[mode === 'cert' ? 'public_key' : 'cert'];
    const attempt = attemptFor('ALI_QRCODE', 50);
    await other.adapter.createPayment(attempt, urlsFor());
    await simulator.pay(attempt.outTradeNo);
    const body = await waitFor(notifyFor(attempt.outTradeNo), 'notify');
    await expect(adapter.parseNotify({ body, headers: {} })).rejects.toThrow(/not this app/);
    expect(await other.adapter.parseNotify({ body, headers: {} })).toMatchObject({ kind: 'payment' });
    const tampered = body.replace('total_amount=0.50', 'total_amount=0.05');
    expect(tampered).not.toBe(body);
    await expect(other.adapter.parseNotify({ body: tampered, headers: {} })).rejects.toBeInstanceOf(
      NotifyRejected,
    );
  });
});

describe('fault switches', () => {
  const adapter = () => setups.public_key.adapter;

  async function paidAttempt(
    totalFee: number,
    faults: Parameters<AlipaySimulatorHandle['setOrderFaults']>[1],
  ) {
    const attempt = attemptFor('ALI_QRCODE', totalFee);
    await adapter().createPayment(attempt, urlsFor());
    await simulator.setOrderFaults(attempt.outTradeNo, faults);
    await simulator.pay(attempt.outTradeNo);
    return attempt;
  }

  it('drop_notify: no notify is sent; the query (reconciliation) still says paid', async () => {
    const attempt = await paidAttempt(101, { drop_notify: true });
    await waitFor(
      async () =>
        (await simulator.notifies()).find(
          (n) => n.out_trade_no === attempt.outTradeNo && n.error?.includes('dropped'),
        ),
      'dropped notify record',
    );
    expect(
      receiver.bodies.some((b) => new URLSearchParams(b).get('out_trade_no') === attempt.outTradeNo),
    ).toBe(false);
    expect(await adapter().queryPayment(attempt)).toMatchObject({ status: 'paid', totalFee: 101 });
  });

  it('duplicate_notify: the same notify arrives twice, both verify to the same notice', async () => {
    const attempt = await paidAttempt(102, { duplicate_notify: true });
    const bodies = await waitFor(() => {
      const found = receiver.bodies.filter(
        (b) => new URLSearchParams(b).get('out_trade_no') === attempt.outTradeNo,
      );
      return found.length >= 2 ? found : undefined;
    }, 'two notifies');
    expect(bodies[0]).toBe(bodies[1]);
    const notices = await Promise.all(bodies.map((body) => adapter().parseNotify({ body, headers: {} })));
    expect(notices[0]).toEqual(notices[1]);
  });

  it('delay_notify_ms: the notify comes after the delay', async () => {
    const paidAt = Date.now();
    const attempt = await paidAttempt(103, { delay_notify_ms: 300 });
    await waitFor(notifyFor(attempt.outTradeNo), 'delayed notify');
    expect(Date.now() - paidAt).toBeGreaterThanOrEqual(300);
  });

  it('wrong_amount: the notify verifies and reports the amount Alipay sent, exactly', async () => {
    const attempt = await paidAttempt(104, { wrong_amount: true });
    const body = await waitFor(notifyFor(attempt.outTradeNo), 'notify');
    expect(await adapter().parseNotify({ body, headers: {} })).toMatchObject({
      kind: 'payment',
      totalFee: 105,
    });
  });

  it('bad_signature: the notify is rejected', async () => {
    const attempt = await paidAttempt(105, { bad_signature: true });
    const body = await waitFor(notifyFor(attempt.outTradeNo), 'notify');
    await expect(adapter().parseNotify({ body, headers: {} })).rejects.toThrow(/signature/);
  });

  it('notifies are retried on the (scaled) schedule until the answer is exactly "success"', async () => {
    const attempt = attemptFor('ALI_QRCODE', 106);
    receiver.answers.set(attempt.outTradeNo, ['fail', 'success ']);
    await adapter().createPayment(attempt, urlsFor());
    await simulator.pay(attempt.outTradeNo);
    await waitFor(async () => {
      const attempts = (await simulator.notifies()).filter((n) => n.out_trade_no === attempt.outTradeNo);
      return attempts.some((n) => n.answer === 'success') ? attempts : undefined;
    }, 'a notify answered success');
    const attempts = (await simulator.notifies()).filter((n) => n.out_trade_no === attempt.outTradeNo);
    expect(attempts.map((n) => [n.attempt, n.answer])).toEqual([
      [0, 'fail'],
      [1, 'success '],
      [2, 'success'],
    ]);
  });

  it('api_5xx: the call fails retryably and nothing happens at Alipay; the retry works', async () => {
    const attempt = attemptFor('ALI_QRCODE', 107);
    await simulator.setFaults({ api_5xx: true });
    const error = await adapter()
      .createPayment(attempt, urlsFor())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelCallError);
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true });
    expect(await simulator.order(attempt.outTradeNo)).toBeNull();
    expect((await adapter().createPayment(attempt, urlsFor())).action).toBe('qr');
  });

  it('api_timeout: a refund made but unanswered times out; the retry finds it done, refunded once', async () => {
    const attempt = await paidAttempt(500, {});
    await simulator.setOrderFaults(attempt.outTradeNo, { api_timeout: true });
    const refund = { outRefundNo: `t${attempt.outTradeNo}`.slice(0, 32), refundFee: 200, reason: null };
    await expect(adapter().refund(attempt, refund, urlsFor())).rejects.toMatchObject({
      code: 'TIMEOUT',
      retryable: true,
    });
    expect(await adapter().refund(attempt, refund, urlsFor())).toMatchObject({
      status: 'success',
      refundFee: 200,
    });
    expect((await simulator.order(attempt.outTradeNo))!.refunds).toHaveLength(1);
  });

  it('run-wide faults apply to every order until cleared', async () => {
    await simulator.setFaults({ bad_signature: true });
    const attempt = await paidAttempt(108, {});
    const body = await waitFor(notifyFor(attempt.outTradeNo), 'notify');
    await simulator.setFaults({});
    await expect(adapter().parseNotify({ body, headers: {} })).rejects.toBeInstanceOf(NotifyRejected);
  });
});

describe('the simulator checks requests as Alipay does', () => {
  it('answers isv.invalid-signature to a request signed with another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const wrong = alipayChannel.createAdapter(
      alipayChannel.parseSettings({
        app_id: setups.public_key.settings.app_id,
        app_private_key: other.privateKey.export({ type: 'pkcs8', format: 'pem' }),
        alipay_public_key: simulator.alipayPublicKey,
        gateway_url: simulator.gatewayUrl,
      }),
      { http: plainHttp },
    );
    await expect(wrong.queryPayment(attemptFor('ALI_WEB'))).rejects.toMatchObject({
      code: 'isv.invalid-signature',
      retryable: false,
    });
  });

  it('answers isv.invalid-timestamp to a request 8 hours off (the UTC-as-Beijing mistake)', async () => {
    const skewed = alipayChannel.createAdapter(setups.public_key.settings, {
      http: plainHttp,
      now: () => Date.now() - 8 * 3600_000,
    });
    await expect(skewed.queryPayment(attemptFor('ALI_WEB'))).rejects.toMatchObject({
      code: 'isv.invalid-timestamp',
    });
  });

  it('an answer signed by someone else is refused with BAD_SIGNATURE', async () => {
    const imposter = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const misconfigured = alipayChannel.createAdapter(
      alipayChannel.parseSettings({
        app_id: setups.public_key.settings.app_id,
        app_private_key: appKeys.privateKey,
        alipay_public_key: imposter.publicKey.export({ type: 'spki', format: 'pem' }),
        gateway_url: simulator.gatewayUrl,
      }),
      { http: plainHttp },
    );
    await expect(misconfigured.queryPayment(attemptFor('ALI_WEB'))).rejects.toMatchObject({
      code: 'BAD_SIGNATURE',
    });
  });
});
