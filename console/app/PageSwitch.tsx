/** The page for a route; pages that need an app say so when there is none yet. */
import { Notice } from '../components/Notice/Notice.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { Link } from '../router/Link.tsx';
import type { Route } from '../router/routes.ts';
import { Apps } from '../pages/Apps/Apps.tsx';
import { Audit } from '../pages/Audit/Audit.tsx';
import { Bill } from '../pages/Bill/Bill.tsx';
import { Bills } from '../pages/Bills/Bills.tsx';
import { ButtonPage } from '../pages/Button/ButtonPage.tsx';
import { Credentials } from '../pages/Credentials/Credentials.tsx';
import { Dashboard } from '../pages/Dashboard/Dashboard.tsx';
import { NotFound } from '../pages/NotFound/NotFound.tsx';
import { Refunds } from '../pages/Refunds/Refunds.tsx';
import { Webhooks } from '../pages/Webhooks/Webhooks.tsx';
import { useConsole } from './console-context.tsx';

export function PageSwitch(props: { route: Route }) {
  const { route } = props;
  const { t } = useI18n();
  const { app } = useConsole();
  if (route.page === 'apps') return <Apps />;
  if (route.page === 'audit') return <Audit />;
  if (route.page === 'not-found') return <NotFound />;
  if (!app) {
    return (
      <>
        <h1>{t('app.title')}</h1>
        <Notice kind="info">
          <Link href="/console/apps">{t('common.noApp')}</Link>
        </Notice>
      </>
    );
  }
  switch (route.page) {
    case 'dashboard':
      return <Dashboard app={app} />;
    case 'button':
      return <ButtonPage app={app} />;
    case 'credentials':
      return <Credentials app={app} />;
    case 'bills':
      return <Bills app={app} />;
    case 'bill':
      return <Bill app={app} billId={route.billId} />;
    case 'refunds':
      return <Refunds app={app} />;
    case 'webhooks':
      return <Webhooks app={app} />;
  }
}
