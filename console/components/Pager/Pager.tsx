import { useI18n } from '../../i18n/i18n.tsx';
import type { CursorPages } from './use-cursor-pages.ts';

/** Previous / next over a keyset-paged list. */
export function Pager(props: { pages: CursorPages; nextCursor: string | null | undefined; label: string }) {
  const { t } = useI18n();
  const { pages, nextCursor } = props;
  return (
    <nav class="pager" aria-label={props.label}>
      <button type="button" disabled={pages.pageNumber <= 1} onClick={() => pages.previous()}>
        {t('common.previous')}
      </button>
      <span aria-current="page">{t('common.page', { page: pages.pageNumber })}</span>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)}>
        {t('common.next')}
      </button>
    </nav>
  );
}
