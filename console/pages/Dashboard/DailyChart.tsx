/**
 * A daily line chart per channel, drawn by uPlot — loaded only here (a separate chunk) when the dashboard opens.
 * The chart is a picture for sighted operators; the same figures are in the table beside it.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { DayFigures } from '../../api/types.ts';
import { dailySeries } from './dashboard-figures.ts';

const palette = ['#1677ff', '#07c160', '#d4380d', '#722ed1', '#fa8c16', '#13c2c2', '#eb2f96', '#595959'];

export function DailyChart(props: { days: DayFigures[]; value: 'count' | 'fee'; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    let cancelled = false;
    const element = host.current;
    if (!element) return;
    void Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([module]) => {
      if (cancelled) return;
      const UPlot = module.default;
      const { x, series } = dailySeries(props.days, props.value);
      const width = Math.max(280, Math.min(720, element.clientWidth || 600));
      chart = new UPlot(
        {
          width,
          height: 220,
          series: [
            {},
            ...series.map((line, index) => ({
              label: line.channel,
              stroke: palette[index % palette.length],
              width: 2,
            })),
          ],
          axes: [{}, { size: 56 }],
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
  }, [props.days, props.value]);
  return <div class="chart" ref={host} role="img" aria-label={props.label} data-chart={props.value} />;
}
