/** What a page says while it loads, or why it could not. */
import type { Loaded } from '../../hooks/use-load.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Notice } from './Notice.tsx';
import { errorText } from '../../i18n/names.ts';

export function LoadProblem(props: { loaded: Loaded<unknown> }) {
  const { t } = useI18n();
  if (props.loaded.error) {
    return <Notice kind="error">{errorText(t, props.loaded.error)}</Notice>;
  }
  if (props.loaded.loading && props.loaded.data === undefined) {
    return <Notice kind="info">{t('common.loading')}</Notice>;
  }
  return null;
}
