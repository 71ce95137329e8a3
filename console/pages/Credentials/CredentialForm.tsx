/**
 * One channel family's credentials: every field empty (saved values are never sent back; the form says which
 * are set), keys and certificates pasted or uploaded, saved as a whole (the server replaces the family's
 * settings), errors at the field the server names, and "test connection".
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client.ts';
import type { Credential, Family } from '../../api/types.ts';
import { useConsole } from '../../app/console-context.tsx';
import { Field } from '../../components/Field/Field.tsx';
import { Notice } from '../../components/Notice/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import {
  credentialFields,
  familyNames,
  settingsField,
  settingsToSend,
  type CredentialField,
} from './credential-fields.ts';

async function readUpload(file: File, field: CredentialField): Promise<string> {
  if (!field.binary) return file.text();
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

export function CredentialForm(props: {
  appId: string;
  family: Family;
  credential: Credential;
  onSaved(): void;
}) {
  const { t, locale } = useI18n();
  const { api } = useConsole();
  const zh = locale === 'zh-CN';
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<{ field?: string; message: string }>();
  const [outcome, setOutcome] = useState<{ kind: 'success' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);
  const name = familyNames[props.family][zh ? 1 : 0];
  const idOf = (field: string) => `cred-${props.family}-${field}`;
  const set = (field: string, value: string) => setValues((current) => ({ ...current, [field]: value }));

  const save = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setOutcome(undefined);
    setBusy(true);
    try {
      await api.saveCredential(
        props.appId,
        props.family,
        settingsToSend(props.family, values) as Record<string, string>,
      );
      setValues({});
      setOutcome({ kind: 'success', text: t('common.saved') });
      props.onSaved();
    } catch (caught) {
      if (caught instanceof ApiError)
        setError({ field: settingsField(caught.field), message: caught.message });
      else setError({ message: (caught as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const test = async () => {
    setOutcome(undefined);
    try {
      const answer = await api.testCredential(props.appId, props.family);
      const ok = answer.reachable && answer.authOk;
      setOutcome({
        kind: ok ? 'success' : 'error',
        text: t(ok ? 'credentials.connectionOk' : 'credentials.connectionFailed', {
          message: answer.message,
        }),
      });
    } catch (caught) {
      setOutcome({ kind: 'error', text: (caught as Error).message });
    }
  };

  return (
    <section aria-labelledby={`cred-${props.family}`} class="credential">
      <h2 id={`cred-${props.family}`}>
        {name}{' '}
        <span class="badge">
          {props.credential.configured ? t('credentials.configured') : t('credentials.notConfigured')}
        </span>
      </h2>
      <p>
        {zh
          ? '保存会替换该渠道的全部参数：请填写所有需要的字段。已保存的值不会再显示。'
          : 'Saving replaces all of this channel’s settings: fill in every field it needs. Saved values are never shown again.'}
      </p>
      <form onSubmit={save} noValidate>
        {credentialFields[props.family].map((field) => {
          const isSet = props.credential.fieldsSet.includes(field.name);
          const hint = [
            field.optional ? (zh ? '可选' : 'optional') : '',
            isSet ? t('credentials.secretKept') : '',
          ]
            .filter(Boolean)
            .join(' · ');
          const fieldError = error?.field === field.name ? error.message : undefined;
          return (
            <Field
              key={field.name}
              id={idOf(field.name)}
              label={field.name}
              hint={hint || undefined}
              error={fieldError}
            >
              {(control) =>
                field.kind === 'choice' ? (
                  <select
                    {...control}
                    value={values[field.name] ?? ''}
                    onChange={(event) => set(field.name, event.currentTarget.value)}
                  >
                    <option value="">—</option>
                    {field.choices!.map((choice) => (
                      <option key={choice} value={choice}>
                        {choice}
                      </option>
                    ))}
                  </select>
                ) : field.kind === 'pem' ? (
                  <>
                    <textarea
                      {...control}
                      rows={3}
                      spellcheck={false}
                      autoComplete="off"
                      value={values[field.name] ?? ''}
                      onInput={(event) => set(field.name, event.currentTarget.value)}
                    />
                    <label class="upload">
                      {t('credentials.upload')} ({field.name})
                      <input
                        type="file"
                        onChange={async (event) => {
                          const file = event.currentTarget.files?.[0];
                          if (file) set(field.name, await readUpload(file, field));
                        }}
                      />
                    </label>
                  </>
                ) : (
                  <input
                    {...control}
                    type={field.kind === 'secret' ? 'password' : 'text'}
                    autoComplete="off"
                    value={values[field.name] ?? ''}
                    onInput={(event) => set(field.name, event.currentTarget.value)}
                  />
                )
              }
            </Field>
          );
        })}
        {error && !error.field && <Notice kind="error">{error.message}</Notice>}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('common.save')}
          </button>
          <button type="button" disabled={!props.credential.configured} onClick={() => void test()}>
            {t('credentials.testConnection')}
          </button>
        </div>
        {outcome && <Notice kind={outcome.kind}>{outcome.text}</Notice>}
      </form>
    </section>
  );
}
