/**
 * A daily line chart over the last 30 days (today is its last point), drawn by uPlot — loaded only here (a
 * separate chunk) when the dashboard opens. Lines are named and dates written in the operator's language. The
 * chart is a picture for sighted operators; the same figures are in the tables beside it.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { DayFigures } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { channelName } from '../../i18n/names.ts';
import { dailySeries, type ChartValue } from './dashboard-figures.ts';

const palette = ['#1677ff', '#07c160', '#d4380d', '#722ed1', '#fa8c16', '#13c2c2', '#eb2f96', '#595959'];

export function DailyChart(props: { days: DayFigures[]; value: ChartValue; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const { t, locale } = useI18n();
  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    let cancelled = false;
    const element = host.current;
    if (!element) return;
    delete element.dataset.ready;
    void Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([module]) => {
      if (cancelled) return;
      const UPlot = module.default;
      const { x, series } = dailySeries(props.days, props.value);
      const width = Math.max(260, Math.min(720, element.clientWidth || 600));
      const day = new Intl.DateTimeFormat(locale, {
        month: 'numeric',
        day: 'numeric',
        timeZone: 'Asia/Shanghai',
      });
      const lineName = (name: string) =>
        name === 'refunds'
          ? t('dashboard.refunds')
          : name === 'successRate'
            ? t('dashboard.successRate')
            : channelName(t, name);
      chart = new UPlot(
        {
          width,
          height: 220,
          series: [
            { value: (_chart: unknown, at: number | null) => (at === null ? '—' : day.format(at * 1000)) },
            ...series.map((line, index) => ({
              label: lineName(line.channel),
              stroke: palette[index % palette.length],
              width: 2,
              // A rate exists only on days with bills: those days are dots, joined where they follow each other.
              ...(props.value === 'successRate' ? { points: { show: true, size: 6 } } : {}),
            })),
          ],
          scales: props.value === 'successRate' ? { y: { range: [0, 100] as [number, number] } } : {},
          axes: [
            { values: (_chart: unknown, splits: number[]) => splits.map((at) => day.format(at * 1000)) },
            { size: 56 },
          ],
          legend: { live: false },
        },
        [x, ...series.map((line) => line.values)],
        element,
      );
      element.dataset.ready = 'true';
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [props.days, props.value, locale]);
  return <div class="chart" ref={host} role="img" aria-label={props.label} data-chart={props.value} />;
}
