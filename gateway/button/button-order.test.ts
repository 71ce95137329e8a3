/** The button's field rules (reference §2) at their edges: what passes exactly at each limit. */
import { describe, expect, it } from 'vitest';
import { BeeCloudError } from '../errors/result-codes.ts';
import { maxAmountFen, parseButtonOrder, titleLength } from './button-order.ts';

const base = { appId: 'app', title: 'title', amount: 1, out_trade_no: 'abcd1234', sign: 'a'.repeat(32) };

function refusal(input: Record<string, unknown>, needsOpenid = false): string {
  try {
    parseButtonOrder(input, { needsOpenid });
  } catch (error) {
    if (error instanceof BeeCloudError) return `${error.toAnswer().result_msg} ${error.detail}`;
    throw error;
  }
  return 'accepted';
}

describe('button order fields', () => {
  it('counts a Chinese character as 2 and ASCII as 1 in the title', () => {
    expect(titleLength('abc')).toBe(3);
    expect(titleLength('支付')).toBe(4);
    expect(titleLength('支付ab')).toBe(6);
  });

  it('accepts each field at its limit', () => {
    expect(refusal({ ...base, title: '商'.repeat(16) })).toBe('accepted');
    expect(refusal({ ...base, title: 'x'.repeat(32) })).toBe('accepted');
    expect(refusal({ ...base, amount: maxAmountFen })).toBe('accepted');
    expect(refusal({ ...base, out_trade_no: 'a'.repeat(32) })).toBe('accepted');
    expect(refusal({ ...base, out_trade_no: '12345678' })).toBe('accepted');
    expect(refusal({ ...base, sign: 'ABCDEF'.padEnd(32, '0') })).toBe('accepted');
    expect(refusal({ ...base, return_url: 'https://shop.example/pay/result' })).toBe('accepted');
    expect(refusal({ ...base, optional: { a: 1, b: 'x', c: true, d: null } })).toBe('accepted');
    expect(refusal({ ...base, bill_timeout: 60 })).toBe('accepted');
    expect(refusal({ ...base, bill_timeout: 1 })).toBe('accepted');
    expect(refusal({ ...base, bill_timeout: 30 * 24 * 60 * 60 })).toBe('accepted');
  });

  it('refuses one past each limit, naming the field', () => {
    expect(refusal({ ...base, title: '商'.repeat(16) + 'x' })).toMatch(/^PARAM_INVALID title: /);
    expect(refusal({ ...base, amount: maxAmountFen + 1 })).toMatch(/^PARAM_INVALID amount: /);
    expect(refusal({ ...base, out_trade_no: 'a'.repeat(33) })).toMatch(/^PARAM_INVALID out_trade_no: /);
    expect(refusal({ ...base, out_trade_no: '1234567' })).toMatch(/^PARAM_INVALID out_trade_no: /);
    expect(refusal({ ...base, bill_timeout: 30 * 24 * 60 * 60 + 1 })).toBe(
      'PARAM_INVALID bill_timeout: must be an integer number of seconds from 1 to 2592000',
    );
    expect(refusal({ ...base, bill_timeout: 0 })).toMatch(/^PARAM_INVALID bill_timeout: /);
  });

  it('reads an amount sent as a plain digit string, which signs the same', () => {
    expect(parseButtonOrder({ ...base, amount: '100' }, { needsOpenid: false }).amount).toBe(100);
    expect(refusal({ ...base, amount: '0100' })).toMatch(/^PARAM_INVALID amount: /);
    expect(refusal({ ...base, amount: ' 100' })).toMatch(/^PARAM_INVALID amount: /);
  });

  it('asks for openid only for WX_JSAPI', () => {
    expect(refusal(base, true)).toBe('MISS_PARAM openid: required');
    expect(refusal({ ...base, openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }, true)).toBe('accepted');
    expect(parseButtonOrder({ ...base, openid: 'ignored' }, { needsOpenid: false }).openid).toBeNull();
  });
});
