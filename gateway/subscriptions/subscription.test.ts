/** The calendar of periods (China time, months clamped to their last day, no drift) and exact fee × amount. */
import { describe, expect, it } from 'vitest';
import { chargeFee, firstChargeAt, intervalCountAllowed, periodStart } from './subscription.ts';

const CHINA = 8 * 3_600_000;
const china = (ms: number) => new Date(ms + CHINA).toISOString().slice(0, 16);
const at = (iso: string) => Date.parse(`${iso}Z`) - CHINA;

describe('periodStart', () => {
  it('keeps the anchor day each month, clamped to short months, without drifting', () => {
    const anchor = at('2026-01-31T09:30');
    expect([0, 1, 2, 3, 13].map((i) => china(periodStart(anchor, 'month', 1, i)))).toEqual([
      '2026-01-31T09:30',
      '2026-02-28T09:30',
      '2026-03-31T09:30',
      '2026-04-30T09:30',
      '2027-02-28T09:30',
    ]);
  });
  it('counts quarters, years, weeks and days', () => {
    const anchor = at('2028-02-29T00:00');
    expect(china(periodStart(anchor, 'month', 3, 1))).toBe('2028-05-29T00:00');
    expect(china(periodStart(anchor, 'year', 1, 1))).toBe('2029-02-28T00:00');
    expect(china(periodStart(anchor, 'week', 2, 1))).toBe('2028-03-14T00:00');
    expect(china(periodStart(anchor, 'day', 1, 2))).toBe('2028-03-02T00:00');
  });
  it('starts after the trial, or at trial_end when given', () => {
    expect(firstChargeAt(1000, 3, null)).toBe(1000 + 3 * 86_400_000);
    expect(firstChargeAt(1000, 3, 5000)).toBe(5000);
  });
  it('limits a period to one year', () => {
    expect(intervalCountAllowed('month', 12)).toBe(true);
    expect(intervalCountAllowed('month', 13)).toBe(false);
    expect(intervalCountAllowed('week', 53)).toBe(false);
    expect(intervalCountAllowed('year', 2)).toBe(false);
    expect(intervalCountAllowed('day', 0)).toBe(false);
  });
});

describe('chargeFee', () => {
  it('multiplies exactly and rounds half a fen up', () => {
    expect(chargeFee(1500, '1')).toBe(1500);
    expect(chargeFee(1500, '2.5')).toBe(3750);
    expect(chargeFee(999, '0.5')).toBe(500);
    expect(chargeFee(3, '0.1')).toBe(0);
    expect(chargeFee(10, '0.1')).toBe(1);
    expect(chargeFee(100_000_000_00, '3.3333')).toBe(33_333_000_000);
    expect(() => chargeFee(1, '1e3')).toThrow();
  });
});
