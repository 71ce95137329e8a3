/**
 * The dashboard of the current app: today's figures, the last 30 days per channel (charts and a table), and
 * webhooks that are pending or failing.
 */
import { useState } from 'preact/hooks';
import type { ConsoleApp, Mode } from '../../api/types.ts';
import { useConsole } from '../../app/console-context.tsx';
import { Money } from '../../components/Money/Money.tsx';
import { LoadProblem } from '../../components/Notice/LoadProblem.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router/Link.tsx';
import { DailyChart } from './DailyChart.tsx';
import { channelTotals, percent, sum } from './dashboard-figures.ts';
import { TableScroll } from '../../components/TableScroll/TableScroll.tsx';

export function Dashboard(props: { app: ConsoleApp }) {
  const { t } = useI18n();
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
            <h2 id="today">{t('dashboard.today')}</h2>
            <dl class="figures">
              <div>
                <dt>{t('dashboard.volume')}</dt>
                <dd data-figure="paidFee">
                  <Money fen={data.today.paidFee} />
                </dd>
              </div>
              <div>
                <dt>{t('dashboard.count')}</dt>
                <dd data-figure="paidCount">{data.today.paidCount}</dd>
              </div>
              <div>
                <dt>{t('dashboard.successRate')}</dt>
                <dd data-figure="successRate">{percent(data.today.successRate)}</dd>
              </div>
              <div>
                <dt>{t('dashboard.refunds')}</dt>
                <dd data-figure="refunds">
                  {data.today.refundCount} · <Money fen={data.today.refundFee} />
                </dd>
              </div>
            </dl>
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
            <dl class="figures">
              <div>
                <dt>{t('dashboard.volume')}</dt>
                <dd>
                  <Money fen={sum(data.days, (day) => day.paidFee)} />
                </dd>
              </div>
              <div>
                <dt>{t('dashboard.count')}</dt>
                <dd>{sum(data.days, (day) => day.paidCount)}</dd>
              </div>
              <div>
                <dt>{t('dashboard.successRate')}</dt>
                <dd>
                  {percent(
                    sum(data.days, (day) => day.billCount) === 0
                      ? null
                      : sum(data.days, (day) => day.paidCount) / sum(data.days, (day) => day.billCount),
                  )}
                </dd>
              </div>
              <div>
                <dt>{t('dashboard.refunds')}</dt>
                <dd>
                  {sum(data.days, (day) => day.refundCount)} ·{' '}
                  <Money fen={sum(data.days, (day) => day.refundFee)} />
                </dd>
              </div>
            </dl>
            <div class="charts">
              <figure>
                <figcaption>{t('dashboard.dailyVolume')}</figcaption>
                <DailyChart days={data.days} value="fee" label={t('dashboard.dailyVolume')} />
              </figure>
              <figure>
                <figcaption>{t('dashboard.dailyCount')}</figcaption>
                <DailyChart days={data.days} value="count" label={t('dashboard.dailyCount')} />
              </figure>
            </div>
            <TableScroll label={t('dashboard.perChannel')}>
              <table>
                <caption>{t('dashboard.perChannel')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('dashboard.channel')}</th>
                    <th scope="col">{t('dashboard.count')}</th>
                    <th scope="col">{t('dashboard.volume')}</th>
                  </tr>
                </thead>
                <tbody>
                  {channelTotals(data.days).length === 0 && (
                    <tr>
                      <td colSpan={3}>{t('common.none')}</td>
                    </tr>
                  )}
                  {channelTotals(data.days).map((total) => (
                    <tr key={total.channel}>
                      <th scope="row">{total.channel}</th>
                      <td>{total.count}</td>
                      <td>
                        <Money fen={total.fee} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </section>
        </>
      )}
    </>
  );
}
