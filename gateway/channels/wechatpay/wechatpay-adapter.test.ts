/**
 * The adapter's notify handling and pure helpers, with notifies built by an independent implementation
 * (wechatpay-axios-plugin's Rsa, Formatter and Aes.AesGcm) exactly as WeChat sends them.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Aes, Formatter, Rsa } from 'wechatpay-axios-plugin';
import { describe, expect, it } from 'vitest';
import { generateMerchantCredentials } from '../../../simulators/wechatpay/index.ts';
import { NotifyRejected, type RawChannelNotify } from '../channel.ts';
import { wechatpayChannel } from './index.ts';
import { WechatpayAdapter, beijingRfc3339, fenAmount, parseWechatTime } from './wechatpay-adapter.ts';

const merchant = generateMerchantCredentials('1900000001');
const platform = generateMerchantCredentials('platform');
const wechatpay = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicKeyId = 'PUB_KEY_ID_0119000000012025120200000000';
const apiv3Key = 'APIv3KeyAPIv3KeyAPIv3KeyAPIv3Key';
const now = Date.parse('2026-12-02T14:00:00Z');

const settings = wechatpayChannel.parseSettings({
  mchid: '1900000001',
  appid: 'wx8888888888888888',
  merchant_private_key: merchant.privateKeyPem,
  merchant_serial_no: merchant.serialNo,
  apiv3_key: apiv3Key,
  platform_certificates: [platform.certificatePem],
  wechatpay_public_key: wechatpay.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  wechatpay_public_key_id: publicKeyId,
});
const adapter = wechatpayChannel.createAdapter(settings, {
  http: () => Promise.reject(new Error('no HTTP in these tests')),
  now: () => now,
});
const platformPrivate = { key: platform.privateKeyPem };

interface NotifyOptions {
  eventType?: string;
  signWith?: 'public_key' | 'platform' | 'stranger';
  serial?: string;
  timestamp?: number;
  key?: string;
  associatedData?: string;
}

function notify(plain: Record<string, unknown>, options: NotifyOptions = {}): RawChannelNotify {
  const nonce = randomBytes(6).toString('hex');
  const associatedData = options.associatedData ?? 'transaction';
  const body = JSON.stringify({
    id: 'EV-2018022511223320873',
    create_time: '2026-12-02T22:00:00+08:00',
    resource_type: 'encrypt-resource',
    event_type: options.eventType ?? 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: Aes.AesGcm.encrypt(JSON.stringify(plain), options.key ?? apiv3Key, nonce, associatedData),
      associated_data: associatedData,
      nonce,
    },
  });
  const timestamp = options.timestamp ?? Math.floor(now / 1000);
  const headerNonce = randomBytes(16).toString('hex');
  const signWith = options.signWith ?? 'public_key';
  const key =
    signWith === 'public_key'
      ? wechatpay.privateKey
      : signWith === 'platform'
        ? platformPrivate.key
        : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'wechatpay-timestamp': String(timestamp),
      'wechatpay-nonce': headerNonce,
      'wechatpay-serial': options.serial ?? (signWith === 'platform' ? platform.serialNo : publicKeyId),
      'wechatpay-signature': Rsa.sign(Formatter.response(timestamp, headerNonce, body), key),
    },
  };
}

const transaction = {
  mchid: '1900000001',
  appid: 'wx8888888888888888',
  out_trade_no: '1217752501201407033233368018',
  transaction_id: '4200000000202612020000000001',
  trade_type: 'NATIVE',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  bank_type: 'OTHERS',
  attach: '',
  success_time: '2026-12-02T21:59:58+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' },
};

async function rejection(raw: RawChannelNotify): Promise<string> {
  const error = await adapter.parseNotify(raw).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NotifyRejected);
  return (error as NotifyRejected).reason;
}

describe('parseNotify', () => {
  it('TRANSACTION.SUCCESS signed with the WeChat Pay public key → a payment in fen', async () => {
    expect(await adapter.parseNotify(notify(transaction))).toEqual({
      kind: 'payment',
      outTradeNo: transaction.out_trade_no,
      tradeNo: transaction.transaction_id,
      totalFee: 100,
      paidAt: Date.parse('2026-12-02T13:59:58Z'),
      detail: transaction,
    });
  });

  it('the same notify signed with the platform certificate verifies by its serial', async () => {
    expect(await adapter.parseNotify(notify(transaction, { signWith: 'platform' }))).toMatchObject({
      kind: 'payment',
      totalFee: 100,
    });
  });

  it('Wechatpay-Serial picks the key: a public-key signature under the certificate serial does not verify', async () => {
    expect(
      await rejection(notify(transaction, { signWith: 'public_key', serial: platform.serialNo })),
    ).toContain('does not verify');
    expect(await rejection(notify(transaction, { signWith: 'platform', serial: publicKeyId }))).toContain(
      'does not verify',
    );
    expect(await rejection(notify(transaction, { serial: 'PUB_KEY_ID_0000' }))).toContain(
      'no platform certificate',
    );
  });

  it('refuses stale or future timestamps, strangers’ signatures and missing headers', async () => {
    const seconds = Math.floor(now / 1000);
    expect(await rejection(notify(transaction, { timestamp: seconds - 301 }))).toContain('5 minutes');
    expect(await rejection(notify(transaction, { timestamp: seconds + 400 }))).toContain('5 minutes');
    expect(await adapter.parseNotify(notify(transaction, { timestamp: seconds - 299 }))).toMatchObject({
      kind: 'payment',
    });
    expect(await rejection(notify(transaction, { signWith: 'stranger' }))).toContain('does not verify');
    const raw = notify(transaction);
    expect(
      await rejection({ body: raw.body, headers: { ...raw.headers, 'wechatpay-signature': undefined } }),
    ).toContain('lacks');
    expect(
      await rejection({ body: raw.body.replace('支付成功', '支付失败'), headers: raw.headers }),
    ).toContain('does not verify');
  });

  it('refuses a resource encrypted with another APIv3 key or another AAD', async () => {
    expect(await rejection(notify(transaction, { key: 'x'.repeat(32) }))).toContain('does not decrypt');
    const raw = notify(transaction);
    const envelope = JSON.parse(raw.body);
    envelope.resource.associated_data = 'refund';
    const body = JSON.stringify(envelope);
    const timestamp = Math.floor(now / 1000);
    const resigned: RawChannelNotify = {
      body,
      headers: {
        ...raw.headers,
        'wechatpay-timestamp': String(timestamp),
        'wechatpay-nonce': 'n',
        'wechatpay-signature': Rsa.sign(Formatter.response(timestamp, 'n', body), wechatpay.privateKey),
      },
    };
    expect(await rejection(resigned)).toContain('does not decrypt');
  });

  it('cross-checks mchid and appid against the settings', async () => {
    expect(await rejection(notify({ ...transaction, mchid: '1900000002' }))).toContain('mchid 1900000002');
    expect(await rejection(notify({ ...transaction, appid: 'wx0000000000000000' }))).toContain('appid');
  });

  it('reports the channel’s amount exactly and refuses amounts that are not integer fen', async () => {
    expect(
      await adapter.parseNotify(notify({ ...transaction, amount: { ...transaction.amount, total: 99 } })),
    ).toMatchObject({ totalFee: 99 });
    expect(await rejection(notify({ ...transaction, amount: { total: 1.5 } }))).toContain('amount.total');
    expect(await rejection(notify({ ...transaction, amount: { total: '100' } }))).toContain('amount.total');
    expect(await rejection(notify({ ...transaction, amount: {} }))).toContain('amount.total');
    expect(await rejection(notify({ ...transaction, success_time: 'yesterday' }))).toContain('success_time');
  });

  it('refund notifies: REFUND.SUCCESS / ABNORMAL / CLOSED', async () => {
    const refund = {
      mchid: '1900000001',
      out_trade_no: transaction.out_trade_no,
      transaction_id: transaction.transaction_id,
      out_refund_no: 'R1217752501201407033233368018',
      refund_id: '50000000382019052709732678859',
      refund_status: 'SUCCESS',
      success_time: '2026-12-02T22:10:00+08:00',
      user_received_account: '支付用户零钱',
      amount: { total: 100, refund: 40, payer_total: 100, payer_refund: 40 },
    };
    expect(
      await adapter.parseNotify(notify(refund, { eventType: 'REFUND.SUCCESS', associatedData: 'refund' })),
    ).toEqual({
      kind: 'refund',
      outRefundNo: refund.out_refund_no,
      outTradeNo: refund.out_trade_no,
      result: {
        status: 'success',
        channelRefundNo: refund.refund_id,
        refundFee: 40,
        finishedAt: Date.parse('2026-12-02T14:10:00Z'),
      },
      detail: refund,
    });
    const { success_time: _drop, ...unfinished } = refund;
    for (const status of ['ABNORMAL', 'CLOSED']) {
      expect(
        await adapter.parseNotify(
          notify({ ...unfinished, refund_status: status }, { eventType: `REFUND.${status}` }),
        ),
      ).toMatchObject({
        kind: 'refund',
        result: { status: 'failed', reason: expect.stringContaining(status) },
      });
    }
    expect(await rejection(notify({ ...refund, mchid: '1' }, { eventType: 'REFUND.SUCCESS' }))).toContain(
      'mchid',
    );
  });

  it('verified events it does not act on are ignored (answered with success)', async () => {
    expect(await adapter.parseNotify(notify(transaction, { eventType: 'TRANSACTION.CLOSED' }))).toEqual({
      kind: 'ignored',
      reason: 'event_type TRANSACTION.CLOSED is not acted on',
    });
    expect(await adapter.parseNotify(notify({ ...transaction, trade_state: 'NOTPAY' }))).toMatchObject({
      kind: 'ignored',
    });
  });
});

describe('answers and helpers', () => {
  it('answers an accepted notify with 204 and a refused one with 400 {"code":"FAIL"}', () => {
    expect(adapter.notifyAnswer(true)).toMatchObject({ status: 204, body: '' });
    const refused = adapter.notifyAnswer(false);
    expect(refused.status).toBe(400);
    expect(refused.contentType).toBe('application/json');
    expect(JSON.parse(refused.body)).toEqual({ code: 'FAIL', message: expect.any(String) });
  });

  it('JSAPI parameters: signType RSA and a paySign the WeChat client verifies with the merchant certificate', () => {
    const params = (adapter as WechatpayAdapter).jsapiParams('wx201410272009395522657a690389285100');
    expect(params).toMatchObject({
      appId: 'wx8888888888888888',
      timeStamp: String(Math.floor(now / 1000)),
      package: 'prepay_id=wx201410272009395522657a690389285100',
      signType: 'RSA',
    });
    expect(params.nonceStr).toMatch(/^[0-9A-Z]{32}$/);
    const message = Formatter.joinedByLineFeed(
      params.appId,
      params.timeStamp,
      params.nonceStr,
      params.package,
    );
    expect(Rsa.verify(message, params.paySign, merchant.certificatePem)).toBe(true);
  });

  it('times are Beijing RFC 3339 both ways; amounts are integer fen only', () => {
    expect(beijingRfc3339(Date.parse('2026-12-02T16:30:05.123Z'))).toBe('2026-12-03T00:30:05+08:00');
    expect(parseWechatTime('2026-12-03T00:30:05+08:00', 't')).toBe(Date.parse('2026-12-02T16:30:05Z'));
    expect(() => parseWechatTime('2026-12-03 00:30:05', 't')).toThrow('t is not');
    expect(fenAmount(0, 'a')).toBe(0);
    expect(fenAmount(123456789, 'a')).toBe(123456789);
    for (const bad of [-1, 0.1, '1', null, Number.MAX_SAFE_INTEGER + 1])
      expect(() => fenAmount(bad, 'a')).toThrow();
  });
});
