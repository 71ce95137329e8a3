/**
 * The demo shop's payer messages (pay-messages.js, the classic script the product page loads), run as the browser
 * runs it: evaluated with a `window`. Friendly Chinese for every problem BC.click reports; never the code or the
 * technical message.
 */
import { readFile } from 'node:fs/promises';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';

interface PayMessages {
  forDataError(error: unknown): string;
  forWxResult(result: unknown): string;
}

let messages: PayMessages;

beforeAll(async () => {
  const source = await readFile(new URL('./pay-messages.js', import.meta.url), 'utf8');
  const window: { spayDemoPayMessages?: PayMessages } = {};
  runInNewContext(source, { window });
  messages = window.spayDemoPayMessages!;
});

function expectPayerText(text: string) {
  expect(text).toMatch(/[\u4e00-\u9fff]/);
  expect(text.match(/[A-Za-z]{3,}/g) ?? []).toEqual([]);
}

describe('forDataError', () => {
  it.each([
    [
      {
        code: 'NETWORK_ERROR',
        field: '',
        message: 'the payment gateway could not be reached (TypeError: Failed to fetch)',
      },
      '网络连接失败，请检查网络后重试。',
    ],
    [{ code: 'RUNTIME_ERROR', field: '', message: 'database: locked' }, '支付服务暂时不可用，请稍后重试。'],
    [
      { code: 'CHANNEL_ERROR', field: 'channel', message: 'channel: UN_WEB did not accept the payment' },
      '该支付方式暂时无法使用，请选择其他支付方式。',
    ],
    [
      { code: 'PAY_FACTOR_NOT_SET', field: 'channel', message: 'channel: UN_WEB has no live credentials' },
      '该支付方式暂时无法使用，请选择其他支付方式。',
    ],
    [
      { code: 'BILL_NO_DUPLICATE', field: 'out_trade_no', message: 'out_trade_no: order x is already paid' },
      '这笔订单已经支付，无需重复付款。',
    ],
    [
      { code: 'APP_INVALID', field: 'sign', message: 'sign: does not match' },
      '暂时无法付款，本店正在处理，请稍后再试或联系客服。',
    ],
  ])('%j → %s', (error, expected) => {
    const text = messages.forDataError(error);
    expect(text).toBe(expected);
    expectPayerText(text);
  });

  it('says something friendly for an error of no known shape', () => {
    for (const error of [undefined, null, 'boom', { code: 'SOMETHING_NEW' }])
      expectPayerText(messages.forDataError(error));
  });
});

describe('forWxResult', () => {
  it('tells a cancel from a failure', () => {
    expect(messages.forWxResult({ err_msg: 'get_brand_wcpay_request:cancel' })).toBe(
      '已取消微信支付，如需购买请重新付款。',
    );
    expect(messages.forWxResult({ err_msg: 'get_brand_wcpay_request:fail' })).toBe(
      '微信支付未成功，请重试或选择其他支付方式。',
    );
    expectPayerText(messages.forWxResult(undefined));
  });
});
