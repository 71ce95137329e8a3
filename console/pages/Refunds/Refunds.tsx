/**
 * Refunds of the current app: pre-refunds waiting for approval (approve or deny the selected ones in bulk), then
 * every refund, paged.
 */
import { useState } from 'preact/hooks';
import type { ConsoleApp } from '../../api/types.ts';
import { useConsole } from '../../app/console-context.tsx';
import { bulkFailures, bulkSucceeded } from '../../components/Notice/bulk-summary.ts';
import { LoadProblem } from '../../components/Notice/LoadProblem.tsx';
import { Notice } from '../../components/Notice/Notice.tsx';
import { Pager } from '../../components/Pager/Pager.tsx';
import { useCursorPages } from '../../components/Pager/use-cursor-pages.ts';
import { RefundsTable } from '../../components/RefundsTable/RefundsTable.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { useSelection } from '../../hooks/use-selection.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { errorText } from '../../i18n/names.ts';

export function Refunds(props: { app: ConsoleApp }) {
  const { t } = useI18n();
  const { api } = useConsole();
  const appId = props.app.appId;
  const pending = useLoad(() => api.refunds(appId, { status: 'pending_approval', limit: 100 }), [appId]);
  const pages = useCursorPages();
  const all = useLoad(() => api.refunds(appId, { limit: 20, cursor: pages.cursor }), [appId, pages.cursor]);
  const { selected, toggle, clear, setAll } = useSelection();
  const [denyReason, setDenyReason] = useState('');
  const [outcome, setOutcome] = useState<{ kind: 'success' | 'error'; text: string }>();

  const decide = async (agree: boolean) => {
    setOutcome(undefined);
    try {
      const answer = await api.decideRefunds(
        appId,
        [...selected],
        agree,
        agree ? undefined : denyReason || undefined,
      );
      const failures = bulkFailures(answer.results);
      setOutcome(
        failures.length
          ? {
              kind: 'error',
              text: `${t('refunds.decided', { count: bulkSucceeded(answer.results) })} ${failures.join('; ')}`,
            }
          : { kind: 'success', text: t('refunds.decided', { count: bulkSucceeded(answer.results) }) },
      );
      clear();
      pending.reload();
      all.reload();
    } catch (caught) {
      setOutcome({ kind: 'error', text: errorText(t, caught) });
    }
  };

  const pendingRefunds = pending.data?.refunds ?? [];
  return (
    <>
      <h1>{t('refunds.title')}</h1>
      <section aria-labelledby="pre-refunds">
        <h2 id="pre-refunds">{t('refunds.preRefunds')}</h2>
        <LoadProblem loaded={pending} />
        {pendingRefunds.length > 0 && (
          <label class="check">
            <input
              type="checkbox"
              checked={selected.size === pendingRefunds.length}
              onChange={(event) =>
                event.currentTarget.checked ? setAll(pendingRefunds.map((refund) => refund.id)) : clear()
              }
            />
            {t('common.selectAll')}
          </label>
        )}
        <RefundsTable
          refunds={pendingRefunds}
          caption={t('refunds.preRefunds')}
          selected={selected}
          onToggle={toggle}
        />
        <div class="actions">
          <button
            type="button"
            class="primary"
            disabled={selected.size === 0}
            onClick={() => void decide(true)}
          >
            {t('refunds.approve')}
          </button>
          <label>
            {t('bill.refundReason')}
            <input
              value={denyReason}
              maxLength={200}
              onInput={(event) => setDenyReason(event.currentTarget.value)}
            />
          </label>
          <button type="button" disabled={selected.size === 0} onClick={() => void decide(false)}>
            {t('refunds.deny')}
          </button>
        </div>
        {outcome && <Notice kind={outcome.kind}>{outcome.text}</Notice>}
      </section>
      <section aria-labelledby="all-refunds">
        <h2 id="all-refunds">{t('refunds.all')}</h2>
        <LoadProblem loaded={all} />
        <RefundsTable refunds={all.data?.refunds ?? []} caption={t('refunds.all')} />
        <Pager pages={pages} nextCursor={all.data?.nextCursor} label={t('refunds.all')} />
      </section>
    </>
  );
}
