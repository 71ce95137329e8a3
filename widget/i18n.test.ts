import { describe, expect, it } from 'vitest';
import { channelLabel, messagesFor, resolveLocale } from './i18n.ts';
import { formatFen } from './money.ts';
import { returnUrlWithResult } from './return-url.ts';

describe('resolveLocale', () => {
  it("follows locale: 'en' or 'zh-CN' whatever the page and the browser", () => {
    expect(resolveLocale('en', 'zh-CN', ['zh-CN'])).toBe('en');
    expect(resolveLocale('zh-CN', 'en', ['en-US'])).toBe('zh-CN');
  });
  it("follows the page's declared language first (a Chinese shop keeps its Chinese menu)", () => {
    expect(resolveLocale(undefined, 'zh-CN', ['en-US'])).toBe('zh-CN');
    expect(resolveLocale('auto', 'en-GB', ['zh-CN'])).toBe('en');
  });
  it('follows an English browser on a page that declares no language', () => {
    expect(resolveLocale(undefined, '', ['en-US', 'zh-CN'])).toBe('en');
    expect(resolveLocale(undefined, '', ['zh-TW', 'en'])).toBe('zh-CN');
    expect(resolveLocale(undefined, '', ['fr-FR'])).toBe('zh-CN');
    expect(resolveLocale(undefined, '', [])).toBe('zh-CN');
  });
});

describe('texts', () => {
  it("has the original's menu labels", () => {
    const zh = messagesFor('zh-CN');
    expect(['ali', 'wxmp', 'wx', 'un', 'unwap', 'jd'].map((code) => channelLabel(zh, code as never))).toEqual(
      ['支付宝支付', '微信支付', '微信支付', '银联支付', '银联支付', '京东支付'],
    );
    expect(zh.total('0.01')).toBe('合计：¥0.01');
  });
  it('has English labels', () => {
    const en = messagesFor('en');
    expect(channelLabel(en, 'ali')).toBe('Alipay');
    expect(en.confirm).toBe('Confirm');
  });
});

describe('formatFen', () => {
  it.each([
    [1, '0.01'],
    [10, '0.10'],
    [100, '1.00'],
    [123456, '1234.56'],
    [2 ** 31 - 1, '21474836.47'],
  ])('%i fen → ¥%s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });
});

describe('returnUrlWithResult', () => {
  it("appends BeeCloud's result parameters", () => {
    const url = returnUrlWithResult('https://shop.example/done', {
      id: 'b1',
      bill_no: 'bc1234567',
      title: '你的订单',
      total_fee: 1,
      channel: 'WX',
      sub_channel: 'WX_NATIVE',
      spay_result: true,
      status: 'paid',
      create_time: 1700000000000,
      trade_no: 'wx123',
    });
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe('https://shop.example/done');
    expect(Object.fromEntries(parsed.searchParams)).toEqual({
      bill_no: 'bc1234567',
      channel: 'WX',
      create_time: '1700000000000',
      spay_result: 'true',
      sub_channel: 'WX_NATIVE',
      title: '你的订单',
      total_fee: '1',
      trade_no: 'wx123',
    });
  });
});
