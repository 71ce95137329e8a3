/** The webhook receiver's health over the last 24 h, for test and live mode. */
import type { ReceiverHealth as Health } from '../../api/types.ts';
import { DateTime } from '../../components/DateTime/DateTime.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { TableScroll } from '../../components/TableScroll/TableScroll.tsx';

export function ReceiverHealth(props: { test: Health; live: Health }) {
  const { t, locale } = useI18n();
  const zh = locale === 'zh-CN';
  const rows: [string, (health: Health) => preact.ComponentChildren][] = [
    ['URL', (health) => <code>{health.url || '—'}</code>],
    [t('dashboard.pendingWebhooks'), (health) => health.pending],
    [t('dashboard.failingWebhooks'), (health) => health.failing],
    [zh ? '24 小时内送达' : 'Delivered in 24 h', (health) => health.delivered24h],
    [zh ? '24 小时内失败' : 'Failed in 24 h', (health) => health.failed24h],
    [zh ? '最近送达' : 'Last delivered', (health) => <DateTime at={health.lastDeliveredAt} />],
    [zh ? '最近失败' : 'Last failed', (health) => <DateTime at={health.lastFailedAt} />],
    [
      zh ? '耗时中位数' : 'Median latency',
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
