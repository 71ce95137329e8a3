import { createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  beijingTime,
  notifyUnsignedKeys,
  parseBeijingTime,
  responseKeyFor,
  signContent,
} from './protocol.ts';

describe('signContent (the text Alipay signs)', () => {
  it('sorts keys by ASCII, drops empty values and the excluded keys, keeps raw values', () => {
    const params = {
      sign: 'abc',
      sign_type: 'RSA2',
      total_amount: '0.01',
      app_id: '2021000000000001',
      Zeta: 'upper case sorts before lower case',
      body: '',
      subject: '测试 a&b=c /x',
      notify_time: '2026-12-02 10:00:00',
      seller_id: undefined,
    };
    expect(signContent(params, notifyUnsignedKeys)).toBe(
      'Zeta=upper case sorts before lower case&app_id=2021000000000001&notify_time=2026-12-02 10:00:00&' +
        'subject=测试 a&b=c /x&total_amount=0.01',
    );
    // Requests keep sign_type in the signed text.
    expect(signContent(params, ['sign'])).toContain('&sign_type=RSA2&');
  });

  it('orders by code unit, not locale (underscore after upper-case, before lower-case)', () => {
    expect(signContent({ a_b: '1', aB: '2', ab: '3', a: '4' }, [])).toBe('a=4&aB=2&a_b=1&ab=3');
  });

  it('produces the string a known-good RSA2 signature was made over (UTF-8)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const content = signContent({ subject: '支付宝', out_trade_no: 'x1', sign: 'ignored' }, ['sign']);
    expect(content).toBe('out_trade_no=x1&subject=支付宝');
    const signature = createSign('RSA-SHA256')
      .update(Buffer.from(content, 'utf8'))
      .sign(privateKey, 'base64');
    expect(createVerify('RSA-SHA256').update(content, 'utf8').verify(publicKey, signature, 'base64')).toBe(
      true,
    );
  });
});

describe('Beijing time', () => {
  it('formats ms as yyyy-MM-dd HH:mm:ss in UTC+8 whatever the host zone', () => {
    expect(beijingTime(Date.UTC(2026, 11, 2, 16, 30, 5))).toBe('2026-12-03 00:30:05');
    expect(beijingTime(Date.UTC(2026, 0, 1, 0, 0, 0))).toBe('2026-01-01 08:00:00');
  });

  it('parses it back, and refuses other shapes', () => {
    expect(parseBeijingTime('2026-12-03 00:30:05')).toBe(Date.UTC(2026, 11, 2, 16, 30, 5));
    expect(parseBeijingTime('2026-12-03T00:30:05')).toBeNull();
    expect(parseBeijingTime('')).toBeNull();
    expect(parseBeijingTime(undefined)).toBeNull();
  });
});

it('names the response object after the method', () => {
  expect(responseKeyFor('alipay.trade.fastpay.refund.query')).toBe(
    'alipay_trade_fastpay_refund_query_response',
  );
});
