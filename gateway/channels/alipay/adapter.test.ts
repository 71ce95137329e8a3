/**
 * parseNotify's decisions on notifies signed here with a test "Alipay" key (no network): what is acted on, what is
 * ignored, what is rejected.
 */
import { createSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newRsaKeyPair } from '../../../simulators/alipay/crypto.ts';
import { NotifyRejected, type OutboundHttp } from '../channel.ts';
import { alipayChannel } from './index.ts';
import { signContent } from './protocol.ts';

const app = newRsaKeyPair();
const alipay = newRsaKeyPair();
const appId = '2021000000000042';
const sellerId = '2088000000000042';
const noHttp: OutboundHttp = () => Promise.reject(new Error('no network in this test'));
const adapter = alipayChannel.createAdapter(
  alipayChannel.parseSettings({
    app_id: appId,
    app_private_key: app.privateKey,
    alipay_public_key: alipay.publicKey,
    seller_id: sellerId,
  }),
  { http: noHttp, now: () => Date.UTC(2026, 11, 2) },
);

function notify(
  overrides: Record<string, string | undefined> = {},
  key = alipay.privateKey,
  exclude = ['sign', 'sign_type'],
): string {
  const params: Record<string, string> = {
    notify_time: '2026-12-02 18:00:05',
    notify_type: 'trade_status_sync',
    notify_id: 'n1',
    app_id: appId,
    seller_id: sellerId,
    charset: 'utf-8',
    version: '1.0',
    sign_type: 'RSA2',
    trade_no: '2026120222001400000000000001',
    out_trade_no: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    trade_status: 'TRADE_SUCCESS',
    total_amount: '88.80',
    gmt_payment: '2026-12-02 18:00:04',
    subject: '商品 a+b&c=d',
    body: '',
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete params[k];
    else params[k] = v;
  }
  params.sign = createSign('RSA-SHA256').update(signContent(params, exclude), 'utf8').sign(key, 'base64');
  return new URLSearchParams(params).toString();
}

const parse = (body: string) => adapter.parseNotify({ body, headers: {} });

describe('parseNotify', () => {
  it('books TRADE_SUCCESS and TRADE_FINISHED as payments with the exact fen and Beijing payment time', async () => {
    expect(await parse(notify())).toMatchObject({
      kind: 'payment',
      outTradeNo: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      tradeNo: '2026120222001400000000000001',
      totalFee: 8880,
      paidAt: Date.UTC(2026, 11, 2, 10, 0, 4),
      detail: expect.objectContaining({ subject: '商品 a+b&c=d', trade_status: 'TRADE_SUCCESS' }),
    });
    expect(await parse(notify({ trade_status: 'TRADE_FINISHED', total_amount: '0.01' }))).toMatchObject({
      kind: 'payment',
      totalFee: 1,
    });
    expect(JSON.stringify(await parse(notify()))).not.toContain('"sign"');
  });

  it('TRADE_CLOSED is a failed payment, WAIT_BUYER_PAY is ignored, a refund notify is ignored', async () => {
    expect(await parse(notify({ trade_status: 'TRADE_CLOSED' }))).toMatchObject({
      kind: 'payment_failed',
      reason: 'TRADE_CLOSED',
    });
    expect(await parse(notify({ trade_status: 'WAIT_BUYER_PAY' }))).toEqual({
      kind: 'ignored',
      reason: 'WAIT_BUYER_PAY',
    });
    expect(
      await parse(
        notify({
          trade_status: 'TRADE_CLOSED',
          out_biz_no: 'r1',
          refund_fee: '88.80',
          gmt_refund: '2026-12-02 19:00:00.123',
        }),
      ),
    ).toMatchObject({ kind: 'ignored' });
  });

  it('accepts a notify without sign_type (it is not signed)', async () => {
    expect(await parse(notify({ sign_type: undefined }))).toMatchObject({ kind: 'payment' });
  });

  it.each([
    ['signed by another key', notify({}, app.privateKey), /signature/],
    [
      'signed over sign_type too (the SDK would accept it)',
      notify({}, alipay.privateKey, ['sign']),
      /signature/,
    ],
    [
      'with empty values signed',
      (() => {
        const params = new URLSearchParams(notify());
        const plain = Object.fromEntries([...params].filter(([k]) => k !== 'sign'));
        const text = Object.keys(plain)
          .filter((k) => k !== 'sign_type')
          .sort()
          .map((k) => `${k}=${plain[k]}`)
          .join('&');
        params.set('sign', createSign('RSA-SHA256').update(text).sign(alipay.privateKey, 'base64'));
        return params.toString();
      })(),
      /signature/,
    ],
    ['for another app', notify({ app_id: '2021000000000099' }), /app_id/],
    ['for another seller', notify({ seller_id: '2088000000000099' }), /seller_id/],
    ['with RSA (SHA1) sign_type', notify({ sign_type: 'RSA' }), /RSA2/],
    ['in GBK', notify({ charset: 'gbk' }), /charset/],
    ['with a malformed amount', notify({ total_amount: '88.8.0' }), /total_amount/],
    ['with an amount with three decimals', notify({ total_amount: '0.001' }), /total_amount/],
    ['with an unknown trade_status', notify({ trade_status: 'TRADE_PENDING' }), /trade_status/],
    ['without out_trade_no', notify({ out_trade_no: undefined }), /out_trade_no/],
    ['without sign', notify().replace(/&sign=[^&]*/, ''), /no sign/],
    ['with a repeated parameter', `${notify()}&total_amount=0.01`, /twice/],
  ])('rejects a notify %s', async (_what, body, reason) => {
    const error = await parse(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotifyRejected);
    expect((error as NotifyRejected).reason).toMatch(reason);
  });

  it('answers success / fail as text/plain', () => {
    expect(adapter.notifyAnswer(true)).toEqual({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: 'success',
    });
    expect(adapter.notifyAnswer(false)).toEqual({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: 'fail',
    });
  });
});

describe('transport errors', () => {
  it('a network failure is a retryable ChannelCallError', async () => {
    await expect(
      adapter.queryPayment({
        billId: 'b',
        outTradeNo: 'x',
        billNo: 'n',
        channel: 'ALI_WEB',
        title: 't',
        totalFee: 1,
        createTime: 0,
        expiresAt: null,
        openid: null,
        payerIp: null,
      }),
    ).rejects.toMatchObject({ code: 'NETWORK', retryable: true });
  });
});
