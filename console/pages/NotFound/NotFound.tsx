import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router/Link.tsx';

export function NotFound() {
  const { t } = useI18n();
  return (
    <>
      <h1>404</h1>
      <p>
        <Link href="/console/">{t('nav.dashboard')}</Link>
      </p>
    </>
  );
}
