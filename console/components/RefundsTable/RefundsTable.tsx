/** Refunds as a table, optionally with a checkbox per pre-refund waiting for approval. */
import type { ConsoleRefund } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { DateTime } from '../DateTime/DateTime.tsx';
import { Money } from '../Money/Money.tsx';
import { StatusBadge } from '../StatusBadge/StatusBadge.tsx';
import { TableScroll } from '../TableScroll/TableScroll.tsx';

export function RefundsTable(props: {
  refunds: ConsoleRefund[];
  caption: string;
  selected?: Set<string>;
  onToggle?(id: string): void;
}) {
  const { t } = useI18n();
  const selectable = props.onToggle !== undefined;
  return (
    <TableScroll label={props.caption}>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {selectable && <th scope="col">{t('common.select')}</th>}
            <th scope="col">{t('refunds.refundNo')}</th>
            <th scope="col">{t('bills.billNo')}</th>
            <th scope="col">{t('bills.amount')}</th>
            <th scope="col">{t('refunds.result')}</th>
            <th scope="col">{t('bills.created')}</th>
          </tr>
        </thead>
        <tbody>
          {props.refunds.length === 0 && (
            <tr>
              <td colSpan={selectable ? 6 : 5}>{t('common.none')}</td>
            </tr>
          )}
          {props.refunds.map((refund) => (
            <tr key={refund.id} data-refund-no={refund.refundNo}>
              {selectable && (
                <td>
                  {refund.status === 'pending_approval' && (
                    <input
                      type="checkbox"
                      aria-label={`${t('common.select')} ${refund.refundNo}`}
                      checked={props.selected?.has(refund.id) ?? false}
                      onChange={() => props.onToggle?.(refund.id)}
                    />
                  )}
                </td>
              )}
              <td>{refund.refundNo}</td>
              <td>{refund.billNo}</td>
              <td>
                <Money fen={refund.refundFee} /> / <Money fen={refund.totalFee} />
              </td>
              <td>
                <StatusBadge status={refund.status} />
                {refund.denyReason ? ` (${refund.denyReason})` : ''}
              </td>
              <td>
                <DateTime at={refund.createTime} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
