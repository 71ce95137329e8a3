import { useI18n } from '../../i18n/i18n.tsx';

/** A time (ms since the epoch) in the operator's locale and time zone; "—" when there is none. */
export function DateTime(props: { at: number | null | undefined }) {
  const { locale } = useI18n();
  if (props.at === null || props.at === undefined) return <span>—</span>;
  const date = new Date(props.at);
  return (
    <time dateTime={date.toISOString()}>
      {date.toLocaleString(locale, { dateStyle: 'short', timeStyle: 'medium' })}
    </time>
  );
}
