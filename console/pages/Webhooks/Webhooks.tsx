/**
 * Webhook deliveries of the current app with every attempt; "failing only" filter; resend one, or the selected
 * ones; the receiver's health per mode.
 */
import { useState } from 'preact/hooks';
import type { ConsoleApp } from '../../api/types.ts';
import { useConsole } from '../../app/console-context.tsx';
import { DeliveryList } from '../../components/Deliveries/DeliveryList.tsx';
import { bulkFailures, bulkSucceeded } from '../../components/Notice/bulk-summary.ts';
import { LoadProblem } from '../../components/Notice/LoadProblem.tsx';
import { Notice } from '../../components/Notice/Notice.tsx';
import { Pager } from '../../components/Pager/Pager.tsx';
import { useCursorPages } from '../../components/Pager/use-cursor-pages.ts';
import { useLoad } from '../../hooks/use-load.ts';
import { useSelection } from '../../hooks/use-selection.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ReceiverHealth } from './ReceiverHealth.tsx';
import { errorText } from '../../i18n/names.ts';

export function Webhooks(props: { app: ConsoleApp }) {
  const { t } = useI18n();
  const { api } = useConsole();
  const appId = props.app.appId;
  const [failingOnly, setFailingOnly] = useState(false);
  const pages = useCursorPages();
  const deliveries = useLoad(
    () => api.webhooks(appId, { failing: failingOnly || undefined, limit: 20, cursor: pages.cursor }),
    [appId, failingOnly, pages.cursor],
  );
  const health = useLoad(() => api.webhookHealth(appId), [appId]);
  const { selected, toggle, clear } = useSelection();
  const [outcome, setOutcome] = useState<{ kind: 'success' | 'error'; text: string }>();

  const resend = async (ids: string[]) => {
    setOutcome(undefined);
    try {
      const answer = await api.resendWebhooks(appId, ids);
      const failures = bulkFailures(answer.results);
      const text = t('webhooks.resent', { count: bulkSucceeded(answer.results) });
      setOutcome(
        failures.length
          ? { kind: 'error', text: `${text} ${failures.join('; ')}` }
          : { kind: 'success', text },
      );
      clear();
      deliveries.reload();
      health.reload();
    } catch (caught) {
      setOutcome({ kind: 'error', text: errorText(t, caught) });
    }
  };

  return (
    <>
      <h1>{t('webhooks.title')}</h1>
      <section aria-labelledby="receiver-health">
        <h2 id="receiver-health">{t('webhooks.health')}</h2>
        <LoadProblem loaded={health} />
        {health.data && <ReceiverHealth test={health.data.test} live={health.data.live} />}
      </section>
      <section aria-labelledby="deliveries">
        <h2 id="deliveries">{t('bill.webhooks')}</h2>
        <div class="actions">
          <label class="check">
            <input
              type="checkbox"
              checked={failingOnly}
              onChange={(event) => {
                pages.reset();
                setFailingOnly(event.currentTarget.checked);
              }}
            />
            {t('webhooks.failingOnly')}
          </label>
          <button type="button" disabled={selected.size === 0} onClick={() => void resend([...selected])}>
            {t('webhooks.resendSelected')}
          </button>
        </div>
        {outcome && <Notice kind={outcome.kind}>{outcome.text}</Notice>}
        <LoadProblem loaded={deliveries} />
        {deliveries.data && (
          <DeliveryList
            deliveries={deliveries.data.deliveries}
            selected={selected}
            onToggle={toggle}
            onResend={(id) => void resend([id])}
          />
        )}
        <Pager pages={pages} nextCursor={deliveries.data?.nextCursor} label={t('bill.webhooks')} />
      </section>
    </>
  );
}
