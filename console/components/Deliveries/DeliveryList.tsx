/**
 * Webhook deliveries, each with its attempts, optionally selectable for a bulk resend and with a resend button.
 */
import type { ConsoleDelivery } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { DateTime } from '../DateTime/DateTime.tsx';
import { StatusBadge } from '../StatusBadge/StatusBadge.tsx';
import { DeliveryAttempts } from './DeliveryAttempts.tsx';

export function DeliveryList(props: {
  deliveries: ConsoleDelivery[];
  selected?: Set<string>;
  onToggle?(id: string): void;
  onResend?(id: string): void;
}) {
  const { t } = useI18n();
  if (props.deliveries.length === 0) return <p>{t('common.none')}</p>;
  return (
    <ul class="deliveries">
      {props.deliveries.map((delivery) => {
        const heading = `${delivery.type} · ${delivery.transactionId}`;
        return (
          <li key={delivery.id} class="delivery" data-delivery-id={delivery.id} data-status={delivery.status}>
            <div class="delivery-head">
              {props.onToggle && (
                <input
                  type="checkbox"
                  aria-label={`${t('common.select')} ${heading}`}
                  checked={props.selected?.has(delivery.id) ?? false}
                  onChange={() => props.onToggle?.(delivery.id)}
                />
              )}
              <h3>{heading}</h3>
              <StatusBadge status={delivery.status} />
              <span>
                {t('webhooks.attempts')}: {delivery.attemptCount}
              </span>
              <DateTime at={delivery.createdAt} />
              {props.onResend && (
                <button type="button" onClick={() => props.onResend?.(delivery.id)}>
                  {t('webhooks.resend')}
                  <span class="visually-hidden"> {heading}</span>
                </button>
              )}
            </div>
            <p class="target">
              <code>{delivery.targetUrl}</code>
            </p>
            <DeliveryAttempts
              attempts={delivery.attempts}
              caption={`${t('webhooks.attempts')}: ${heading}`}
            />
          </li>
        );
      })}
    </ul>
  );
}
