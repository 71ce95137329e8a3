import { describe, expect, it } from 'vitest';
import { classifyAnswer, orderBody, rejection } from './gateway.ts';
import type { Order } from './types.ts';

const order: Order = {
  outTradeNo: 'bc1234567',
  title: 't',
  amount: 1,
  sign: 'a'.repeat(32),
  debug: false,
  needAliGuide: true,
  useApp: true,
  openid: 'o1',
  optional: { k: 'v' },
  returnUrl: 'https://shop.example/done',
};

describe('gateway answers', () => {
  it('turns an error answer into a DataError naming the field', () => {
    expect(
      rejection({
        resultCode: 5,
        result_code: 5,
        result_msg: 'PARAM_INVALID',
        err_detail: 'amount: must be an integer number of fen > 0',
      }),
    ).toEqual({
      code: 'PARAM_INVALID',
      field: 'amount',
      message: 'amount: must be an integer number of fen > 0',
    });
    expect(rejection({ resultCode: 14 })).toEqual({
      code: 'RUNTIME_ERROR',
      field: '',
      message: 'RUNTIME_ERROR',
    });
  });

  it('maps the action the gateway names to what the widget does', () => {
    expect(
      classifyAnswer({
        resultCode: 0,
        id: 'b1',
        action: 'redirect',
        url: 'http://g/c',
        method: 'POST',
        param: { a: 1 },
        guide_url: 'http://g/guide',
      }),
    ).toEqual({
      kind: 'redirect',
      id: 'b1',
      url: 'http://g/c',
      method: 'POST',
      param: { a: 1 },
      guideUrl: 'http://g/guide',
    });
    expect(
      classifyAnswer({
        resultCode: 0,
        id: 'b2',
        action: 'qr',
        code_url: 'weixin://x',
        total_fee: 5,
        expires_at: 9,
      }),
    ).toEqual({
      kind: 'qr',
      id: 'b2',
      codeUrl: 'weixin://x',
      totalFee: 5,
      expiresAt: 9,
    });
    expect(classifyAnswer({ resultCode: 0, id: 'b3', action: 'jsapi', app_id: 'wx' })).toMatchObject({
      kind: 'jsapi',
      id: 'b3',
    });
    // The action decides, not the channel: an Alipay QR code is a QR code.
    expect(
      classifyAnswer({ resultCode: 0, id: 'b4', action: 'qr', code_url: 'https://qr.alipay.com/x' }),
    ).toMatchObject({
      kind: 'qr',
      codeUrl: 'https://qr.alipay.com/x',
    });
    expect(classifyAnswer({ resultCode: 0, id: 'b5', action: 'teleport' })).toMatchObject({
      kind: 'rejected',
      error: { code: 'RUNTIME_ERROR', field: 'action' },
    });
  });

  it('sends the openid only for JSAPI, and never a secret', () => {
    expect(orderBody(order, 'app1', false)).toEqual({
      appId: 'app1',
      title: 't',
      amount: 1,
      out_trade_no: 'bc1234567',
      sign: 'a'.repeat(32),
      return_url: 'https://shop.example/done',
      optional: { k: 'v' },
    });
    expect(orderBody(order, 'app1', true).openid).toBe('o1');
  });

  it('passes a v2 sign with its sign_type and bill_timeout through', () => {
    const v2 = { ...order, sign: 'c'.repeat(64), signType: 'HMAC-SHA256' as const, billTimeout: 300 };
    expect(orderBody(v2, 'app1', false)).toMatchObject({
      sign: 'c'.repeat(64),
      sign_type: 'HMAC-SHA256',
      bill_timeout: 300,
    });
  });
});
