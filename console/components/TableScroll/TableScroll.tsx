/**
 * A table that scrolls sideways on narrow screens: focusable (so keyboard users can scroll it) and named
 * "Table: …" so the region never repeats the name of the section around it.
 */
import type { ComponentChildren } from 'preact';
import { useI18n } from '../../i18n/i18n.tsx';

export function TableScroll(props: { label: string; children: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <div
      class="table-scroll"
      tabIndex={0}
      role="region"
      aria-label={t('common.tableOf', { name: props.label })}
    >
      {props.children}
    </div>
  );
}
