import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { format, preferredLocale } from './locale.ts';
import { zhCN } from './zh-CN.ts';

describe('preferredLocale', () => {
  it('keeps the operator’s saved choice', () => {
    expect(preferredLocale('zh-CN', ['en-US'])).toBe('zh-CN');
    expect(preferredLocale('en', ['zh-CN'])).toBe('en');
  });
  it('follows the browser’s first Chinese or English language', () => {
    expect(preferredLocale(null, ['fr', 'zh-TW', 'en'])).toBe('zh-CN');
    expect(preferredLocale(null, ['en-GB', 'zh-CN'])).toBe('en');
    expect(preferredLocale('xx', ['de'])).toBe('en');
  });
});

describe('format', () => {
  it('fills named parameters and leaves unknown ones visible', () => {
    expect(format('Page {page} of {pages}', { page: 2 })).toBe('Page 2 of {pages}');
  });
});

describe('messages', () => {
  it('zh-CN translates every English text and names the same parameters', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const names = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
      expect(names(zhCN[key]), key).toEqual(names(en[key]));
    }
  });
});
