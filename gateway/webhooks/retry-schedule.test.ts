import { describe, expect, it } from 'vitest';
import { firstDeliveryDelayMs, lastRetryExponent, retryDelayMs } from './retry-schedule.ts';

describe('the webhook retry schedule', () => {
  it('is BeeCloud’s: about 1 s, then 2, 4, 8 … 2^17 s, then given up', () => {
    expect(firstDeliveryDelayMs(1)).toBe(1000);
    const delays: number[] = [];
    for (let failed = 1; retryDelayMs(failed, 1) !== null; failed += 1) delays.push(retryDelayMs(failed, 1)!);
    expect(delays).toHaveLength(lastRetryExponent);
    expect(delays[0]).toBe(2000);
    expect(delays[2]).toBe(8000);
    expect(delays.at(-1)).toBe(2 ** 17 * 1000);
    const totalHours = (firstDeliveryDelayMs(1) + delays.reduce((a, b) => a + b, 0)) / 3_600_000;
    expect(totalHours).toBeGreaterThan(72);
    expect(retryDelayMs(18, 1)).toBeNull();
    // Nothing has failed yet: there is no retry to schedule (the first delivery has its own delay).
    expect(retryDelayMs(0, 1)).toBeNull();
  });

  it('scales every delay by the retry scale', () => {
    expect(firstDeliveryDelayMs(0.001)).toBe(1);
    expect(retryDelayMs(3, 0.001)).toBe(8);
    expect(retryDelayMs(17, 0.5)).toBe(2 ** 16 * 1000);
  });
});
