import { describe, expect, it } from 'vitest';
import { firstDeliveryDelayMs, lastRetryExponent, retryDelayMs } from './retry-schedule.ts';

describe('the webhook retry schedule', () => {
  it('sends the first attempt at once, then retries after 1, 2, 4 … 2^17 s, then gives up', () => {
    expect(firstDeliveryDelayMs()).toBe(0);
    const delays: number[] = [];
    for (let failed = 1; retryDelayMs(failed, 1) !== null; failed += 1) delays.push(retryDelayMs(failed, 1)!);
    expect(delays).toHaveLength(lastRetryExponent + 1);
    expect(delays[0]).toBe(1000);
    expect(delays[1]).toBe(2000);
    expect(delays[3]).toBe(8000);
    expect(delays.at(-1)).toBe(2 ** 17 * 1000);
    const totalHours = delays.reduce((a, b) => a + b, 0) / 3_600_000;
    expect(totalHours).toBeGreaterThan(72);
    expect(retryDelayMs(0, 1)).toBeNull();
    expect(retryDelayMs(19, 1)).toBeNull();
  });

  it('scales every retry delay by the retry scale', () => {
    expect(retryDelayMs(1, 0.001)).toBe(1);
    expect(retryDelayMs(4, 0.001)).toBe(8);
    expect(retryDelayMs(18, 0.5)).toBe(2 ** 16 * 1000);
  });
});
