import { describe, expect, it } from 'vitest';
import { BeeCloudError } from '../errors/result-codes.ts';
import { refusalOf } from '../testing/refusal.ts';
import { checkWithSchema } from '../schema/request-validation.ts';
import { payRequestFrom, type PayRequestFields } from './pay-request.ts';
import { payRequestSchema } from './pay-schemas.ts';

const signature = { app_id: 'app', timestamp: 1, app_sign: '0'.repeat(32) };

const base = { channel: 'WX_NATIVE', total_fee: 1, bill_no: 'bill20261123001', title: '白开水' };

/** As Fastify passes the body on (its schema), then the rules the schema cannot say. */
function read(values: Record<string, unknown>) {
  return payRequestFrom(
    checkWithSchema<PayRequestFields>(payRequestSchema, { ...signature, ...values }, 'body', {
      edge: 'rest',
    }),
  );
}

function refusal(values: Record<string, unknown>): BeeCloudError {
  return refusalOf(() => read(values));
}

describe('POST /2/rest/bill body (schema and rules)', () => {
  it('reads every field with its BeeCloud name', () => {
    const pay = read({
      ...base,
      channel: 'ALI_WEB',
      return_url: 'https://shop.example/paid',
      notify_url: 'https://shop.example/hook?x=1',
      optional: { order: 7, vip: true },
      bill_timeout: 360,
      buyer_id: 'buyer1',
      coupon_id: 'c1',
      analysis: { os_name: 'iOS' },
    });
    expect(pay).toMatchObject({
      channel: 'ALI_WEB',
      totalFee: 1,
      billNo: 'bill20261123001',
      title: '白开水',
      returnUrl: 'https://shop.example/paid',
      notifyUrl: 'https://shop.example/hook?x=1',
      optional: { order: 7, vip: true },
      billTimeoutSeconds: 360,
      buyerId: 'buyer1',
      couponId: 'c1',
      analysis: { os_name: 'iOS' },
    });
  });

  it.each([
    [{ ...base, channel: undefined }, 'MISS_PARAM', 'channel'],
    [{ ...base, channel: 'BTC' }, 'CHANNEL_INVALID', 'channel'],
    [{ ...base, channel: 'ALI_APP' }, 'CHANNEL_INVALID', 'channel'],
    [{ ...base, total_fee: 0 }, 'PARAM_INVALID', 'total_fee'],
    [{ ...base, total_fee: 1.5 }, 'PARAM_INVALID', 'total_fee'],
    [{ ...base, total_fee: '100' }, 'PARAM_INVALID', 'total_fee'],
    [{ ...base, bill_no: 'short' }, 'PARAM_INVALID', 'bill_no'],
    [{ ...base, bill_no: 'has-dash-0001' }, 'PARAM_INVALID', 'bill_no'],
    [{ ...base, title: undefined }, 'MISS_PARAM', 'title'],
    [{ ...base, title: '一二三四五六七八九十一二三四五六七' }, 'PARAM_INVALID', 'title'],
    [{ ...base, channel: 'ALI_WEB' }, 'MISS_PARAM', 'return_url'],
    [{ ...base, channel: 'UN_WEB', return_url: 'https://a.example/r?x=1' }, 'PARAM_INVALID', 'return_url'],
    [{ ...base, return_url: 'ftp://a.example/r' }, 'PARAM_INVALID', 'return_url'],
    [{ ...base, notify_url: 'javascript:alert(1)' }, 'PARAM_INVALID', 'notify_url'],
    [{ ...base, channel: 'WX_JSAPI' }, 'MISS_PARAM', 'openid'],
    [{ ...base, optional: { nested: { a: 1 } } }, 'PARAM_INVALID', 'optional'],
    [{ ...base, bill_timeout: 0 }, 'PARAM_INVALID', 'bill_timeout'],
    [{ ...base, analysis: [1] }, 'PARAM_INVALID', 'analysis'],
  ])('refuses %j', (values, resultMsg, field) => {
    const error = refusal(values);
    expect(error.toAnswer().result_msg).toBe(resultMsg);
    expect(error.detail.startsWith(`${field}: `)).toBe(true);
  });

  it('counts a Chinese character as two bytes of the 32-byte title', () => {
    expect(read({ ...base, title: '一二三四五六七八九十一二三四五六' }).title).toHaveLength(16);
    expect(read({ ...base, title: 'x'.repeat(32) }).title).toHaveLength(32);
    expect(refusal({ ...base, title: 'x'.repeat(33) }).detail).toMatch(/^title: /);
  });
});
