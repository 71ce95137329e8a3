/** The sign-in form: name and password; wrong credentials and throttling are said at the form. */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client.ts';
import type { ConsoleApi } from '../../api/console-api.ts';
import type { Session } from '../../api/types.ts';
import { Field } from '../../components/Field/Field.tsx';
import { Notice } from '../../components/Notice/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { errorText } from '../../i18n/names.ts';

export function SignIn(props: { api: ConsoleApi; notice?: string; onSignedIn(session: Session): void }) {
  const { t, locale, setLocale } = useI18n();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<{ message: string; field?: string }>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await props.api.signIn(name, password);
      props.onSignedIn(session);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'throttled') {
        setError({
          message: t('signIn.throttled', { seconds: Math.ceil((caught.retryAfterMs ?? 0) / 1000) }),
        });
      } else if (caught instanceof ApiError && caught.code === 'unauthenticated') {
        setError({ message: t('signIn.failed') });
      } else if (caught instanceof ApiError && caught.field) {
        setError({
          message: errorText(t, caught, { atField: caught.field === 'name' || caught.field === 'password' }),
          field: caught.field,
        });
      } else {
        setError({ message: errorText(t, caught) });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="content" class="sign-in">
      <div class="sign-in-top">
        <p class="brand">{t('app.title')}</p>
        <button
          type="button"
          lang={locale === 'en' ? 'zh-CN' : 'en'}
          aria-label={t('lang.switchLabel')}
          onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}
        >
          {t('lang.switch')}
        </button>
      </div>
      <h1>{t('signIn.title')}</h1>
      {props.notice && <Notice kind="info">{props.notice}</Notice>}
      <form onSubmit={submit} noValidate>
        <Field
          id="sign-in-name"
          label={t('signIn.username')}
          error={error?.field === 'name' ? error.message : undefined}
        >
          {(control) => (
            <input
              {...control}
              name="name"
              autoComplete="username"
              required
              value={name}
              onInput={(event) => setName(event.currentTarget.value)}
            />
          )}
        </Field>
        <Field
          id="sign-in-password"
          label={t('signIn.password')}
          error={error?.field === 'password' ? error.message : undefined}
        >
          {(control) => (
            <input
              {...control}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onInput={(event) => setPassword(event.currentTarget.value)}
            />
          )}
        </Field>
        {error && error.field !== 'name' && error.field !== 'password' && (
          <Notice kind="error">{error.message}</Notice>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
