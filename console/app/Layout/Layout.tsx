/**
 * The frame around every signed-in page: a skip link, the header (app picker, language, sign-out) and the
 * navigation (a disclosure menu on phones), then the page as <main>.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { MessageKey } from '../../i18n/en.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router/Link.tsx';
import { routePath, type Route } from '../../router/routes.ts';
import { useConsole } from '../console-context.tsx';

const sections: { page: Exclude<Route['page'], 'bill' | 'not-found'>; label: MessageKey }[] = [
  { page: 'dashboard', label: 'nav.dashboard' },
  { page: 'apps', label: 'nav.apps' },
  { page: 'button', label: 'nav.button' },
  { page: 'credentials', label: 'nav.credentials' },
  { page: 'bills', label: 'nav.bills' },
  { page: 'refunds', label: 'nav.refunds' },
  { page: 'webhooks', label: 'nav.webhooks' },
  { page: 'audit', label: 'nav.audit' },
];

export function Layout(props: { route: Route; children: ComponentChildren }) {
  const { t, locale, setLocale } = useI18n();
  const { apps, app, selectApp, signOut, session } = useConsole();
  const [menuOpen, setMenuOpen] = useState(false);
  const current = props.route.page === 'bill' ? 'bills' : props.route.page;
  const billId = props.route.page === 'bill' ? props.route.billId : '';
  // A page chosen on a phone closes the menu.
  useEffect(() => setMenuOpen(false), [props.route.page, billId]);
  return (
    <div class="console">
      <a class="skip-link" href="#content">
        {t('app.skip')}
      </a>
      <header class="console-header">
        <p class="brand">{t('app.title')}</p>
        {apps.length > 0 && (
          <label class="app-picker">
            <span>{t('nav.app')}</span>
            <select value={app?.appId} onChange={(event) => selectApp(event.currentTarget.value)}>
              {apps.map((candidate) => (
                <option key={candidate.appId} value={candidate.appId}>
                  {candidate.name} ({candidate.mode === 'live' ? t('common.live') : t('common.test')})
                </option>
              ))}
            </select>
          </label>
        )}
        <button
          type="button"
          lang={locale === 'en' ? 'zh-CN' : 'en'}
          aria-label={t('lang.switchLabel')}
          onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}
        >
          {t('lang.switch')}
        </button>
        <span class="operator">{session.operator.name}</span>
        <button type="button" onClick={() => void signOut()}>
          {t('nav.signOut')}
        </button>
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={menuOpen ? 'true' : 'false'}
          aria-controls="console-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {t('nav.menu')}
        </button>
      </header>
      <nav id="console-nav" class={menuOpen ? 'console-nav open' : 'console-nav'} aria-label={t('nav.label')}>
        <ul>
          {sections.map((section) => (
            <li key={section.page}>
              <Link
                href={routePath({ page: section.page })}
                aria-current={current === section.page ? 'page' : undefined}
              >
                {t(section.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="content" tabIndex={-1}>
        {props.children}
      </main>
    </div>
  );
}
