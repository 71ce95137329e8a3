import { describe, expect, it } from 'vitest';
import type { DayFigures } from '../../api/types.ts';
import { channelTotals, dailySeries, percent, sum } from './dashboard-figures.ts';

const day = (date: string, channels: DayFigures['channels']): DayFigures => ({
  date,
  channels,
  paidCount: Object.values(channels).reduce((total, figures) => total + figures.count, 0),
  paidFee: Object.values(channels).reduce((total, figures) => total + figures.fee, 0),
  billCount: 0,
  successRate: null,
  refundCount: 0,
  refundFee: 0,
});

const days = [
  day('2026-12-01', { ALI_WEB: { count: 2, fee: 200 } }),
  day('2026-12-02', { ALI_WEB: { count: 1, fee: 1 }, WX_NATIVE: { count: 3, fee: 900 } }),
];

describe('dashboard figures', () => {
  it('totals each channel over the days, biggest volume first', () => {
    expect(channelTotals(days)).toEqual([
      { channel: 'WX_NATIVE', count: 3, fee: 900 },
      { channel: 'ALI_WEB', count: 3, fee: 201 },
    ]);
    expect(sum(days, (figures) => figures.paidFee)).toBe(1101);
  });
  it('gives one series per channel over China dates, volume in yuan', () => {
    const { x, series } = dailySeries(days, 'fee');
    expect(x).toEqual([Date.parse('2026-11-30T16:00:00Z') / 1000, Date.parse('2026-12-01T16:00:00Z') / 1000]);
    expect(series).toEqual([
      { channel: 'WX_NATIVE', values: [0, 9] },
      { channel: 'ALI_WEB', values: [2, 0.01] },
    ]);
  });
  it('gives the refunded yuan and the success rate in % per day (none on a day without bills)', () => {
    const withRefunds = [
      { ...days[0]!, billCount: 4, successRate: 0.5, refundCount: 1, refundFee: 150 },
      days[1]!,
    ];
    expect(dailySeries(withRefunds, 'refunds').series).toEqual([{ channel: 'refunds', values: [1.5, 0] }]);
    expect(dailySeries(withRefunds, 'successRate').series).toEqual([
      { channel: 'successRate', values: [50, null] },
    ]);
  });
  it('shows a rate as a percentage', () => {
    expect(percent(0.6)).toBe('60%');
    expect(percent(2 / 3)).toBe('66.7%');
    expect(percent(null)).toBe('—');
  });
});
