import { describe, expect, it } from 'vitest';
import { median, percentile, summarize } from './stats.ts';

describe('median and percentiles of benchmark samples', () => {
  it('takes the middle of an odd count and the mean of the two middles of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('uses nearest rank for p99, so one slow sample in a hundred is the p99', () => {
    const samples = Array.from({ length: 100 }, (_, index) => (index === 99 ? 1000 : 10));
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile([...samples, 2000], 99)).toBe(1000);
    expect(percentile([7], 99)).toBe(7);
  });

  it('reports no figure for no samples instead of a made-up zero', () => {
    expect(median([])).toBeNaN();
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarizes with one decimal and does not reorder the caller’s samples', () => {
    const samples = [3.14159, 1, 2];
    expect(summarize(samples)).toEqual({ samples: 3, median: 2, p99: 3.1, min: 1, max: 3.1 });
    expect(samples).toEqual([3.14159, 1, 2]);
  });
});
