import { describe, expect, it } from 'vitest';
import { newOutTradeNo, signButtonOrder, signButtonOrderV2 } from './button-order.ts';

const app = { appId: 'e66e760b-0f78-44bb-a9ae-b22729d51678', appSecret: 'secret-1' };

describe('signButtonOrder', () => {
  it('adds the seed tutorial sign (known vector)', () => {
    const signed = signButtonOrder(app, { title: 'product', amount: 1, out_trade_no: 'bc1234567' });
    expect(signed).toEqual({
      title: 'product',
      amount: 1,
      out_trade_no: 'bc1234567',
      sign: '59c4b5db51d52739af8f07139a2c47e7',
    });
  });

  it('keeps return_url, optional and openid, which the sign does not cover', () => {
    const signed = signButtonOrder(app, {
      title: 'product',
      amount: 1,
      out_trade_no: 'bc1234567',
      return_url: 'http://shop.example/payresult',
      optional: { key: 'value' },
      openid: 'openid-1',
    });
    expect(signed.sign).toBe('59c4b5db51d52739af8f07139a2c47e7');
    expect(signed.optional).toEqual({ key: 'value' });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses amount %s', (amount) => {
    expect(() => signButtonOrder(app, { title: 'product', amount, out_trade_no: 'bc1234567' })).toThrow(
      /^amount: /,
    );
  });

  it.each(['short', 'has-dash-123', 'x'.repeat(33)])('refuses out_trade_no %s', (outTradeNo) => {
    expect(() => signButtonOrder(app, { title: 'product', amount: 1, out_trade_no: outTradeNo })).toThrow(
      /^out_trade_no: /,
    );
  });
});

describe('newOutTradeNo', () => {
  it('makes distinct 32-character alphanumeric order numbers', () => {
    const first = newOutTradeNo();
    expect(first).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(newOutTradeNo()).not.toBe(first);
  });
});

describe('signButtonOrderV2', () => {
  it('adds the v2 sign and sign_type (known vector) over every named field', () => {
    const order = {
      title: '你的订单',
      amount: 100,
      out_trade_no: 'order123456',
      return_url: 'https://shop.example/paid',
      optional: { z: 1, a: 'x', m: true },
      bill_timeout: 300,
    };
    const signed = signButtonOrderV2({ appId: 'app', appSecret: 's3cr3t' }, order);
    expect(signed).toEqual({
      ...order,
      sign_type: 'HMAC-SHA256',
      sign: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const withNull = signButtonOrderV2(
      { appId: 'app', appSecret: 's3cr3t' },
      { ...order, optional: { z: 1, a: 'x', m: true, n: null } as never },
    );
    expect(withNull.sign).toBe('07927285368e8ea46c3c58270602889bcae5d55cecef448fbb826e85a0253eb2');
    expect(signed.sign).not.toBe(withNull.sign);
  });

  it('refuses a bad amount like the legacy signer', () => {
    expect(() => signButtonOrderV2(app, { title: 'product', amount: 0, out_trade_no: 'bc1234567' })).toThrow(
      /^amount: /,
    );
  });
});
