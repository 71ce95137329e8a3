/**
 * The dashboard of the current app: today's figures and the last 30 days' (the API's `today` and `last30Days`):
 * volume, payments, success rate and refunds, per channel (tables) and per day (charts), and webhooks that are
 * pending or failing.
 */
import { useState } from 'preact/hooks';
import type { ConsoleApp, Mode, PeriodFigures } from '../../api/types.ts';
import { useConsole } from '../../app/console-context.tsx';
import { Money } from '../../components/Money/Money.tsx';
import { LoadProblem } from '../../components/Notice/LoadProblem.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router/Link.tsx';
import { DailyChart } from './DailyChart.tsx';
import { channelTotals, percent, type ChannelTotal } from './dashboard-figures.ts';
import { TableScroll } from '../../components/TableScroll/TableScroll.tsx';
import { channelName } from '../../i18n/names.ts';

/** A China date (yyyy-mm-dd) written the operator's way. */
function chinaDate(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'Asia/Shanghai' }).format(
    Date.parse(`${date}T00:00:00+08:00`),
  );
}

export function Dashboard(props: { app: ConsoleApp }) {
  const { t, locale } = useI18n();
  const { api } = useConsole();
  const [mode, setMode] = useState<Mode>(props.app.mode);
  const loaded = useLoad(() => api.dashboard(props.app.appId, mode), [props.app.appId, mode]);
  const data = loaded.data;
  return (
    <>
      <h1>{t('dashboard.title')}</h1>
      <label>
        {t('apps.mode')}{' '}
        <select value={mode} onChange={(event) => setMode(event.currentTarget.value as Mode)}>
          <option value="test">{t('common.test')}</option>
          <option value="live">{t('common.live')}</option>
        </select>
      </label>
      <LoadProblem loaded={loaded} />
      {data && (
        <>
          <section aria-labelledby="today">
            <h2 id="today">
              {t('dashboard.today')} <span class="muted">{chinaDate(data.today.date, locale)}</span>
            </h2>
            <Figures figures={data.today} prefix="" />
            <ChannelTable totals={channelTotals([data.today])} caption={t('dashboard.todayChart')} />
          </section>
          <section aria-labelledby="webhooks-glance">
            <h2 id="webhooks-glance">{t('dashboard.webhooks')}</h2>
            <dl class="figures">
              <div>
                <dt>{t('dashboard.pendingWebhooks')}</dt>
                <dd data-figure="pendingWebhooks">{data.webhooks.pending}</dd>
              </div>
              <div>
                <dt>{t('dashboard.failingWebhooks')}</dt>
                <dd data-figure="failingWebhooks">{data.webhooks.failing}</dd>
              </div>
            </dl>
            <p>
              <Link href="/console/webhooks">{t('nav.webhooks')} →</Link>
            </p>
          </section>
          <section aria-labelledby="last30">
            <h2 id="last30">{t('dashboard.last30')}</h2>
            <Figures figures={data.last30Days} prefix="last30" />
            <div class="charts">
              <figure>
                <figcaption>{t('dashboard.dailyVolume')}</figcaption>
                <DailyChart days={data.days} value="fee" label={t('dashboard.dailyVolume')} />
              </figure>
              <figure>
                <figcaption>{t('dashboard.dailyCount')}</figcaption>
                <DailyChart days={data.days} value="count" label={t('dashboard.dailyCount')} />
              </figure>
              <figure>
                <figcaption>{t('dashboard.dailySuccessRate')}</figcaption>
                <DailyChart days={data.days} value="successRate" label={t('dashboard.dailySuccessRate')} />
              </figure>
              <figure>
                <figcaption>{t('dashboard.dailyRefunds')}</figcaption>
                <DailyChart days={data.days} value="refunds" label={t('dashboard.dailyRefunds')} />
              </figure>
            </div>
            <ChannelTable totals={channelTotals(data.days)} caption={t('dashboard.perChannel')} />
          </section>
        </>
      )}
    </>
  );
}

/** Volume, payments (of bills), success rate and refunds of a period; `data-figure` names them for tests. */
function Figures(props: { figures: PeriodFigures; prefix: string }) {
  const { t } = useI18n();
  const { figures } = props;
  const name = (figure: string) =>
    props.prefix ? `${props.prefix}${figure[0]!.toUpperCase()}${figure.slice(1)}` : figure;
  return (
    <dl class="figures">
      <div>
        <dt>{t('dashboard.volume')}</dt>
        <dd data-figure={name('paidFee')}>
          <Money fen={figures.paidFee} />
        </dd>
      </div>
      <div>
        <dt>{t('dashboard.count')}</dt>
        <dd data-figure={name('paidCount')}>{figures.paidCount}</dd>
      </div>
      <div>
        <dt>{t('dashboard.successRate')}</dt>
        <dd data-figure={name('successRate')}>
          {percent(figures.successRate)}{' '}
          <span class="muted">
            {t('dashboard.paidOf', { paid: figures.paidCount, bills: figures.billCount })}
          </span>
        </dd>
      </div>
      <div>
        <dt>{t('dashboard.refunds')}</dt>
        <dd data-figure={name('refunds')}>
          {figures.refundCount} · <Money fen={figures.refundFee} />
        </dd>
      </div>
    </dl>
  );
}

/** Payments and volume per channel, biggest first. */
function ChannelTable(props: { totals: ChannelTotal[]; caption: string }) {
  const { t } = useI18n();
  return (
    <TableScroll label={props.caption}>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dashboard.channel')}</th>
            <th scope="col">{t('dashboard.count')}</th>
            <th scope="col">{t('dashboard.volume')}</th>
          </tr>
        </thead>
        <tbody>
          {props.totals.length === 0 && (
            <tr>
              <td colSpan={3}>{t('common.none')}</td>
            </tr>
          )}
          {props.totals.map((total) => (
            <tr key={total.channel} data-channel={total.channel}>
              <th scope="row">{channelName(t, total.channel)}</th>
              <td>{total.count}</td>
              <td>
                <Money fen={total.fee} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
