/** Bills of the current app: filters, a keyset-paged table, links to each bill and a CSV export of the filter. */
import { useState } from 'preact/hooks';
import type { BillFilters as Filters } from '../../api/console-api.ts';
import type { ConsoleApp } from '../../api/types.ts';
import { useConsole } from '../../app/console-context.tsx';
import { DateTime } from '../../components/DateTime/DateTime.tsx';
import { Money } from '../../components/Money/Money.tsx';
import { LoadProblem } from '../../components/Notice/LoadProblem.tsx';
import { Pager } from '../../components/Pager/Pager.tsx';
import { useCursorPages } from '../../components/Pager/use-cursor-pages.ts';
import { StatusBadge } from '../../components/StatusBadge/StatusBadge.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router/Link.tsx';
import { routePath } from '../../router/routes.ts';
import { BillFilters } from './BillFilters.tsx';
import { TableScroll } from '../../components/TableScroll/TableScroll.tsx';
import { channelName } from '../../i18n/names.ts';

export const billsPageSize = 20;

export function Bills(props: { app: ConsoleApp }) {
  const { t } = useI18n();
  const { api } = useConsole();
  const [filters, setFilters] = useState<Filters>({ mode: props.app.mode });
  const pages = useCursorPages();
  const loaded = useLoad(
    () => api.bills(props.app.appId, { ...filters, limit: billsPageSize, cursor: pages.cursor }),
    [props.app.appId, filters, pages.cursor],
  );
  return (
    <>
      <h1>{t('bills.title')}</h1>
      <BillFilters
        mode={props.app.mode}
        onApply={(next) => {
          pages.reset();
          setFilters(next);
        }}
      />
      <p>
        <a href={api.billsCsvUrl(props.app.appId, filters)} download>
          {t('bills.export')}
        </a>
      </p>
      <LoadProblem loaded={loaded} />
      {loaded.data && (
        <TableScroll label={t('bills.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('bills.billNo')}</th>
                <th scope="col">{t('bills.title_')}</th>
                <th scope="col">{t('bills.channel')}</th>
                <th scope="col">{t('bills.amount')}</th>
                <th scope="col">{t('bills.status')}</th>
                <th scope="col">{t('bills.created')}</th>
              </tr>
            </thead>
            <tbody>
              {loaded.data.bills.length === 0 && (
                <tr>
                  <td colSpan={6}>{t('common.none')}</td>
                </tr>
              )}
              {loaded.data.bills.map((bill) => (
                <tr key={bill.id} data-bill-no={bill.billNo}>
                  <td>
                    <Link href={routePath({ page: 'bill', billId: bill.id })}>{bill.billNo}</Link>
                  </td>
                  <td>{bill.title}</td>
                  <td>{channelName(t, bill.subChannel || bill.channel)}</td>
                  <td>
                    <Money fen={bill.totalFee} />
                  </td>
                  <td>
                    <StatusBadge status={bill.status} />
                  </td>
                  <td>
                    <DateTime at={bill.createTime} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Pager pages={pages} nextCursor={loaded.data?.nextCursor} label={t('bills.title')} />
    </>
  );
}
