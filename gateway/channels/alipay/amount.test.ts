import { describe, expect, it } from 'vitest';
import { fenToYuan, maxAlipayFen, yuanToFen } from './amount.ts';

describe('fen ↔ yuan', () => {
  it('formats fen as Alipay yuan strings with two decimals', () => {
    expect(fenToYuan(1)).toBe('0.01');
    expect(fenToYuan(10)).toBe('0.10');
    expect(fenToYuan(100)).toBe('1.00');
    expect(fenToYuan(8880)).toBe('88.80');
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(maxAlipayFen)).toBe('100000000.00');
    expect(fenToYuan(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
  });

  it('refuses fractional, negative and unsafe fen', () => {
    expect(() => fenToYuan(1.5)).toThrow(RangeError);
    expect(() => fenToYuan(-1)).toThrow(RangeError);
    expect(() => fenToYuan(2 ** 60)).toThrow(RangeError);
  });

  it('parses yuan strings exactly, without floating point', () => {
    expect(yuanToFen('0.01')).toBe(1);
    expect(yuanToFen('0.1')).toBe(10);
    expect(yuanToFen('0.10')).toBe(10);
    expect(yuanToFen('1')).toBe(100);
    expect(yuanToFen('88.80')).toBe(8880);
    // 0.29 * 100 is 28.999999999999996 in floating point.
    expect(yuanToFen('0.29')).toBe(29);
    expect(yuanToFen('1.13')).toBe(113);
    expect(yuanToFen('100000000.00')).toBe(maxAlipayFen);
    expect(yuanToFen('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('rejects malformed amounts', () => {
    for (const bad of [
      '',
      ' 1.00',
      '1.00 ',
      '-1.00',
      '+1',
      '1.',
      '.5',
      '1.234',
      '1e2',
      '01.00',
      '0x10',
      '1,00',
      '１.00',
      'NaN',
      '99999999999999999.00',
    ]) {
      expect(yuanToFen(bad), bad).toBeNull();
    }
  });

  it('round-trips every fen value in a sample', () => {
    for (const fen of [1, 9, 10, 11, 99, 100, 101, 12345, 99999, 100000000, maxAlipayFen]) {
      expect(yuanToFen(fenToYuan(fen))).toBe(fen);
    }
  });
});
