import { useI18n } from '../../i18n/i18n.tsx';
import { statusName } from './status-names.ts';

/** A status as a word (never colour alone). */
export function StatusBadge(props: { status: string }) {
  const { locale } = useI18n();
  return (
    <span class={`badge badge-${props.status}`} data-status={props.status}>
      {statusName(props.status, locale)}
    </span>
  );
}
