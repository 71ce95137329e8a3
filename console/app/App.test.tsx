import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../api/client.ts';
import { consoleApi } from '../api/console-api.ts';
import { I18nProvider } from '../i18n/i18n.tsx';
import { App } from './App.tsx';

afterEach(cleanup);

/** A console over a server whose answers are given per "METHOD path". */
function renderApp(answers: Record<string, { status: number; body?: unknown }>) {
  const calls: string[] = [];
  const api = consoleApi(
    new ApiClient({
      fetch: async (url, init = {}) => {
        const key = `${init.method ?? 'GET'} ${url.split('?')[0]}`;
        calls.push(key);
        const answer = answers[key] ?? { status: 404, body: { error: { code: 'not_found', message: key } } };
        return new Response(answer.status === 204 ? null : JSON.stringify(answer.body), {
          status: answer.status,
        });
      },
    }),
  );
  history.replaceState(null, '', '/console/audit');
  render(
    <I18nProvider initial="en">
      <App api={api} />
    </I18nProvider>,
  );
  return calls;
}

const session = { operator: { name: 'alice' }, csrfToken: 'tok', idleExpiresAt: 0, expiresAt: 0 };

describe('App', () => {
  it('shows the sign-in form without a session', async () => {
    renderApp({
      'GET /console/api/session': {
        status: 401,
        body: { error: { code: 'unauthenticated', message: 'no' } },
      },
    });
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('shows the page of the path to a signed-in operator, and the sign-in form after signing out', async () => {
    const calls = renderApp({
      'GET /console/api/session': { status: 200, body: session },
      'GET /console/api/apps': { status: 200, body: { apps: [] } },
      'GET /console/api/audit': {
        status: 200,
        body: {
          entries: [
            { id: 'e1', at: 0, operator: 'alice', appId: null, action: 'session.signin', detail: null },
          ],
          nextCursor: null,
        },
      },
      'DELETE /console/api/session': { status: 204 },
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Audit log' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText('session.signin')).toBeInTheDocument());
    expect(screen.getByRole('link', { name: 'Audit log' })).toHaveAttribute('aria-current', 'page');
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(calls).toContain('DELETE /console/api/session');
  });
});
