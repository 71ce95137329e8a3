import { describe, expect, it } from 'vitest';
import { checkChannelData, checkInstantChannel, titleWeight, validateClickData } from './validate.ts';
import type { DataError, Order } from './types.ts';

const good = {
  out_trade_no: 'bc1234567',
  title: '你的订单',
  amount: 1,
  sign: 'b6273d932b0aa801d9bd97220f1fb039',
};

const missing = (field: string): DataError => ({
  code: 'MISS_PARAM',
  field,
  message: `${field}: is required`,
});
const invalid = (field: string, rule: string): DataError => ({
  code: 'PARAM_INVALID',
  field,
  message: `${field}: ${rule}`,
});

const AMOUNT_RULE = 'must be an integer number of fen > 0';
const TITLE_RULE = 'must be at most 16 Chinese or 32 other characters';

/** [what, data, the exact dataError] */
const bad: [string, unknown, DataError][] = [
  ['data is not an object', 'order', invalid('data', 'must be an object')],
  ['data is null', null, invalid('data', 'must be an object')],
  ['data is an array', [good], invalid('data', 'must be an object')],
  ['out_trade_no missing', { ...good, out_trade_no: undefined }, missing('out_trade_no')],
  ['out_trade_no empty', { ...good, out_trade_no: '' }, missing('out_trade_no')],
  [
    'out_trade_no 7 characters',
    { ...good, out_trade_no: 'abc1234' },
    invalid('out_trade_no', 'must be 8 to 32 letters or digits'),
  ],
  [
    'out_trade_no 33 characters',
    { ...good, out_trade_no: 'a'.repeat(33) },
    invalid('out_trade_no', 'must be 8 to 32 letters or digits'),
  ],
  [
    'out_trade_no with a dash',
    { ...good, out_trade_no: 'bc-1234567' },
    invalid('out_trade_no', 'must be 8 to 32 letters or digits'),
  ],
  [
    'out_trade_no with Chinese',
    { ...good, out_trade_no: '订单12345678' },
    invalid('out_trade_no', 'must be 8 to 32 letters or digits'),
  ],
  [
    'out_trade_no a number',
    { ...good, out_trade_no: 123456789 },
    invalid('out_trade_no', 'must be 8 to 32 letters or digits'),
  ],
  ['title missing', { ...good, title: undefined }, missing('title')],
  ['title blank', { ...good, title: '   ' }, missing('title')],
  ['title a number', { ...good, title: 42 }, invalid('title', 'must be a string')],
  ['title 17 Chinese characters', { ...good, title: '汉'.repeat(17) }, invalid('title', TITLE_RULE)],
  ['title 33 ASCII characters', { ...good, title: 'x'.repeat(33) }, invalid('title', TITLE_RULE)],
  ['title 16 Chinese + 1 ASCII', { ...good, title: '汉'.repeat(16) + 'x' }, invalid('title', TITLE_RULE)],
  [
    'title with a control character',
    { ...good, title: 'a\u0007b' },
    invalid('title', 'must not contain control characters'),
  ],
  ['amount missing', { ...good, amount: undefined }, missing('amount')],
  ['amount 0', { ...good, amount: 0 }, invalid('amount', AMOUNT_RULE)],
  ['amount negative', { ...good, amount: -1 }, invalid('amount', AMOUNT_RULE)],
  ['amount a float', { ...good, amount: 1.5 }, invalid('amount', AMOUNT_RULE)],
  ['amount yuan as a float', { ...good, amount: 0.01 }, invalid('amount', AMOUNT_RULE)],
  ['amount NaN', { ...good, amount: Number.NaN }, invalid('amount', AMOUNT_RULE)],
  ['amount Infinity', { ...good, amount: Number.POSITIVE_INFINITY }, invalid('amount', AMOUNT_RULE)],
  ['amount a decimal string', { ...good, amount: '1.00' }, invalid('amount', AMOUNT_RULE)],
  ['amount a string with a leading zero', { ...good, amount: '01' }, invalid('amount', AMOUNT_RULE)],
  ['amount words', { ...good, amount: 'one' }, invalid('amount', AMOUNT_RULE)],
  ['amount 2^31', { ...good, amount: 2 ** 31 }, invalid('amount', 'must be at most 2147483647 fen')],
  ['amount a boolean', { ...good, amount: true }, invalid('amount', AMOUNT_RULE)],
  ['sign missing', { ...good, sign: undefined }, missing('sign')],
  ['sign 31 hex', { ...good, sign: 'a'.repeat(31) }, invalid('sign', 'must be 32 hex characters')],
  ['sign not hex', { ...good, sign: 'z'.repeat(32) }, invalid('sign', 'must be 32 hex characters')],
  [
    'a v2 sign of 32 hex',
    { ...good, sign_type: 'HMAC-SHA256' },
    invalid('sign', 'must be 64 hex characters (sign_type HMAC-SHA256)'),
  ],
  [
    'an unknown sign_type',
    { ...good, sign_type: 'SHA1' },
    invalid('sign_type', 'must be "HMAC-SHA256" (v2) or "MD5" (legacy)'),
  ],
  [
    'return_url ftp',
    { ...good, return_url: 'ftp://shop.example/done' },
    invalid('return_url', 'must start with http:// or https://'),
  ],
  [
    'return_url as a list holding a URL',
    { ...good, return_url: ['https://shop.example/done'] },
    invalid('return_url', 'must start with http:// or https://'),
  ],
  [
    'return_url relative',
    { ...good, return_url: '/done' },
    invalid('return_url', 'must start with http:// or https://'),
  ],
  [
    'return_url javascript:',
    { ...good, return_url: 'javascript:alert(1)' },
    invalid('return_url', 'must start with http:// or https://'),
  ],
  [
    'return_url with a query',
    { ...good, return_url: 'https://shop.example/done?a=1' },
    invalid('return_url', 'must not carry a query string'),
  ],
  [
    'return_url with a fragment',
    { ...good, return_url: 'https://shop.example/done#x' },
    invalid('return_url', 'must not carry a query string'),
  ],
  ['debug a string', { ...good, debug: 'true' }, invalid('debug', 'must be a boolean')],
  ['optional an array', { ...good, optional: ['a'] }, invalid('optional', 'must be a flat object')],
  ['optional a string', { ...good, optional: 'a=1' }, invalid('optional', 'must be a flat object')],
  [
    'optional nested',
    { ...good, optional: { user: { id: 1 } } },
    invalid('optional.user', 'must be a string, number, boolean or null'),
  ],
  [
    'optional with a function',
    { ...good, optional: { f: () => 1 } },
    invalid('optional.f', 'must be a string, number, boolean or null'),
  ],
  [
    'instant_channel a number',
    { ...good, instant_channel: 1 },
    invalid('instant_channel', 'must be a channel code such as "ali"'),
  ],
  [
    'need_ali_guide "yes"',
    { ...good, need_ali_guide: 'yes' },
    invalid('need_ali_guide', 'must be true or false'),
  ],
  ['openid a number', { ...good, openid: 12 }, invalid('openid', 'must be a string')],
  ['use_app 1', { ...good, use_app: 1 }, invalid('use_app', 'must be true or false')],
  [
    'bill_timeout 0',
    { ...good, bill_timeout: 0 },
    invalid('bill_timeout', 'must be an integer number of seconds from 1 to 2592000'),
  ],
  [
    'bill_timeout a float',
    { ...good, bill_timeout: 1.5 },
    invalid('bill_timeout', 'must be an integer number of seconds from 1 to 2592000'),
  ],
  [
    'bill_timeout one past 30 days',
    { ...good, bill_timeout: 30 * 24 * 60 * 60 + 1 },
    invalid('bill_timeout', 'must be an integer number of seconds from 1 to 2592000'),
  ],
  ['locale fr', { ...good, locale: 'fr' }, invalid('locale', 'must be "zh-CN", "en" or "auto"')],
  ['amount as an array', { ...good, amount: [5] }, invalid('amount', AMOUNT_RULE)],
  ['sign as an array', { ...good, sign: [good.sign] }, invalid('sign', 'must be 32 hex characters')],
  [
    'a v2 sign as an array',
    { ...good, sign_type: 'HMAC-SHA256', sign: ['b6'.repeat(32)] },
    invalid('sign', 'must be 64 hex characters (sign_type HMAC-SHA256)'),
  ],
  [
    'return_url with a scheme in the middle',
    { ...good, return_url: 'xhttp://shop.example/r' },
    invalid('return_url', 'must start with http:// or https://'),
  ],
  [
    'optional with NaN',
    { ...good, optional: { a: Number.NaN } },
    invalid('optional.a', 'must be a string, number, boolean or null'),
  ],
];

/** [what, data, what the order must contain] */
const accepted: [string, unknown, Partial<Order>][] = [
  [
    'the minimum',
    good,
    { outTradeNo: 'bc1234567', title: '你的订单', amount: 1, debug: false, needAliGuide: true, useApp: true },
  ],
  ['out_trade_no 32 characters', { ...good, out_trade_no: 'A1'.repeat(16) }, { outTradeNo: 'A1'.repeat(16) }],
  ['title 16 Chinese characters', { ...good, title: '汉'.repeat(16) }, { title: '汉'.repeat(16) }],
  ['title 32 ASCII characters', { ...good, title: 'x'.repeat(32) }, { title: 'x'.repeat(32) }],
  ['amount as a string of digits', { ...good, amount: '100' }, { amount: 100 }],
  ['amount 2^31 - 1', { ...good, amount: 2 ** 31 - 1 }, { amount: 2 ** 31 - 1 }],
  [
    'upper-case sign',
    { ...good, sign: 'B6273D932B0AA801D9BD97220F1FB039' },
    { sign: 'B6273D932B0AA801D9BD97220F1FB039' },
  ],
  [
    'a v2 sign (64 hex, sign_type HMAC-SHA256)',
    { ...good, sign: 'c'.repeat(64), sign_type: 'HMAC-SHA256' },
    { sign: 'c'.repeat(64), signType: 'HMAC-SHA256' },
  ],
  ['sign_type MD5', { ...good, sign_type: 'MD5' }, { signType: 'MD5' }],
  [
    'return_url https',
    { ...good, return_url: 'https://shop.example/done' },
    { returnUrl: 'https://shop.example/done' },
  ],
  ['return_url empty (a template with no value)', { ...good, return_url: '' }, { returnUrl: undefined }],
  [
    'optional flat',
    { ...good, optional: { a: 'x', b: 1, c: true, d: null } },
    { optional: { a: 'x', b: 1, c: true, d: null } },
  ],
  ['need_ali_guide "false"', { ...good, need_ali_guide: 'false' }, { needAliGuide: false }],
  ['need_ali_guide false', { ...good, need_ali_guide: false }, { needAliGuide: false }],
  ['openid empty (the seed renders "" outside WeChat)', { ...good, openid: '' }, { openid: undefined }],
  ['instant_channel ali', { ...good, instant_channel: 'ali' }, { instantChannel: 'ali' }],
  ['debug true', { ...good, debug: true }, { debug: true }],
  ['locale en', { ...good, locale: 'en' }, { locale: 'en' }],
  ['need_ali_guide "true"', { ...good, need_ali_guide: 'true' }, { needAliGuide: true }],
  [
    'return_url http',
    { ...good, return_url: 'http://shop.example/r' },
    { returnUrl: 'http://shop.example/r' },
  ],
  ['return_url null', { ...good, return_url: null }, { returnUrl: undefined }],
  ['optional null', { ...good, optional: null }, { optional: undefined }],
  ['optional with an undefined entry', { ...good, optional: { a: undefined, b: 1 } }, { optional: { b: 1 } }],
  ['locale zh-CN', { ...good, locale: 'zh-CN' }, { locale: 'zh-CN' }],
  ['locale auto', { ...good, locale: 'auto' }, { locale: 'auto' }],
  [
    'an openid',
    { ...good, openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M' },
    { openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M' },
  ],
  ['bill_timeout 300', { ...good, bill_timeout: 300 }, { billTimeout: 300 }],
  ['bill_timeout 1', { ...good, bill_timeout: 1 }, { billTimeout: 1 }],
  ['bill_timeout 30 days', { ...good, bill_timeout: 2592000 }, { billTimeout: 2592000 }],
  ['unknown fields are ignored', { ...good, colour: 'red' }, { amount: 1 }],
];

describe('validateClickData', () => {
  it.each(bad)('refuses %s', (_what, data, error) => {
    expect(validateClickData(data)).toEqual({ ok: false, error });
  });

  it.each(accepted)('accepts %s', (_what, data, order) => {
    const checked = validateClickData(data);
    expect(checked.ok).toBe(true);
    if (checked.ok) expect(checked.value).toMatchObject(order);
  });

  it.each(
    bad.filter(([, data, error]) => typeof data === 'object' && data !== null && error.field !== 'data'),
  )('accepts %s once the named field is put right', (_what, data, error) => {
    const repaired: Record<string, unknown> = { ...(data as Record<string, unknown>) };
    const [field, key] = error.field.split('.') as [string, string | undefined];
    if (key !== undefined) {
      const { [key]: _wrong, ...rest } = repaired[field] as Record<string, unknown>;
      repaired[field] = rest;
    } else if (field === 'sign' && repaired.sign_type === 'HMAC-SHA256') repaired.sign = 'b6'.repeat(32);
    else if (field in good) repaired[field] = good[field as keyof typeof good];
    else delete repaired[field];
    expect(validateClickData(data).ok).toBe(false);
    expect(validateClickData(repaired)).toMatchObject({ ok: true });
  });

  it('reports the first field in the table order when several are wrong', () => {
    expect(validateClickData({ title: '', amount: 0 })).toEqual({
      ok: false,
      error: missing('out_trade_no'),
    });
  });
});

describe('titleWeight', () => {
  it('counts ASCII 1 and everything else 2', () => {
    expect(titleWeight('ab')).toBe(2);
    expect(titleWeight('订单')).toBe(4);
    expect(titleWeight('é')).toBe(2);
    expect(titleWeight('\x7f~')).toBe(2);
    expect(titleWeight('\x80')).toBe(2);
  });
});

describe('checkInstantChannel', () => {
  it('keeps the original text for an unknown code', () => {
    expect(checkInstantChannel('paypal', ['ali'], ['ali'])).toEqual({
      ok: false,
      error: {
        code: 'CHANNEL_INVALID',
        field: 'instant_channel',
        message: 'instant_channel: 不存在渠道[paypal]',
      },
    });
  });
  it('refuses a channel the app did not enable', () => {
    expect(checkInstantChannel('un', ['ali'], ['ali'])).toEqual({
      ok: false,
      error: {
        code: 'CHANNEL_INVALID',
        field: 'instant_channel',
        message: 'instant_channel: channel un is not enabled for this app',
      },
    });
  });
  it('refuses a channel this browser cannot use (wx outside WeChat)', () => {
    expect(checkInstantChannel('wx', ['ali', 'wxmp'], ['ali', 'wxmp', 'wx'])).toEqual({
      ok: false,
      error: {
        code: 'CHANNEL_INVALID',
        field: 'instant_channel',
        message: 'instant_channel: channel wx is not available in this browser',
      },
    });
  });
  it('accepts an enabled, available channel', () => {
    expect(checkInstantChannel('wxmp', ['ali', 'wxmp'], ['ali', 'wxmp'])).toEqual({
      ok: true,
      value: 'wxmp',
    });
  });
});

describe('checkChannelData', () => {
  const order = (validateClickData(good) as { value: Order }).value;
  it('asks for the openid before WeChat JSAPI', () => {
    expect(checkChannelData('wx', order)).toEqual(missing('openid'));
    expect(checkChannelData('wx', { ...order, openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M' })).toBeUndefined();
  });
  it('needs nothing more for the other channels', () => {
    expect(checkChannelData('ali', order)).toBeUndefined();
  });
});
