/** Every attempt of one webhook delivery: time, HTTP status, latency and the receiver's answer (excerpt). */
import type { DeliveryAttempt } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { DateTime } from '../DateTime/DateTime.tsx';

export function DeliveryAttempts(props: { attempts: DeliveryAttempt[]; caption: string }) {
  const { t } = useI18n();
  if (props.attempts.length === 0) return <p>{t('common.none')}</p>;
  return (
    <table class="attempts">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('webhooks.time')}</th>
          <th scope="col">{t('webhooks.httpStatus')}</th>
          <th scope="col">{t('webhooks.latency')}</th>
          <th scope="col">{t('webhooks.answer')}</th>
        </tr>
      </thead>
      <tbody>
        {props.attempts.map((attempt, index) => (
          <tr key={index}>
            <td>
              <DateTime at={attempt.at} />
            </td>
            <td>{attempt.httpStatus ?? '—'}</td>
            <td>{attempt.latencyMs === null ? '—' : `${attempt.latencyMs} ms`}</td>
            <td>
              <code class="excerpt">{attempt.error ?? attempt.excerpt ?? ''}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
