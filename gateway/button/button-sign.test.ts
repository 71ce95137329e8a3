/**
 * Issue 21 item 5: the legacy button sign md5(appId + title + amount + out_trade_no + secret) lets a payer re-split
 * an order ({"Book", 1234} → {"Book123", 4}). The v2 sign (HMAC-SHA256 over named fields) does not, covers
 * return_url, optional and bill_timeout, and an app can require it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signButtonOrderV2 } from '../../sdk/button-order.ts';
import { buttonOrderSign } from '../../sdk/sign.ts';
import {
  billStatus,
  newOrderNo,
  postJson,
  startTestGateway,
  testApp,
  type TestGateway,
} from '../testing/gateway-harness.ts';

let gateway: TestGateway;
const strictApp = testApp({ buttonSign: 'v2_required' });

beforeAll(async () => {
  gateway = await startTestGateway({ seedApps: [strictApp] });
});
afterAll(async () => {
  await gateway.close();
});

function legacyOrder(app: typeof strictApp, title: string, amount: number, outTradeNo: string) {
  return {
    appId: app.appId,
    title,
    amount,
    out_trade_no: outTradeNo,
    sign: buttonOrderSign(app.appId, title, amount, outTradeNo, app.appSecret),
  };
}

function v2Order(app: typeof strictApp, order: Parameters<typeof signButtonOrderV2>[1]) {
  return { appId: app.appId, ...signButtonOrderV2(app, order) };
}

const create = (body: unknown) => postJson(`${gateway.url}/2/rest/jsbutton/ALI_WEB`, body);

describe('the legacy md5 sign (apps that still accept it)', () => {
  it('is accepted, and its weakness is real: a re-split order carries the same sign', async () => {
    const orderNo = newOrderNo();
    const real = legacyOrder(gateway.app, 'Book', 1234, orderNo);
    const split = { ...real, title: 'Book123', amount: 4 };
    expect(split.sign).toBe(legacyOrder(gateway.app, 'Book123', 4, orderNo).sign);
    const answer = await create(split);
    expect(answer.json.resultCode).toBe(0);
    expect(await billStatus(gateway, answer.json.id as string)).toMatchObject({ total_fee: 4 });
  });

  it('is refused, naming the formula, when it was made with another secret or for other fields', async () => {
    const orderNo = newOrderNo();
    const forged = { ...legacyOrder({ ...gateway.app, appSecret: 'not-the-secret' }, 'Book', 1234, orderNo) };
    const changed = { ...legacyOrder(gateway.app, 'Book', 1234, orderNo), amount: 1 };
    for (const body of [forged, changed]) {
      const answer = await create(body);
      expect(answer.json).toMatchObject({
        result_code: 1,
        result_msg: 'APP_INVALID',
        err_detail: 'sign: does not match md5(appId + title + amount + out_trade_no + appSecret)',
      });
    }
  });
});

describe('the v2 sign', () => {
  it('creates the bill with every signed field', async () => {
    const answer = await create(
      v2Order(gateway.app, {
        title: '你的订单',
        amount: 1234,
        out_trade_no: newOrderNo(),
        return_url: 'https://shop.example/paid',
        optional: { cart: 'c-1' },
        bill_timeout: 600,
      }),
    );
    expect(answer.json).toMatchObject({ resultCode: 0 });
    expect(await billStatus(gateway, answer.json.id as string)).toMatchObject({ total_fee: 1234 });
  });

  it.each([
    ['a re-split title and amount', { title: 'Book123', amount: 4 }],
    ['another return_url', { return_url: 'https://evil.example/paid' }],
    ['another optional', { optional: { cart: 'c-2' } }],
    ['another bill_timeout', { bill_timeout: 2_000_000 }],
  ])('refuses %s with the sign unchanged, naming sign', async (_name, change) => {
    const signed = v2Order(gateway.app, {
      title: 'Book',
      amount: 1234,
      out_trade_no: newOrderNo(),
      return_url: 'https://shop.example/paid',
      optional: { cart: 'c-1' },
      bill_timeout: 600,
    });
    const answer = await create({ ...signed, ...change });
    expect(answer.json).toMatchObject({ resultCode: 1, result_msg: 'APP_INVALID' });
    expect(answer.json.err_detail).toMatch(/^sign: does not match HMAC-SHA256/);
  });

  it('refuses an unknown sign_type, and a v2 sign that is not 64 hex digits', async () => {
    const signed = v2Order(gateway.app, { title: 'Book', amount: 1, out_trade_no: newOrderNo() });
    const unknown = await create({ ...signed, sign_type: 'SHA1' });
    expect(unknown.json.err_detail).toMatch(/^sign_type: must be "HMAC-SHA256" .*or "MD5"/);
    const short = await create({ ...signed, sign: signed.sign.slice(0, 32) });
    expect(short.json.err_detail).toMatch(/^sign: must be 64 hex digits/);
  });
});

describe('an app that requires the v2 sign', () => {
  it('refuses the legacy sign with a clear error, and accepts the v2 sign', async () => {
    const legacy = await create(legacyOrder(strictApp, 'Book', 1234, newOrderNo()));
    expect(legacy.json).toMatchObject({ resultCode: 1, result_msg: 'APP_INVALID' });
    expect(legacy.json.err_detail).toMatch(
      /^sign_type: this app requires the v2 sign \(sign_type "HMAC-SHA256".*legacy md5 sign is refused/,
    );
    const v2 = await create(v2Order(strictApp, { title: 'Book', amount: 1234, out_trade_no: newOrderNo() }));
    expect(v2.json).toMatchObject({ resultCode: 0 });
  });
});
