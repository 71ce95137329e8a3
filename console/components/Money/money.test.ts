import { describe, expect, it } from 'vitest';
import { fenToYuan, yuanToFen } from './money.ts';

describe('money', () => {
  it('shows fen as yuan with two decimals', () => {
    expect(fenToYuan(1)).toBe('0.01');
    expect(fenToYuan(100)).toBe('1.00');
    expect(fenToYuan(123456)).toBe('1234.56');
    expect(fenToYuan(-5)).toBe('-0.05');
  });
  it('reads yuan text exactly into fen', () => {
    expect(yuanToFen('0.01')).toBe(1);
    expect(yuanToFen('3')).toBe(300);
    expect(yuanToFen('3.5')).toBe(350);
    expect(yuanToFen(' 19.99 ')).toBe(1999);
    expect(yuanToFen('0')).toBeUndefined();
    expect(yuanToFen('1.234')).toBeUndefined();
    expect(yuanToFen('-1')).toBeUndefined();
    expect(yuanToFen('1e3')).toBeUndefined();
  });
});
