/**
 * The console: asks the server who is signed in, shows the sign-in form or the pages, and returns to the form
 * (saying why) when the session ends.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient } from '../api/client.ts';
import { consoleApi, type ConsoleApi } from '../api/console-api.ts';
import type { Session } from '../api/types.ts';
import { Notice } from '../components/Notice/Notice.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useLocationPath } from '../router/navigation.ts';
import { parseRoute } from '../router/routes.ts';
import { SignIn } from '../pages/SignIn/SignIn.tsx';
import { ConsoleProvider } from './console-context.tsx';
import { Layout } from './Layout/Layout.tsx';
import { PageSwitch } from './PageSwitch.tsx';

type SessionState =
  { kind: 'checking' } | { kind: 'signed-out'; expired?: boolean } | { kind: 'signed-in'; session: Session };

export function App(props: { api?: ConsoleApi }) {
  const { t } = useI18n();
  const [state, setState] = useState<SessionState>({ kind: 'checking' });
  const api = useMemo(
    () =>
      props.api ??
      consoleApi(new ApiClient({ onUnauthenticated: () => setState({ kind: 'signed-out', expired: true }) })),
    [props.api],
  );
  const path = useLocationPath();
  const route = parseRoute(path);

  useEffect(() => {
    api.session().then(
      (session) => {
        api.client.setCsrfToken(session.csrfToken);
        setState({ kind: 'signed-in', session });
      },
      () => setState({ kind: 'signed-out' }),
    );
  }, [api]);

  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  if (state.kind === 'checking') {
    return (
      <main id="content">
        <Notice kind="info">{t('common.loading')}</Notice>
      </main>
    );
  }
  if (state.kind === 'signed-out') {
    return (
      <SignIn
        api={api}
        notice={state.expired ? t('common.sessionExpired') : undefined}
        onSignedIn={(session) => {
          api.client.setCsrfToken(session.csrfToken);
          setState({ kind: 'signed-in', session });
        }}
      />
    );
  }
  return (
    <ConsoleProvider api={api} session={state.session} onSignedOut={() => setState({ kind: 'signed-out' })}>
      <Layout route={route}>
        <PageSwitch route={route} />
      </Layout>
    </ConsoleProvider>
  );
}
