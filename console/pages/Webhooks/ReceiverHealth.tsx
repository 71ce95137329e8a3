/** The webhook receiver's health over the last 24 h, for test and live mode. */
import type { ReceiverHealth as Health } from '../../api/types.ts';
import { DateTime } from '../../components/DateTime/DateTime.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { TableScroll } from '../../components/TableScroll/TableScroll.tsx';

export function ReceiverHealth(props: { test: Health; live: Health }) {
  const { t } = useI18n();
  const rows: [string, (health: Health) => preact.ComponentChildren][] = [
    ['URL', (health) => <code>{health.url || '—'}</code>],
    [t('dashboard.pendingWebhooks'), (health) => health.pending],
    [t('dashboard.failingWebhooks'), (health) => health.failing],
    [t('webhooks.delivered24h'), (health) => health.delivered24h],
    [t('webhooks.failed24h'), (health) => health.failed24h],
    [t('webhooks.lastDelivered'), (health) => <DateTime at={health.lastDeliveredAt} />],
    [t('webhooks.lastFailed'), (health) => <DateTime at={health.lastFailedAt} />],
    [
      t('webhooks.medianLatency'),
      (health) => (health.medianLatencyMs === null ? '—' : `${health.medianLatencyMs} ms`),
    ],
  ];
  return (
    <TableScroll label={t('webhooks.health')}>
      <table>
        <caption>{t('webhooks.health')}</caption>
        <thead>
          <tr>
            <td></td>
            <th scope="col">{t('common.test')}</th>
            <th scope="col">{t('common.live')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, cell]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{cell(props.test)}</td>
              <td>{cell(props.live)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
