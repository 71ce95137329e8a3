/** New secrets, shown once with copy buttons, until the operator says they are saved. */
import { CopyButton } from '../../components/CopyButton/CopyButton.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

export function SecretsOnce(props: { title: string; secrets: Record<string, string>; onDismiss(): void }) {
  const { t } = useI18n();
  return (
    <section class="secrets-once" aria-labelledby="secrets-once-title" role="region">
      <h2 id="secrets-once-title">{props.title}</h2>
      <p>{t('apps.secretsOnce')}</p>
      <dl>
        {Object.entries(props.secrets).map(([name, value]) => (
          <div key={name} class="secret-row">
            <dt>{name}</dt>
            <dd>
              <code data-secret={name}>{value}</code>{' '}
              <CopyButton text={value} label={`${t('common.copy')} ${name}`} />
            </dd>
          </div>
        ))}
      </dl>
      <button type="button" class="primary" onClick={() => props.onDismiss()}>
        {t('apps.secretsDismiss')}
      </button>
    </section>
  );
}
