import { useI18n } from '../../i18n/i18n.tsx';
import { statusName } from '../../i18n/names.ts';

/** A status as a word (never colour alone), in the operator's language. */
export function StatusBadge(props: { status: string }) {
  const { t } = useI18n();
  return (
    <span class={`badge badge-${props.status}`} data-status={props.status}>
      {statusName(t, props.status)}
    </span>
  );
}
