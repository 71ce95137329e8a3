/**
 * An app's settings (name, mode, webhook URLs, allowed origins), for creating one or editing it. The server
 * validates; its refusal is shown at the field it names (`allowedOrigins.1` at the origins box).
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client.ts';
import type { ConsoleApp, Mode } from '../../api/types.ts';
import { Field } from '../../components/Field/Field.tsx';
import { Notice } from '../../components/Notice/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { parseOrigins } from './origins.ts';
import { errorText } from '../../i18n/names.ts';

export interface AppFields {
  name: string;
  mode: Mode;
  webhookUrl: string;
  liveWebhookUrl: string;
  allowedOrigins: string[];
}

export function AppForm(props: {
  idPrefix: string;
  app?: ConsoleApp;
  submitLabel: string;
  onSubmit(fields: AppFields): Promise<void>;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(props.app?.name ?? '');
  const [mode, setMode] = useState<Mode>(props.app?.mode ?? 'test');
  const [webhookUrl, setWebhookUrl] = useState(props.app?.webhookUrl ?? '');
  const [liveWebhookUrl, setLiveWebhookUrl] = useState(props.app?.liveWebhookUrl ?? '');
  const [origins, setOrigins] = useState((props.app?.allowedOrigins ?? []).join('\n'));
  const [error, setError] = useState<{ field?: string; message: string }>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const atKnown = (given: string | undefined, field: string) =>
    given === field || !!given?.startsWith(`${field}.`);
  const fieldError = (field: string) => (atKnown(error?.field, field) ? error?.message : undefined);
  const id = (name: string) => `${props.idPrefix}-${name}`;
  const known = ['name', 'mode', 'webhookUrl', 'liveWebhookUrl', 'allowedOrigins'];

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    setBusy(true);
    try {
      await props.onSubmit({ name, mode, webhookUrl, liveWebhookUrl, allowedOrigins: parseOrigins(origins) });
      setSaved(true);
    } catch (caught) {
      setError({
        field: caught instanceof ApiError ? caught.field : undefined,
        message: errorText(t, caught, {
          atField: caught instanceof ApiError && known.some((name) => atKnown(caught.field, name)),
        }),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate class="app-form">
      <Field id={id('name')} label={t('apps.name')} error={fieldError('name')}>
        {(control) => (
          <input
            {...control}
            value={name}
            maxLength={64}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        )}
      </Field>
      <Field id={id('mode')} label={t('apps.mode')} error={fieldError('mode')}>
        {(control) => (
          <select {...control} value={mode} onChange={(event) => setMode(event.currentTarget.value as Mode)}>
            <option value="test">{t('common.test')}</option>
            <option value="live">{t('common.live')}</option>
          </select>
        )}
      </Field>
      <Field id={id('webhook')} label={t('apps.testWebhookUrl')} error={fieldError('webhookUrl')}>
        {(control) => (
          <input
            {...control}
            type="url"
            value={webhookUrl}
            onInput={(event) => setWebhookUrl(event.currentTarget.value)}
          />
        )}
      </Field>
      <Field id={id('live-webhook')} label={t('apps.webhookUrl')} error={fieldError('liveWebhookUrl')}>
        {(control) => (
          <input
            {...control}
            type="url"
            value={liveWebhookUrl}
            onInput={(event) => setLiveWebhookUrl(event.currentTarget.value)}
          />
        )}
      </Field>
      <Field
        id={id('origins')}
        label={t('apps.origins')}
        hint={t('apps.originsHint')}
        error={fieldError('allowedOrigins')}
      >
        {(control) => (
          <textarea
            {...control}
            rows={3}
            value={origins}
            onInput={(event) => setOrigins(event.currentTarget.value)}
          />
        )}
      </Field>
      {error && !known.some((field) => fieldError(field)) && <Notice kind="error">{error.message}</Notice>}
      {saved && props.app && <Notice kind="success">{t('common.saved')}</Notice>}
      <button type="submit" class="primary" disabled={busy}>
        {props.submitLabel}
      </button>
    </form>
  );
}
