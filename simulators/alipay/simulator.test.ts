/**
 * The simulator's own checks, driven with requests signed here (node:crypto, no SDK, no adapter): Alipay's
 * parameter validation and error codes, answer signing, the control API.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRsaKeyPair, rsa2Sign, rsa2Verify, stringToSign } from './crypto.ts';
import { startAlipaySimulator, type AlipaySimulatorHandle, type Merchant } from './index.ts';

const app = newRsaKeyPair();
let sim: AlipaySimulatorHandle;
let merchant: Merchant;
let certMerchant: Merchant;

function beijingNow(offsetMs = 0): string {
  return new Date(Date.now() + offsetMs + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}

function post(url: string, body: string, contentType = 'application/x-www-form-urlencoded') {
  return new Promise<{ status: number; location?: string; text: string }>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': contentType } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          location: res.headers.location,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Calls gateway.do with params signed by the app key (unless `sign` is given) and answers the parsed answer. */
async function call(
  method: string,
  biz: unknown,
  overrides: Record<string, string | undefined> = {},
  who: Merchant = merchant,
): Promise<{ status: number; text: string; answer: Record<string, unknown>; location?: string }> {
  const params: Record<string, string> = {
    app_id: who.app_id,
    method,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: beijingNow(),
    version: '1.0',
    biz_content: typeof biz === 'string' ? biz : JSON.stringify(biz),
  };
  if (who.mode === 'cert') {
    params.app_cert_sn = who.app_cert_sn!;
    params.alipay_root_cert_sn = who.alipay_root_cert_sn!;
  }
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete params[k];
    else if (k !== 'sign') params[k] = v;
  }
  params.sign = overrides.sign ?? rsa2Sign(stringToSign(params, ['sign']), app.privateKey);
  const response = await post(sim.gatewayUrl, new URLSearchParams(params).toString());
  let answer: Record<string, unknown> = {};
  if (response.status === 200 && response.text.startsWith('{')) {
    const parsed = JSON.parse(response.text) as Record<string, unknown>;
    const key = Object.keys(parsed).find((k) => k.endsWith('_response'))!;
    answer = parsed[key] as Record<string, unknown>;
  }
  return { ...response, answer };
}

beforeAll(async () => {
  sim = await startAlipaySimulator({ notifyRetryScale: 0.001 });
  merchant = await sim.registerMerchant({ app_public_key: app.publicKey });
  certMerchant = await sim.registerMerchant({ app_public_key: app.publicKey, mode: 'cert' });
});

afterAll(async () => {
  await sim?.close();
});

const order = (overrides: Record<string, unknown> = {}) => ({
  out_trade_no: `t${Date.now()}${Math.floor(Math.random() * 1e6)}`,
  total_amount: '0.01',
  subject: 'test',
  ...overrides,
});

describe('common parameters', () => {
  it.each([
    ['app_id', '40001', 'isv.missing-app-id'],
    ['method', '40001', 'isv.missing-method'],
    ['sign_type', '40001', 'isv.missing-signature-type'],
    ['timestamp', '40001', 'isv.missing-timestamp'],
    ['version', '40001', 'isv.missing-version'],
    ['biz_content', '40001', 'isv.missing-biz-content'],
  ])('a missing %s is %s %s', async (field, code, subCode) => {
    const { answer } = await call('alipay.trade.query', { out_trade_no: 'x' }, { [field]: undefined });
    expect(answer).toMatchObject({ code, sub_code: subCode });
  });

  it.each([
    [{ app_id: '2021999999999999' }, 'isv.invalid-app-id'],
    [{ sign_type: 'RSA' }, 'isv.invalid-signature-type'],
    [{ charset: 'GBK' }, 'isv.invalid-charset'],
    [{ format: 'XML' }, 'isv.invalid-format'],
    [{ timestamp: '2026/12/02 10:00:00' }, 'isv.invalid-timestamp'],
    [{ timestamp: beijingNow(-11 * 60_000) }, 'isv.invalid-timestamp'],
    [{ timestamp: beijingNow(-8 * 3600_000) }, 'isv.invalid-timestamp'],
    [{ method: 'alipay.trade.pay.unknown' }, 'isv.invalid-method'],
    [{ sign: rsa2Sign('something else', app.privateKey) }, 'isv.invalid-signature'],
  ])('%j is 40002 %s', async (overrides, subCode) => {
    const { answer } = await call('alipay.trade.query', { out_trade_no: 'x' }, overrides);
    expect(answer).toMatchObject({ code: '40002', sub_code: subCode });
  });

  it('signs over sign_type too (requests exclude only sign)', async () => {
    const params: Record<string, string> = {
      app_id: merchant.app_id,
      method: 'alipay.trade.query',
      sign_type: 'RSA2',
      timestamp: beijingNow(),
      version: '1.0',
      biz_content: '{"out_trade_no":"none"}',
    };
    params.sign = rsa2Sign(stringToSign(params, ['sign', 'sign_type']), app.privateKey);
    const response = await post(sim.gatewayUrl, new URLSearchParams(params).toString());
    expect(response.text).toContain('isv.invalid-signature');
  });

  it('biz_content must be a JSON object', async () => {
    expect((await call('alipay.trade.query', '{not json')).answer).toMatchObject({
      sub_code: 'isv.invalid-biz-content',
    });
    expect((await call('alipay.trade.query', '[1]')).answer).toMatchObject({
      sub_code: 'isv.invalid-biz-content',
    });
  });

  it('certificate mode needs the app and root cert SNs the simulator issued', async () => {
    const ok = await call('alipay.trade.query', { out_trade_no: 'none' }, {}, certMerchant);
    expect(ok.answer).toMatchObject({ code: '40004', sub_code: 'ACQ.TRADE_NOT_EXIST' });
    expect(JSON.parse(ok.text).alipay_cert_sn).toBe(certMerchant.alipay_cert_sn);
    const wrongApp = await call(
      'alipay.trade.query',
      { out_trade_no: 'none' },
      { app_cert_sn: '0'.repeat(32) },
      certMerchant,
    );
    expect(wrongApp.answer).toMatchObject({ code: '40002', sub_code: 'isv.app-cert-sn-mismatch' });
    const noRoot = await call(
      'alipay.trade.query',
      { out_trade_no: 'none' },
      { alipay_root_cert_sn: undefined },
      certMerchant,
    );
    expect(noRoot.answer).toMatchObject({ code: '40001', sub_code: 'isv.missing-alipay-root-cert-sn' });
  });
});

describe('answers', () => {
  it('are signed over the raw response object text, with "/" escaped as Alipay does', async () => {
    const { text } = await call('alipay.trade.precreate', order({ subject: 'a/b' }));
    expect(text).toContain('\\/scan\\/');
    const match = /^\{"alipay_trade_precreate_response":(\{.*\}),"sign":"([^"]+)"\}$/.exec(text)!;
    expect(match).not.toBeNull();
    expect(rsa2Verify(match[1], match[2], merchant.alipay_public_key)).toBe(true);
    expect(rsa2Verify(JSON.stringify(JSON.parse(match[1])), match[2], merchant.alipay_public_key)).toBe(
      false,
    );
  });
});

describe('order parameters', () => {
  it.each(['0.001', '-1', '1e2', ' 1', '1.', 'abc', ''])('total_amount %j is refused', async (amount) => {
    const { answer } = await call('alipay.trade.precreate', order({ total_amount: amount }));
    expect(answer).toMatchObject({ code: '40004', sub_code: 'ACQ.INVALID_PARAMETER' });
  });

  it.each(['0.00', '100000000.01'])('total_amount %s is out of range', async (amount) => {
    const { answer } = await call('alipay.trade.precreate', order({ total_amount: amount }));
    expect(answer).toMatchObject({ code: '40004', sub_code: 'ACQ.TOTAL_FEE_EXCEED' });
  });

  it('accepts the bounds', async () => {
    for (const amount of ['0.01', '100000000', '100000000.00', '0.1']) {
      expect((await call('alipay.trade.precreate', order({ total_amount: amount }))).answer.code).toBe(
        '10000',
      );
    }
  });

  it('out_trade_no: at most 64 characters of letters, digits, _ - .', async () => {
    expect((await call('alipay.trade.precreate', order({ out_trade_no: 'a'.repeat(64) }))).answer.code).toBe(
      '10000',
    );
    for (const bad of ['a'.repeat(65), 'has space', '订单1', '']) {
      const { answer } = await call('alipay.trade.precreate', order({ out_trade_no: bad }));
      expect(answer, bad).toMatchObject({ code: '40004', sub_code: 'ACQ.INVALID_PARAMETER' });
    }
  });

  it('product_code must match the method', async () => {
    const wrong = await call('alipay.trade.wap.pay', order({ product_code: 'FAST_INSTANT_TRADE_PAY' }));
    expect(wrong.status).toBe(200);
    expect(wrong.text).toContain('isv.invalid-parameter');
    const right = await call('alipay.trade.wap.pay', order({ product_code: 'QUICK_WAP_WAY' }));
    expect(right.status).toBe(302);
    expect(right.location).toMatch(/\/cashier\/\d+$/);
    const missing = await call('alipay.trade.page.pay', order());
    expect(missing.text).toContain('ACQ.INVALID_PARAMETER');
  });

  it('the same out_trade_no with another amount is ACQ.CONTEXT_INCONSISTENT', async () => {
    const first = order();
    expect((await call('alipay.trade.precreate', first)).answer.code).toBe('10000');
    const { answer } = await call('alipay.trade.precreate', { ...first, total_amount: '0.02' });
    expect(answer).toMatchObject({ code: '40004', sub_code: 'ACQ.CONTEXT_INCONSISTENT' });
  });

  it('an order past time_expire is closed and its scan page says so', async () => {
    const expiring = order({ time_expire: beijingNow(1000) });
    const { answer } = await call('alipay.trade.precreate', expiring);
    const qr = String(answer.qr_code);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const query = await call('alipay.trade.query', { out_trade_no: expiring.out_trade_no });
    expect(query.answer).toMatchObject({ trade_status: 'TRADE_CLOSED' });
    const page = await new Promise<string>((resolve) => {
      request(qr, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      }).end();
    });
    expect(page).toContain('交易已关闭');
  });
});

describe('control API', () => {
  it('answers 404 for an unknown order and 400 for a bad body', async () => {
    await expect(sim.pay('nope')).rejects.toThrow(/404/);
    const response = await post(`${sim.url}/_sim/faults`, '{', 'application/json');
    expect(response.status).toBe(400);
  });

  it('records every API call with what it was answered', async () => {
    await call('alipay.trade.query', { out_trade_no: 'recorded' });
    const last = (await sim.requests()).at(-1)!;
    expect(last).toMatchObject({
      method: 'alipay.trade.query',
      biz_content: { out_trade_no: 'recorded' },
      code: '40004',
      sub_code: 'ACQ.TRADE_NOT_EXIST',
    });
  });
});

describe('alipay.fund.trans.uni.transfer', () => {
  const transfer = (overrides: Record<string, unknown> = {}) => ({
    out_biz_no: `T${Date.now()}`,
    trans_amount: '12.34',
    product_code: 'TRANS_ACCOUNT_NO_PWD',
    biz_scene: 'DIRECT_TRANSFER',
    order_title: '佣金',
    payee_info: { identity: 'payee@alipay.example', identity_type: 'ALIPAY_LOGON_ID', name: '收款人' },
    ...overrides,
  });

  it('makes a transfer once per out_biz_no and refuses the same number with other terms', async () => {
    const request = transfer();
    const first = await call('alipay.fund.trans.uni.transfer', request);
    expect(first.answer).toMatchObject({ code: '10000', status: 'SUCCESS', out_biz_no: request.out_biz_no });
    expect(String(first.answer.order_id)).toMatch(/^\d{32}$/);
    const again = await call('alipay.fund.trans.uni.transfer', request);
    expect(again.answer.order_id).toBe(first.answer.order_id);
    const other = await call('alipay.fund.trans.uni.transfer', { ...request, trans_amount: '1.00' });
    expect(other.answer).toMatchObject({ code: '40004', sub_code: 'PAYMENT_INFO_INCONSISTENCY' });
  });

  it('refuses unknown payees, bad amounts and other products', async () => {
    const unknown = transfer({
      payee_info: { identity: 'fail@alipay.example', identity_type: 'ALIPAY_LOGON_ID' },
    });
    expect((await call('alipay.fund.trans.uni.transfer', unknown)).answer).toMatchObject({
      code: '40004',
      sub_code: 'PAYEE_NOT_EXIST',
    });
    expect(
      (await call('alipay.fund.trans.uni.transfer', transfer({ trans_amount: '1.234' }))).answer.code,
    ).toBe('40004');
    expect(
      (await call('alipay.fund.trans.uni.transfer', transfer({ product_code: 'STD_RED_PACKET' }))).answer,
    ).toMatchObject({ sub_code: 'INVALID_PARAMETER' });
  });
});
