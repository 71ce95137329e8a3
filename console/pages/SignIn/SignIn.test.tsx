import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../api/client.ts';
import { consoleApi } from '../../api/console-api.ts';
import { I18nProvider } from '../../i18n/i18n.tsx';
import { SignIn } from './SignIn.tsx';

function renderSignIn(status: number, body: unknown) {
  const signedIn: string[] = [];
  const api = consoleApi(
    new ApiClient({ fetch: async () => new Response(JSON.stringify(body), { status }) }),
  );
  render(
    <I18nProvider initial="en">
      <SignIn api={api} onSignedIn={(session) => signedIn.push(session.operator.name)} />
    </I18nProvider>,
  );
  fireEvent.input(screen.getByLabelText('Username'), { target: { value: 'alice' } });
  fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'pw' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  return signedIn;
}

afterEach(cleanup);

describe('SignIn', () => {
  it('signs in', async () => {
    const signedIn = renderSignIn(200, {
      operator: { name: 'alice' },
      csrfToken: 't',
      idleExpiresAt: 0,
      expiresAt: 0,
    });
    await waitFor(() => expect(signedIn).toEqual(['alice']));
  });
  it('says the name or password is wrong without saying which', async () => {
    renderSignIn(401, { error: { code: 'unauthenticated', message: 'wrong name or password' } });
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('Wrong username or password.'));
  });
  it('says how long to wait when throttled', async () => {
    renderSignIn(429, { error: { code: 'throttled', message: 'too many', retryAfterMs: 61_000 } });
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('try again in 61 s'));
  });
});
