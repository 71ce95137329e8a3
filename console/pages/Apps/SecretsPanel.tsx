/**
 * An app's secrets, masked (last 4 characters), each with a rotate button behind a confirmation. The new value is
 * shown once; the old one keeps working for the server's grace period (24 h, docs/console-api.md).
 */
import { useState } from 'preact/hooks';
import type { ConsoleApp, SecretKind } from '../../api/types.ts';
import { useConsole } from '../../app/console-context.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog/ConfirmDialog.tsx';
import { DateTime } from '../../components/DateTime/DateTime.tsx';
import { Notice } from '../../components/Notice/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { SecretsOnce } from './SecretsOnce.tsx';
import { errorText } from '../../i18n/names.ts';

const kinds: { kind: SecretKind; key: keyof ConsoleApp['secrets'] }[] = [
  { kind: 'app-secret', key: 'appSecret' },
  { kind: 'master-secret', key: 'masterSecret' },
  { kind: 'test-secret', key: 'testSecret' },
  { kind: 'webhook-secret', key: 'webhookSecret' },
];

export function SecretsPanel(props: { app: ConsoleApp; onRotated(): void }) {
  const { t } = useI18n();
  const { api } = useConsole();
  const names = t('apps.secretNames').split('|');
  const [asking, setAsking] = useState<number>();
  const [shown, setShown] = useState<{ name: string; value: string }>();
  const [error, setError] = useState<string>();
  const grace = t('apps.grace');

  const rotate = async (index: number) => {
    setAsking(undefined);
    setError(undefined);
    try {
      const answer = await api.rotateSecret(props.app.appId, kinds[index].kind);
      setShown({ name: names[index], value: answer.secret });
      props.onRotated();
    } catch (caught) {
      setError(errorText(t, caught));
    }
  };

  return (
    <section aria-labelledby="secrets-heading">
      <h2 id="secrets-heading">{t('apps.secrets')}</h2>
      {shown && (
        <SecretsOnce
          title={t('apps.rotated', { kind: shown.name })}
          secrets={{ [shown.name]: shown.value }}
          onDismiss={() => setShown(undefined)}
        />
      )}
      {error && <Notice kind="error">{error}</Notice>}
      <dl class="secrets">
        {kinds.map(({ key }, index) => {
          const secret = props.app.secrets[key];
          return (
            <div key={key} class="secret-row">
              <dt>{names[index]}</dt>
              <dd>
                <code aria-label={`${names[index]} ${t('apps.masked')}`}>{secret.masked}</code>
                {secret.previousValidUntil !== null && secret.previousValidUntil > Date.now() && (
                  <span class="grace">
                    {' '}
                    ({t('apps.oldValidUntil')} <DateTime at={secret.previousValidUntil} />)
                  </span>
                )}{' '}
                <button type="button" onClick={() => setAsking(index)}>
                  {t('apps.rotate')}
                  <span class="visually-hidden"> {names[index]}</span>
                </button>
              </dd>
            </div>
          );
        })}
      </dl>
      <ConfirmDialog
        open={asking !== undefined}
        title={t('apps.rotateTitle')}
        message={asking === undefined ? '' : t('apps.rotateConfirm', { kind: names[asking], grace })}
        onConfirm={() => asking !== undefined && void rotate(asking)}
        onCancel={() => setAsking(undefined)}
      />
    </section>
  );
}
