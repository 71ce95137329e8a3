/** One bill: its summary, every channel attempt of the order, its refunds and webhook deliveries, and a refund form. */
import type { ConsoleApp } from '../../api/types.ts';
import { useConsole } from '../../app/console-context.tsx';
import { DateTime } from '../../components/DateTime/DateTime.tsx';
import { DeliveryList } from '../../components/Deliveries/DeliveryList.tsx';
import { Money } from '../../components/Money/Money.tsx';
import { LoadProblem } from '../../components/Notice/LoadProblem.tsx';
import { RefundsTable } from '../../components/RefundsTable/RefundsTable.tsx';
import { StatusBadge } from '../../components/StatusBadge/StatusBadge.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router/Link.tsx';
import { routePath } from '../../router/routes.ts';
import { RefundForm } from './RefundForm.tsx';
import { TableScroll } from '../../components/TableScroll/TableScroll.tsx';
import { channelName } from '../../i18n/names.ts';

export function Bill(props: { app: ConsoleApp; billId: string }) {
  const { t } = useI18n();
  const { api } = useConsole();
  const loaded = useLoad(() => api.bill(props.app.appId, props.billId), [props.app.appId, props.billId]);
  const data = loaded.data;
  return (
    <>
      <p>
        <Link href={routePath({ page: 'bills' })}>← {t('bill.back')}</Link>
      </p>
      <h1>{t('bill.title', { billNo: data?.bill.billNo ?? '' })}</h1>
      <LoadProblem loaded={loaded} />
      {data && (
        <>
          <section aria-labelledby="bill-summary">
            <h2 id="bill-summary">{t('bill.summary')}</h2>
            <dl class="summary">
              <dt>{t('bills.title_')}</dt>
              <dd>{data.bill.title}</dd>
              <dt>{t('bills.amount')}</dt>
              <dd>
                <Money fen={data.bill.totalFee} />
              </dd>
              <dt>{t('bills.status')}</dt>
              <dd>
                <StatusBadge status={data.bill.status} />
              </dd>
              <dt>{t('bills.channel')}</dt>
              <dd>{channelName(t, data.bill.subChannel || data.bill.channel)}</dd>
              <dt>{t('bill.tradeNo')}</dt>
              <dd data-field="tradeNo">{data.bill.tradeNo ?? '—'}</dd>
              <dt>{t('apps.mode')}</dt>
              <dd>{data.bill.mode === 'live' ? t('common.live') : t('common.test')}</dd>
              <dt>{t('bills.created')}</dt>
              <dd>
                <DateTime at={data.bill.createTime} />
              </dd>
              <dt>{t('bills.status.paid')}</dt>
              <dd>
                <DateTime at={data.bill.paidTime} />
              </dd>
              <dt>{t('bills.status.refunded')}</dt>
              <dd>
                <Money fen={data.bill.refundedFee} />
              </dd>
            </dl>
          </section>
          <section aria-labelledby="bill-attempts">
            <h2 id="bill-attempts">{t('bill.attempts')}</h2>
            <TableScroll label={t('bill.attempts')}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('bills.channel')}</th>
                    <th scope="col">{t('bill.tradeNo')}</th>
                    <th scope="col">{t('bills.status')}</th>
                    <th scope="col">{t('bills.created')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.attempts.map((attempt) => (
                    <tr key={attempt.id}>
                      <td>{channelName(t, attempt.subChannel || attempt.channel)}</td>
                      <td>{attempt.tradeNo ?? '—'}</td>
                      <td>
                        <StatusBadge status={attempt.status} />
                      </td>
                      <td>
                        <DateTime at={attempt.createTime} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </section>
          <section aria-labelledby="bill-refunds">
            <h2 id="bill-refunds">{t('bill.refunds')}</h2>
            <RefundsTable refunds={data.refunds} caption={t('bill.refunds')} />
          </section>
          <RefundForm appId={props.app.appId} bill={data.bill} onRefunded={() => loaded.reload()} />
          <section aria-labelledby="bill-webhooks">
            <h2 id="bill-webhooks">{t('bill.webhooks')}</h2>
            <DeliveryList deliveries={data.webhooks} />
          </section>
        </>
      )}
    </>
  );
}
