/**
 * The merchant's apps: create one (its secrets shown once), pick the one to work on, edit its settings and rotate
 * its secrets.
 */
import { useState } from 'preact/hooks';
import type { AppSecrets } from '../../api/types.ts';
import { useConsole } from '../../app/console-context.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { AppForm } from './AppForm.tsx';
import { SecretsOnce } from './SecretsOnce.tsx';
import { SecretsPanel } from './SecretsPanel.tsx';

export function Apps() {
  const { t } = useI18n();
  const { api, apps, app, selectApp, reloadApps } = useConsole();
  const [created, setCreated] = useState<{ name: string; secrets: AppSecrets }>();
  return (
    <>
      <h1>{t('apps.title')}</h1>
      {created && (
        <SecretsOnce
          title={t('apps.created', { name: created.name })}
          secrets={created.secrets}
          onDismiss={() => setCreated(undefined)}
        />
      )}
      <section aria-labelledby="app-list">
        <h2 id="app-list">{t('apps.title')}</h2>
        <ul class="app-list">
          {apps.map((candidate) => (
            <li key={candidate.appId}>
              <span class="app-name">{candidate.name}</span> <code>{candidate.appId}</code>{' '}
              <span>{candidate.mode === 'live' ? t('common.live') : t('common.test')}</span>{' '}
              {candidate.appId === app?.appId ? (
                <strong>({t('apps.current')})</strong>
              ) : (
                <button type="button" onClick={() => selectApp(candidate.appId)}>
                  {t('apps.select')}
                  <span class="visually-hidden"> {candidate.name}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
      {app && (
        <section aria-labelledby="app-settings" key={app.appId}>
          <h2 id="app-settings">
            {t('apps.settings')}: {app.name}
          </h2>
          <p>
            {t('apps.appId')}: <code data-app-id>{app.appId}</code>
          </p>
          <AppForm
            idPrefix="edit-app"
            app={app}
            submitLabel={t('common.save')}
            onSubmit={async (fields) => {
              await api.updateApp(app.appId, fields);
              await reloadApps();
            }}
          />
          <SecretsPanel app={app} onRotated={() => void reloadApps()} />
        </section>
      )}
      <section aria-labelledby="create-app">
        <h2 id="create-app">{t('apps.create')}</h2>
        <AppForm
          idPrefix="new-app"
          submitLabel={t('apps.create')}
          onSubmit={async (fields) => {
            const answer = await api.createApp(fields);
            // The new app becomes the current one before its secrets show.
            await reloadApps();
            selectApp(answer.app.appId);
            setCreated({ name: answer.app.name, secrets: answer.secrets });
          }}
        />
      </section>
    </>
  );
}
