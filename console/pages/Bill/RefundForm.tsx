/**
 * Refund a paid bill, fully or in part, now or as a pre-refund waiting for approval. The amount is typed in yuan
 * and sent as integer fen; the server's refusal is shown at the field it names.
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client.ts';
import type { ConsoleBill, ConsoleRefund } from '../../api/types.ts';
import { useConsole } from '../../app/console-context.tsx';
import { Field } from '../../components/Field/Field.tsx';
import { fenToYuan, yuanToFen } from '../../components/Money/money.ts';
import { Notice } from '../../components/Notice/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { errorText } from '../../i18n/names.ts';

export function RefundForm(props: {
  appId: string;
  bill: ConsoleBill;
  onRefunded(refund: ConsoleRefund): void;
}) {
  const { t, locale } = useI18n();
  const { api } = useConsole();
  const refundable = props.bill.totalFee - props.bill.refundedFee;
  const [amount, setAmount] = useState(fenToYuan(refundable));
  const [reason, setReason] = useState('');
  const [needApproval, setNeedApproval] = useState(false);
  const [error, setError] = useState<{ field?: string; message: string }>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (props.bill.status !== 'paid') return <p>{t('bill.notRefundable')}</p>;
  if (refundable <= 0) {
    return (
      <>
        {done && <Notice kind="success">{done}</Notice>}
        <p>{t('bill.fullyRefunded')}</p>
      </>
    );
  }

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setDone(undefined);
    const refundFee = yuanToFen(amount);
    if (refundFee === undefined) {
      setError({
        field: 'refundFee',
        message: t('bill.amountInvalid'),
      });
      return;
    }
    setBusy(true);
    try {
      const answer = await api.refund(props.appId, props.bill.id, {
        refundFee,
        reason: reason.trim() || undefined,
        needApproval: needApproval || undefined,
      });
      setDone(t('bill.refundDone', { refundNo: answer.refund.refundNo }));
      props.onRefunded(answer.refund);
    } catch (caught) {
      setError({
        field: caught instanceof ApiError ? caught.field : undefined,
        message: errorText(t, caught, {
          atField: caught instanceof ApiError && ['refundFee', 'reason'].includes(caught.field ?? ''),
        }),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="refund-form" onSubmit={submit} noValidate aria-labelledby="refund-heading">
      <h2 id="refund-heading">{t('bill.refund')}</h2>
      <p>{t('bill.refundable', { amount: `¥${fenToYuan(refundable)}` })}</p>
      <Field
        id="refund-fee"
        label={t('bill.refundAmount')}
        error={error?.field === 'refundFee' ? error.message : undefined}
      >
        {(control) => (
          <input
            {...control}
            inputMode="decimal"
            value={amount}
            onInput={(event) => setAmount(event.currentTarget.value)}
          />
        )}
      </Field>
      <Field
        id="refund-reason"
        label={t('bill.refundReason')}
        error={error?.field === 'reason' ? error.message : undefined}
      >
        {(control) => (
          <input
            {...control}
            value={reason}
            maxLength={200}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
        )}
      </Field>
      <label class="check">
        <input
          type="checkbox"
          checked={needApproval}
          onChange={(event) => setNeedApproval(event.currentTarget.checked)}
        />
        {t('refunds.preRefunds')}
      </label>
      {error && error.field !== 'refundFee' && error.field !== 'reason' && (
        <Notice kind="error">{error.message}</Notice>
      )}
      {done && <Notice kind="success">{done}</Notice>}
      <button type="submit" class="primary" disabled={busy}>
        {t('bill.refund')}
      </button>
    </form>
  );
}
