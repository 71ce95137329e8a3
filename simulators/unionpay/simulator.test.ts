/** The simulator on its own: its messages checked with plain node:crypto, its payer page and its refusals. */
import { createHash, createPrivateKey, sign, verify, X509Certificate } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaTime } from './acp.ts';
import {
  createMerchantCertificate,
  startUnionpaySimulator,
  type MerchantCertificate,
  type RunningUnionpaySimulator,
} from './index.ts';

const merId = '898111111111111';
let sim: RunningUnionpaySimulator;
let merchant: MerchantCertificate;

beforeAll(async () => {
  sim = await startUnionpaySimulator({ notifyRetryScale: 0.001 });
  merchant = createMerchantCertificate(merId);
  sim.registerMerchant(merId, merchant.certificatePem);
}, 120_000);

afterAll(() => sim?.close());

function signed(fields: Record<string, string>): Record<string, string> {
  const all = {
    version: '5.1.0',
    encoding: 'UTF-8',
    signMethod: '01',
    certId: merchant.certId,
    accessType: '0',
    merId,
    ...fields,
  };
  const text = Object.keys(all)
    .sort()
    .map((key) => `${key}=${all[key as keyof typeof all]}`)
    .join('&');
  const hex = createHash('sha256').update(text).digest('hex');
  return {
    ...all,
    signature: sign('sha256', Buffer.from(hex), createPrivateKey(merchant.privateKeyPem)).toString('base64'),
  };
}

function post(path: string, fields: Record<string, string>): Promise<{ status: number; body: string }> {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${sim.url}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const front = (orderId: string, extra: Record<string, string> = {}) =>
  signed({
    txnType: '01',
    txnSubType: '01',
    bizType: '000201',
    channelType: '07',
    currencyCode: '156',
    orderId,
    txnTime: chinaTime(Date.now()),
    txnAmt: '250',
    frontUrl: 'http://127.0.0.1:1/return',
    backUrl: 'http://127.0.0.1:1/notify',
    ...extra,
  });

describe('UnionPay simulator', () => {
  it('shows a card page with visible Pay / Decline / Cancel buttons for a valid front request', async () => {
    const page = await post('/gateway/api/frontTransReq.do', front('simorder0001'));
    expect(page.status).toBe(200);
    expect(page.body).toContain('Pay ¥2.50 / 付款');
    expect(page.body).toContain('Decline card');
    expect(page.body).toContain('Cancel / 返回商户');
    expect(sim.order('simorder0001')).toMatchObject({ state: 'created', txnAmt: '250', channelType: '07' });
  });

  it('signs its query answers as UnionPay: signPubKeyCert chained to its middle and root, hex-then-sign', async () => {
    const fields = front('simorder0002');
    await post('/gateway/api/frontTransReq.do', fields);
    sim.pay('simorder0002');
    const answer = await post(
      '/gateway/api/queryTrans.do',
      signed({
        txnType: '00',
        txnSubType: '00',
        bizType: '000000',
        orderId: 'simorder0002',
        txnTime: fields.txnTime,
      }),
    );
    const pairs = new Map<string, string>();
    for (const part of answer.body.split('&')) {
      const at = part.indexOf('=');
      pairs.set(part.slice(0, at), part.slice(at + 1));
    }
    expect(pairs.get('respCode')).toBe('00');
    expect(pairs.get('origRespCode')).toBe('00');
    const certificate = new X509Certificate(pairs.get('signPubKeyCert')!);
    const middle = new X509Certificate(sim.simulator.hierarchy.middle.certificatePem);
    const root = new X509Certificate(sim.simulator.hierarchy.root.certificatePem);
    expect(certificate.verify(middle.publicKey) && middle.verify(root.publicKey)).toBe(true);
    const text = [...pairs.keys()]
      .filter((key) => key !== 'signature')
      .sort()
      .map((key) => `${key}=${pairs.get(key)}`)
      .join('&');
    const hex = createHash('sha256').update(text).digest('hex');
    expect(
      verify(
        'sha256',
        Buffer.from(hex),
        certificate.publicKey,
        Buffer.from(pairs.get('signature')!, 'base64'),
      ),
    ).toBe(true);
  });

  it('refuses a passed payTimeout (39), a wrong currency (30) and a refund beyond the payment (33)', async () => {
    const late = await post(
      '/gateway/api/frontTransReq.do',
      front('simorder0003', { payTimeout: chinaTime(Date.now() - 60_000) }),
    );
    expect(late.body).toContain('<span id="respCode">39</span>');
    const dollars = await post(
      '/gateway/api/frontTransReq.do',
      front('simorder0004', { currencyCode: '840' }),
    );
    expect(dollars.body).toContain('<span id="respCode">30</span>');
    await post('/gateway/api/frontTransReq.do', front('simorder0005'));
    const paid = sim.pay('simorder0005');
    const refund = await post(
      '/gateway/api/backTransReq.do',
      signed({
        txnType: '04',
        txnSubType: '00',
        bizType: '000201',
        channelType: '07',
        orderId: 'simrefund0005',
        txnTime: chinaTime(Date.now()),
        txnAmt: '251',
        origQryId: paid.queryId!,
        backUrl: 'http://127.0.0.1:1/notify',
      }),
    );
    expect(refund.body).toContain('respCode=33');
  });
});
