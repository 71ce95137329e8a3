/** Figures the dashboard derives from the API's days: totals per channel over 30 days, and chart series. */
import type { DayFigures } from '../../api/types.ts';

export interface ChannelTotal {
  channel: string;
  count: number;
  fee: number;
}

export function channelTotals(days: readonly DayFigures[]): ChannelTotal[] {
  const totals = new Map<string, ChannelTotal>();
  for (const day of days) {
    for (const [channel, figures] of Object.entries(day.channels)) {
      const total = totals.get(channel) ?? { channel, count: 0, fee: 0 };
      total.count += figures.count;
      total.fee += figures.fee;
      totals.set(channel, total);
    }
  }
  return [...totals.values()].sort((a, b) => b.fee - a.fee || a.channel.localeCompare(b.channel));
}

export function sum(days: readonly DayFigures[], pick: (day: DayFigures) => number): number {
  return days.reduce((total, day) => total + pick(day), 0);
}

export type ChartValue = 'count' | 'fee' | 'refunds' | 'successRate';

/**
 * The x axis (China midnight of each date, in seconds, as uPlot takes time) and the lines of a chart: one per
 * channel for paid counts and volume (yuan); refunded yuan; success rate in % (null on a day without bills).
 */
export function dailySeries(days: readonly DayFigures[], value: ChartValue) {
  const x = days.map((day) => Date.parse(`${day.date}T00:00:00+08:00`) / 1000);
  if (value === 'refunds') {
    return { x, series: [{ channel: 'refunds', values: days.map((day) => day.refundFee / 100) }] };
  }
  if (value === 'successRate') {
    return {
      x,
      series: [
        {
          channel: 'successRate',
          values: days.map((day) =>
            day.successRate === null ? null : Math.round(day.successRate * 1000) / 10,
          ),
        },
      ],
    };
  }
  const channels = channelTotals(days).map((total) => total.channel);
  const series = channels.map((channel) => ({
    channel,
    values: days.map((day): number | null => {
      const figures = day.channels[channel];
      if (!figures) return 0;
      return value === 'count' ? figures.count : figures.fee / 100;
    }),
  }));
  return { x, series };
}

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`;
}
