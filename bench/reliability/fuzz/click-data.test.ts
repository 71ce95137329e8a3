import { describe, expect, it } from 'vitest';
import { validateClickData } from '../../../widget/validate.ts';
import { demoApp } from '../../lib/demo-app.ts';
import { brokenOrderRule, mutatedClickData } from './click-data.ts';
import { seededRandom } from './random.ts';

const valid = {
  out_trade_no: 'ORDER20260001',
  title: '测试商品',
  amount: 100,
  sign: 'a'.repeat(32),
};

describe('the BC.click oracle (reference §2, written apart from the widget)', () => {
  it('accepts a valid order, with or without the optional fields', () => {
    expect(brokenOrderRule(valid)).toBeNull();
    expect(
      brokenOrderRule({ ...valid, return_url: 'https://shop.example/paid', optional: { a: 1, b: 'x' } }),
    ).toBeNull();
  });

  it.each([
    ['out_trade_no', { out_trade_no: 'short' }],
    ['out_trade_no', { out_trade_no: 'has-dash-1234' }],
    ['title', { title: ' ' }],
    ['title', { title: '一二三四五六七八九十一二三四五六七' }],
    ['amount', { amount: 0 }],
    ['amount', { amount: 1.5 }],
    ['amount', { amount: 2 ** 31 }],
    ['sign', { sign: 'g'.repeat(32) }],
    ['return_url', { return_url: 'javascript:alert(1)' }],
    ['return_url', { return_url: 'https://shop.example/paid?x=1' }],
    ['optional', { optional: { nested: { a: 1 } } }],
    ['optional', { optional: [1] }],
  ])('names %s as the broken rule', (rule, change) => {
    expect(brokenOrderRule({ ...valid, ...change })).toBe(rule);
  });

  it('counts a CJK character as two: 16 pass, 17 do not', () => {
    expect(brokenOrderRule({ ...valid, title: '一'.repeat(16) })).toBeNull();
    expect(brokenOrderRule({ ...valid, title: '一'.repeat(17) })).toBe('title');
  });
});

describe('mutated click data', () => {
  it('makes the same mutations from the same seed (order numbers stay fresh) and mixes accepted and refused data', () => {
    const app = demoApp();
    const first = seededRandom(42);
    const second = seededRandom(42);
    const a = Array.from({ length: 200 }, () => mutatedClickData(app, first));
    const b = Array.from({ length: 200 }, () => mutatedClickData(app, second));
    // Order numbers (and so signs) are new at every call; the shape of each mutation is the seed's.
    const shape = (data: unknown) =>
      data !== null && typeof data === 'object'
        ? Object.entries(data)
            .map(([key, value]) => `${key}:${Array.isArray(value) ? 'array' : typeof value}`)
            .sort()
            .join(',')
        : String(data);
    expect(a.map(shape)).toEqual(b.map(shape));
    const accepted = a.filter((data) => validateClickData(data).ok).length;
    expect(accepted).toBeGreaterThan(20);
    expect(accepted).toBeLessThan(180);
  });
});
