/**
 * The UnionPay adapter against the UnionPay simulator over real HTTP on 127.0.0.1: every call, the payer's page,
 * back notifies received by a small HTTP server, reconciliation by query, refunds, and every fault switch.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createMerchantCertificate,
  startUnionpaySimulator,
  type RunningUnionpaySimulator,
} from '../../../simulators/unionpay/index.ts';
import {
  ChannelCallError,
  NotifyRejected,
  type ChannelAdapter,
  type ChannelAttempt,
  type ChannelNotice,
  type ChannelUrls,
  type OutboundHttp,
  type PaymentStart,
} from '../channel.ts';
import { plainHttp } from '../testing/plain-http.ts';
import { signAsUnionpay } from '../../../simulators/unionpay/acp.ts';
import { acpSign, chinaTimestamp, encodeForm } from './acp-signature.ts';
import { unionpayChannel, type UnionpaySettings } from './index.ts';
import { createPrivateKey } from 'node:crypto';

const merId = '777290058110048';
const otherMerId = '777290058110049';

interface ReceivedNotify {
  body: string;
  notice: ChannelNotice | null;
  rejected: string | null;
  status: number;
}

/** The gateway's notify route in miniature: parse with the adapter, answer what the adapter says. */
async function startNotifyReceiver(adapter: () => ChannelAdapter) {
  const received: ReceivedNotify[] = [];
  let failNext = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (failNext > 0) {
        failNext -= 1;
        received.push({ body, notice: null, rejected: null, status: 500 });
        response.writeHead(500).end('busy');
        return;
      }
      let notice: ChannelNotice | null = null;
      let rejected: string | null = null;
      try {
        notice = await adapter().parseNotify({ body, headers: request.headers });
      } catch (error) {
        if (!(error instanceof NotifyRejected)) throw error;
        rejected = error.reason;
      }
      const answer = adapter().notifyAnswer(rejected === null);
      received.push({ body, notice, rejected, status: answer.status });
      response.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failNextAnswers(count: number) {
      failNext = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function waitFor<T>(
  probe: () => T | undefined | null | false,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function hiddenInputs(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const unescape = (text: string) =>
    text
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescape(match[1])] = unescape(match[2]);
  }
  return fields;
}

let sim: RunningUnionpaySimulator;
let settings: UnionpaySettings;
let adapter: ChannelAdapter;
let otherAdapter: ChannelAdapter;
let receiver: Awaited<ReturnType<typeof startNotifyReceiver>>;
let urls: ChannelUrls;
let sequence = 0;

beforeAll(async () => {
  sim = await startUnionpaySimulator({ notifyRetryScale: 0.001 });
  const merchant = createMerchantCertificate(merId, { password: 'p@ss word' });
  const registration = sim.registerMerchant(merId, merchant.certificatePem);
  settings = unionpayChannel.parseSettings({
    mer_id: merId,
    signing_pfx: merchant.pfxBase64,
    signing_pfx_password: merchant.password,
    root_certificate: registration.root_certificate,
    middle_certificate: registration.middle_certificate,
    expected_signer_cn: registration.expected_signer_cn,
    front_url: sim.url,
    back_url: sim.url,
  });
  adapter = unionpayChannel.createAdapter(settings, { http: plainHttp });
  const other = createMerchantCertificate(otherMerId);
  sim.registerMerchant(otherMerId, other.certificatePem);
  otherAdapter = unionpayChannel.createAdapter(
    unionpayChannel.parseSettings({
      mer_id: otherMerId,
      private_key: other.privateKeyPem,
      certificate: other.certificatePem,
      root_certificate: registration.root_certificate,
      middle_certificate: registration.middle_certificate,
      expected_signer_cn: registration.expected_signer_cn,
      front_url: sim.url,
      back_url: sim.url,
    }),
    { http: plainHttp },
  );
  receiver = await startNotifyReceiver(() => adapter);
  urls = {
    notifyUrl: `${receiver.url}/notify/UN/app1`,
    returnUrl: `${receiver.url}/return/bill`,
    quitUrl: null,
  };
}, 120_000); // RSA key generation for two certificate hierarchies: slow on a busy machine

afterAll(async () => {
  await receiver?.close();
  await sim?.close();
});

afterEach(() => {
  sim.setFaults({});
});

function newAttempt(overrides: Partial<ChannelAttempt> = {}): ChannelAttempt {
  sequence += 1;
  const billId = `1b2c3d4e-0000-4000-8000-${String(Date.now()).slice(-8)}${String(sequence).padStart(4, '0')}`;
  const createTime = Date.now();
  return {
    billId,
    outTradeNo: billId.replaceAll('-', ''),
    billNo: `order${sequence}`,
    channel: 'UN_WEB',
    title: '测试商品',
    totalFee: 1,
    createTime,
    expiresAt: createTime + 15 * 60 * 1000,
    openid: null,
    payerIp: '127.0.0.1',
    ...overrides,
  };
}

async function postForm(url: string, fields: Record<string, string>) {
  return plainHttp({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: encodeForm(fields),
  });
}

/** The payer's browser: submit the form to UnionPay, then press a button on the card page. */
async function payerPresses(start: PaymentStart, button: 'pay' | 'decline' | 'cancel') {
  if (start.action !== 'redirect') throw new Error('expected a redirect');
  const cashier = await postForm(start.url, start.param);
  expect(cashier.status).toBe(200);
  const action = /<form method="post" action="([^"]+)">/.exec(cashier.body)?.[1];
  expect(action, cashier.body).toBeTruthy();
  const result = await postForm(`${sim.url}${action}`, { action: button });
  expect(result.status).toBe(200);
  return { cashier: cashier.body, front: hiddenInputs(result.body), frontHtml: result.body };
}

const noticesFor = (orderId: string) =>
  receiver.received.filter((entry) => new URLSearchParams(entry.body).get('orderId') === orderId);

describe('UnionPay adapter ⇄ simulator: payments', () => {
  it('UN_WEB: signed front form, card page, front redirect and back notify booked as a payment', async () => {
    const attempt = newAttempt({ totalFee: 1234 });
    const start = await adapter.createPayment(attempt, urls);
    expect(start).toMatchObject({
      action: 'redirect',
      method: 'POST',
      url: `${sim.url}/gateway/api/frontTransReq.do`,
    });
    if (start.action !== 'redirect') return;
    expect(start.param).toMatchObject({
      version: '5.1.0',
      encoding: 'UTF-8',
      signMethod: '01',
      txnType: '01',
      txnSubType: '01',
      bizType: '000201',
      channelType: '07',
      accessType: '0',
      currencyCode: '156',
      merId,
      orderId: attempt.outTradeNo,
      txnTime: chinaTimestamp(attempt.createTime),
      txnAmt: '1234',
      frontUrl: urls.returnUrl,
      backUrl: urls.notifyUrl,
      payTimeout: chinaTimestamp(attempt.expiresAt!),
      certId: settings.cert_id,
    });
    const { cashier, front, frontHtml } = await payerPresses(start, 'pay');
    expect(cashier).toContain('Pay ¥12.34');
    expect(frontHtml).toContain(`action="${urls.returnUrl}"`);
    // The front redirect is signed like a notify (never trusted alone, but it verifies).
    const frontNotice = await adapter.parseNotify({ body: encodeForm(front), headers: {} });
    expect(frontNotice).toMatchObject({ kind: 'payment', outTradeNo: attempt.outTradeNo, totalFee: 1234 });

    const [delivered] = await waitFor(
      () => noticesFor(attempt.outTradeNo).length > 0 && noticesFor(attempt.outTradeNo),
      'the back notify',
    );
    expect(delivered.rejected).toBeNull();
    expect(delivered.status).toBe(200);
    const order = sim.order(attempt.outTradeNo)!;
    expect(delivered.notice).toMatchObject({
      kind: 'payment',
      outTradeNo: attempt.outTradeNo,
      tradeNo: order.queryId,
      totalFee: 1234,
    });
    const paidAt = (delivered.notice as { paidAt: number }).paidAt;
    expect(Math.abs(paidAt - Date.now())).toBeLessThan(60_000);
    await waitFor(
      () => sim.notifies().find((entry) => entry.orderId === attempt.outTradeNo && entry.status === 200),
      'the notify log',
    );
    expect(sim.notifies().filter((entry) => entry.orderId === attempt.outTradeNo)).toHaveLength(1);

    const query = await adapter.queryPayment(attempt);
    expect(query).toMatchObject({ status: 'paid', tradeNo: order.queryId, totalFee: 1234 });
    await expect(adapter.closePayment(attempt)).rejects.toMatchObject({ code: 'TRADE_PAID' });
  });

  it('UN_WAP uses channelType 08 and pays the same way', async () => {
    const attempt = newAttempt({ channel: 'UN_WAP', totalFee: 1 });
    const start = await adapter.createPayment(attempt, urls);
    if (start.action !== 'redirect') throw new Error('redirect expected');
    expect(start.param.channelType).toBe('08');
    const { cashier } = await payerPresses(start, 'pay');
    expect(cashier).toContain('手机网页支付');
    const [delivered] = await waitFor(
      () => noticesFor(attempt.outTradeNo).length > 0 && noticesFor(attempt.outTradeNo),
      'notify',
    );
    expect(delivered.notice).toMatchObject({ kind: 'payment', totalFee: 1 });
  });

  it('refuses channels UnionPay does not serve', async () => {
    await expect(adapter.createPayment(newAttempt({ channel: 'ALI_WEB' }), urls)).rejects.toMatchObject({
      code: 'UNSUPPORTED_CHANNEL',
    });
  });

  it('queries: not_found before the payer pays, closed after a decline; close succeeds while unpaid', async () => {
    const attempt = newAttempt();
    const start = await adapter.createPayment(attempt, urls);
    expect(await adapter.queryPayment(attempt)).toEqual({ status: 'not_found' });
    await expect(adapter.closePayment(attempt)).resolves.toBeUndefined();
    const { front } = await payerPresses(start, 'decline');
    expect(front.respCode).toBe('01');
    expect(await adapter.queryPayment(attempt)).toEqual({ status: 'closed' });
    await expect(adapter.closePayment(attempt)).resolves.toBeUndefined();
    expect(noticesFor(attempt.outTradeNo)).toHaveLength(0);
  });

  it('cancel leaves the order payable; the payer can come back and pay', async () => {
    const attempt = newAttempt();
    const start = await adapter.createPayment(attempt, urls);
    await payerPresses(start, 'cancel');
    expect(sim.order(attempt.outTradeNo)?.state).toBe('created');
    sim.pay(attempt.outTradeNo);
    expect(await adapter.queryPayment(attempt)).toMatchObject({ status: 'paid', totalFee: 1 });
  });

  it('the same front form submitted again shows the same order; a changed amount with the same orderId is 12 duplicate', async () => {
    const attempt = newAttempt({ totalFee: 50 });
    const first = await adapter.createPayment(attempt, urls);
    const second = await adapter.createPayment(attempt, urls);
    if (first.action !== 'redirect' || second.action !== 'redirect') throw new Error('redirect expected');
    expect((await postForm(first.url, first.param)).body).toContain('Pay ¥0.50');
    expect((await postForm(second.url, second.param)).body).toContain('Pay ¥0.50');
    const changed = await adapter.createPayment({ ...attempt, totalFee: 51 }, urls);
    if (changed.action !== 'redirect') throw new Error('redirect expected');
    const answer = await postForm(changed.url, changed.param);
    expect(answer.body).toContain('respCode=<span id="respCode">12</span>');
  });

  it('answers UnionPay respCodes for bad front requests: 11 signature, 30 format, 31 unknown merchant', async () => {
    const attempt = newAttempt();
    const start = await adapter.createPayment(attempt, urls);
    if (start.action !== 'redirect') throw new Error('redirect expected');
    const tampered = await postForm(start.url, { ...start.param, txnAmt: '2' });
    expect(tampered.body).toContain('<span id="respCode">11</span>');
    // A well-signed request with a yuan amount: a format error.
    const key = createPrivateKey(settings.private_key);
    const yuanAmount: Record<string, string> = {
      ...start.param,
      orderId: `${attempt.outTradeNo.slice(0, 30)}y1`,
      txnAmt: '0.01',
    };
    delete yuanAmount.signature;
    const formatError = await postForm(start.url, { ...yuanAmount, signature: acpSign(yuanAmount, key) });
    expect(formatError.body).toContain('<span id="respCode">30</span>');
    const badTime: Record<string, string> = { ...yuanAmount, txnAmt: '1', txnTime: '20261340120000' };
    const timeError = await postForm(start.url, { ...badTime, signature: acpSign(badTime, key) });
    expect(timeError.body).toContain('<span id="respCode">30</span>');
    const unknown = await postForm(start.url, { ...start.param, merId: '123456789012345' });
    expect(unknown.body).toContain('<span id="respCode">31</span>');
    expect(sim.order(yuanAmount.orderId)).toBeUndefined();
  });
});

describe('UnionPay adapter ⇄ simulator: refunds', () => {
  async function paidAttempt(totalFee: number) {
    const attempt = newAttempt({ totalFee });
    await adapter.createPayment(attempt, urls).then((start) => payerPresses(start, 'pay'));
    await waitFor(() => noticesFor(attempt.outTradeNo).length > 0, 'payment notify');
    return attempt;
  }

  it('refund: processing at first, then the refund notify and the refund query say success', async () => {
    const attempt = await paidAttempt(300);
    const refund = {
      outRefundNo: `r${attempt.outTradeNo.slice(0, 30)}`,
      refundFee: 120,
      reason: 'customer asked',
      requestedAt: Date.now(),
    };
    const result = await adapter.refund(attempt, refund, urls);
    expect(result.status).toBe('processing');
    const sent = sim
      .requests()
      .filter((request) => request.path === '/gateway/api/backTransReq.do')
      .at(-1)!.fields;
    expect(sent).toMatchObject({
      txnType: '04',
      txnSubType: '00',
      bizType: '000201',
      orderId: refund.outRefundNo,
      txnAmt: '120',
      origQryId: sim.order(attempt.outTradeNo)!.queryId,
      txnTime: chinaTimestamp(refund.requestedAt),
      backUrl: urls.notifyUrl,
    });
    const refundNotify = await waitFor(
      () => noticesFor(refund.outRefundNo).find((entry) => entry.notice),
      'the refund notify',
    );
    expect(refundNotify.notice).toMatchObject({
      kind: 'refund',
      outRefundNo: refund.outRefundNo,
      outTradeNo: attempt.outTradeNo,
      result: { status: 'success', refundFee: 120 },
    });
    expect(await adapter.queryRefund(attempt, refund)).toMatchObject({ status: 'success', refundFee: 120 });
    // Asking again with the same refund (a retry) is UnionPay's 12 duplicate: settled by the query.
    expect(await adapter.refund(attempt, refund, urls)).toMatchObject({ status: 'success', refundFee: 120 });
    // More than what is left fails.
    const tooMuch = {
      outRefundNo: `s${attempt.outTradeNo.slice(0, 30)}`,
      refundFee: 181,
      reason: null,
      requestedAt: Date.now(),
    };
    expect(await adapter.refund(attempt, tooMuch, urls)).toMatchObject({ status: 'failed' });
    expect(await adapter.queryRefund(attempt, tooMuch)).toMatchObject({ status: 'failed' });
  });

  it('a refund of an unpaid payment fails without calling backTransReq', async () => {
    const attempt = newAttempt();
    await adapter.createPayment(attempt, urls);
    const before = sim.requests().filter((request) => request.path === '/gateway/api/backTransReq.do').length;
    const result = await adapter.refund(
      attempt,
      {
        outRefundNo: `u${attempt.outTradeNo.slice(0, 30)}`,
        refundFee: 1,
        reason: null,
        requestedAt: Date.now(),
      },
      urls,
    );
    expect(result).toEqual({ status: 'failed', reason: 'the UnionPay payment is not_found' });
    expect(sim.requests().filter((request) => request.path === '/gateway/api/backTransReq.do')).toHaveLength(
      before,
    );
  });

  it('a refund query without requestedAt is refused clearly', async () => {
    await expect(
      adapter.queryRefund(newAttempt(), { outRefundNo: 'x1234567', refundFee: 1, reason: null }),
    ).rejects.toMatchObject({
      code: 'TXN_TIME_UNKNOWN',
    });
  });
});

describe('UnionPay adapter ⇄ simulator: faults', () => {
  async function payWithFaults(
    faults: Parameters<RunningUnionpaySimulator['setOrderFaults']>[1],
    totalFee = 1,
  ) {
    const attempt = newAttempt({ totalFee });
    const start = await adapter.createPayment(attempt, urls);
    if (start.action !== 'redirect') throw new Error('redirect expected');
    await postForm(start.url, start.param);
    sim.setOrderFaults(attempt.outTradeNo, faults);
    const paidAt = Date.now();
    sim.pay(attempt.outTradeNo);
    return { attempt, paidAt };
  }

  it('drop_notify: nothing arrives; reconciliation by query finds the payment', async () => {
    const { attempt } = await payWithFaults({ drop_notify: true }, 77);
    const result = await adapter.queryPayment(attempt);
    expect(result).toMatchObject({
      status: 'paid',
      totalFee: 77,
      tradeNo: sim.order(attempt.outTradeNo)!.queryId,
    });
    // No fixed wait: the notify of a later payment made the same way has arrived, so the dropped one, which
    // would have been sent first, is not merely late.
    const later = await payWithFaults({}, 78);
    await waitFor(() => noticesFor(later.attempt.outTradeNo).length > 0, 'the later payment’s notify');
    expect(noticesFor(attempt.outTradeNo)).toHaveLength(0);
    expect(sim.notifies().filter((entry) => entry.orderId === attempt.outTradeNo)).toHaveLength(0);
  });

  it('duplicate_notify: the same notify twice, both verified and identical', async () => {
    const { attempt } = await payWithFaults({ duplicate_notify: true });
    const both = await waitFor(
      () => noticesFor(attempt.outTradeNo).length === 2 && noticesFor(attempt.outTradeNo),
      'two notifies',
    );
    expect(both[0].body).toBe(both[1].body);
    expect(both.map((entry) => entry.status)).toEqual([200, 200]);
  });

  it('delay_notify_ms: the first attempt waits', async () => {
    const { attempt, paidAt } = await payWithFaults({ delay_notify_ms: 300 });
    await waitFor(() => noticesFor(attempt.outTradeNo).length > 0, 'the delayed notify');
    const first = await waitFor(
      () => sim.notifies().find((entry) => entry.orderId === attempt.outTradeNo),
      'the notify log',
    );
    expect(first.at - paidAt).toBeGreaterThanOrEqual(290);
  });

  it('wrong_amount: the notify verifies and reports the amount UnionPay sent (the core compares it with the bill)', async () => {
    const { attempt } = await payWithFaults({ wrong_amount: true }, 100);
    const [delivered] = await waitFor(
      () => noticesFor(attempt.outTradeNo).length > 0 && noticesFor(attempt.outTradeNo),
      'notify',
    );
    expect(delivered.notice).toMatchObject({ kind: 'payment', totalFee: 101 });
  });

  for (const [fault, reason] of [
    ['bad_signature', /signature does not verify/],
    ['expired_cert', /validity dates/],
    ['wrong_chain', /not issued by the configured middle/],
  ] as const) {
    it(`${fault}: the notify is rejected with 400, resent on UnionPay's schedule, never booked`, async () => {
      const { attempt } = await payWithFaults({ [fault]: true });
      const all = await waitFor(
        () =>
          sim.notifies().filter((entry) => entry.orderId === attempt.outTradeNo).length === 6 &&
          noticesFor(attempt.outTradeNo),
        'all six attempts',
      );
      expect(all.every((entry) => entry.status === 400 && entry.notice === null)).toBe(true);
      expect(all[0].rejected).toMatch(reason);
      // Reconciliation by query still finds the payment.
      expect(await adapter.queryPayment(attempt)).toMatchObject({ status: 'paid' });
    });
  }

  it('a notify answered with 500 is resent until HTTP 200', async () => {
    const attempt = newAttempt();
    const start = await adapter.createPayment(attempt, urls);
    if (start.action !== 'redirect') throw new Error('redirect expected');
    await postForm(start.url, start.param);
    receiver.failNextAnswers(2);
    sim.pay(attempt.outTradeNo);
    await waitFor(
      () => noticesFor(attempt.outTradeNo).some((entry) => entry.status === 200),
      'a successful resend',
    );
    expect(noticesFor(attempt.outTradeNo).map((entry) => entry.status)).toEqual([500, 500, 200]);
    const attempts = sim.notifies().filter((entry) => entry.orderId === attempt.outTradeNo);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(55); // 60 s × 0.001
  });

  it("a notify for another merchant's merId is rejected", async () => {
    const attempt = newAttempt();
    const start = await adapter.createPayment(attempt, urls);
    const { front } = await payerPresses(start, 'pay');
    await expect(otherAdapter.parseNotify({ body: encodeForm(front), headers: {} })).rejects.toThrow(/merId/);
  });

  it('a genuine UnionPay signature does not make a yuan txnAmt or a foreign currency acceptable', async () => {
    const attempt = newAttempt();
    const start = await adapter.createPayment(attempt, urls);
    const { front } = await payerPresses(start, 'pay');
    const resign = (changes: Record<string, string>) => {
      const fields: Record<string, string> = { ...front, ...changes };
      delete fields.signature;
      delete fields.signPubKeyCert;
      return encodeForm(signAsUnionpay(fields, sim.simulator.hierarchy.signer));
    };
    await expect(adapter.parseNotify({ body: resign({}), headers: {} })).resolves.toMatchObject({
      kind: 'payment',
    });
    await expect(adapter.parseNotify({ body: resign({ txnAmt: '0.01' }), headers: {} })).rejects.toThrow(
      /txnAmt/,
    );
    await expect(adapter.parseNotify({ body: resign({ currencyCode: '840' }), headers: {} })).rejects.toThrow(
      /currencyCode/,
    );
    await expect(
      adapter.parseNotify({ body: resign({ txnType: '31' }), headers: {} }),
    ).resolves.toMatchObject({
      kind: 'ignored',
    });
  });

  it('api_timeout: a query that is never answered is a retryable TIMEOUT', async () => {
    const attempt = newAttempt();
    await adapter.createPayment(attempt, urls);
    const shortTimeout: OutboundHttp = (request) => plainHttp({ ...request, timeoutMs: 300 });
    const impatient = unionpayChannel.createAdapter(settings, { http: shortTimeout });
    sim.setFaults({ api_timeout: true });
    const error = await impatient.queryPayment(attempt).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChannelCallError);
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
    // Only the next call: the one after is answered.
    expect(await impatient.queryPayment(attempt)).toEqual({ status: 'not_found' });
  });

  it('api_5xx: HTTP 502 is a retryable error, once', async () => {
    const attempt = newAttempt();
    await adapter.createPayment(attempt, urls);
    sim.setFaults({ api_5xx: true });
    await expect(adapter.queryPayment(attempt)).rejects.toMatchObject({ code: 'HTTP_502', retryable: true });
    expect(await adapter.queryPayment(attempt)).toEqual({ status: 'not_found' });
  });

  it('per-order api_5xx applies to that order only', async () => {
    const attempt = newAttempt();
    const start = await adapter.createPayment(attempt, urls);
    if (start.action !== 'redirect') throw new Error('redirect expected');
    await postForm(start.url, start.param);
    sim.setOrderFaults(attempt.outTradeNo, { api_5xx: 2 });
    const other = newAttempt();
    expect(await adapter.queryPayment(other)).toEqual({ status: 'not_found' });
    await expect(adapter.queryPayment(attempt)).rejects.toMatchObject({ code: 'HTTP_502' });
    await expect(adapter.queryPayment(attempt)).rejects.toMatchObject({ code: 'HTTP_502' });
    expect(await adapter.queryPayment(attempt)).toEqual({ status: 'not_found' });
  });

  it('an answer whose signPubKeyCert does not name the expected signer is refused as BAD_SIGNATURE', async () => {
    const attempt = newAttempt();
    await adapter.createPayment(attempt, urls);
    const strict = unionpayChannel.createAdapter(
      { ...settings, expected_signer_cn: '中国银联股份有限公司' },
      { http: plainHttp },
    );
    await expect(strict.queryPayment(attempt)).rejects.toMatchObject({
      code: 'BAD_SIGNATURE',
      retryable: false,
    });
  });

  it('a query signed with an unregistered certificate is answered 11, unsigned, and surfaces as that error', async () => {
    const attempt = newAttempt();
    const stranger = createMerchantCertificate(merId);
    const wrongKey = unionpayChannel.createAdapter(
      { ...settings, private_key: stranger.privateKeyPem, certificate: stranger.certificatePem },
      { http: plainHttp },
    );
    await expect(wrongKey.queryPayment(attempt)).rejects.toMatchObject({ code: '11', retryable: false });
  });

  it('the control API over HTTP mirrors the helpers', async () => {
    const attempt = newAttempt({ totalFee: 9 });
    const start = await adapter.createPayment(attempt, urls);
    if (start.action !== 'redirect') throw new Error('redirect expected');
    await postForm(start.url, start.param);
    const json = async (path: string, method: 'GET' | 'POST' = 'GET', body?: unknown) => {
      const response = await plainHttp({
        url: `${sim.url}${path}`,
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: JSON.parse(response.body) as Record<string, unknown> };
    };
    expect((await json(`/_sim/orders/${attempt.outTradeNo}`)).body).toMatchObject({
      state: 'created',
      txnAmt: '9',
    });
    expect(
      (await json(`/_sim/orders/${attempt.outTradeNo}/faults`, 'POST', { drop_notify: true })).status,
    ).toBe(200);
    expect((await json(`/_sim/orders/${attempt.outTradeNo}/pay`, 'POST')).body).toMatchObject({
      state: 'paid',
    });
    expect((await json(`/_sim/orders/${attempt.outTradeNo}/pay`, 'POST')).status).toBe(409);
    expect((await json('/_sim/orders/nope')).status).toBe(404);
    const orders = (await json('/_sim/orders')).body as unknown as Array<{ orderId: string }>;
    expect(orders.some((order) => order.orderId === attempt.outTradeNo)).toBe(true);
    const requests = (await json('/_sim/requests')).body as unknown as Array<{ path: string }>;
    expect(requests.some((request) => request.path === '/gateway/api/frontTransReq.do')).toBe(true);
    expect(Array.isArray((await json('/_sim/notifies')).body)).toBe(true);
    expect((await json('/_sim/faults', 'POST', { api_5xx: true })).status).toBe(200);
    await expect(adapter.queryPayment(attempt)).rejects.toMatchObject({ code: 'HTTP_502' });
    expect((await json('/_sim/merchants', 'POST', { mer_id: 'x' })).status).toBe(400);
  });
});
