/**
 * One channel family's credentials: every field empty (saved values are never sent back; the form says which
 * are set), keys and certificates pasted or uploaded. Only what the operator fills in is sent: an empty field
 * keeps its saved value, a saved optional field can be removed. Errors at the field the server names, and
 * "test connection".
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client.ts';
import type { Credential, Family } from '../../api/types.ts';
import { useConsole } from '../../app/console-context.tsx';
import { Field } from '../../components/Field/Field.tsx';
import { Notice } from '../../components/Notice/Notice.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { errorText, familyName } from '../../i18n/names.ts';
import {
  credentialFields,
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
  const { t } = useI18n();
  const { api } = useConsole();
  const [values, setValues] = useState<Record<string, string>>({});
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<{ field?: string; message: string }>();
  const [outcome, setOutcome] = useState<{ kind: 'success' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);
  const name = familyName(t, props.family);
  const idOf = (field: string) => `cred-${props.family}-${field}`;
  const set = (field: string, value: string) => setValues((current) => ({ ...current, [field]: value }));

  const save = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setOutcome(undefined);
    setBusy(true);
    try {
      await api.saveCredential(props.appId, props.family, settingsToSend(props.family, values, removed));
      setValues({});
      setRemoved(new Set());
      setOutcome({ kind: 'success', text: t('common.saved') });
      props.onSaved();
    } catch (caught) {
      setError({
        field: caught instanceof ApiError ? settingsField(caught.field) : undefined,
        message: errorText(t, caught, {
          atField:
            caught instanceof ApiError &&
            credentialFields[props.family].some((field) => field.name === settingsField(caught.field)),
        }),
      });
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
      setOutcome({ kind: 'error', text: errorText(t, caught) });
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
      <p>{t('credentials.saveHelp')}</p>
      <form onSubmit={save} noValidate>
        {credentialFields[props.family].map((field) => {
          const isSet = props.credential.fieldsSet.includes(field.name);
          const hint = [
            field.optional ? t('credentials.optional') : '',
            isSet ? t('credentials.secretKept') : '',
          ]
            .filter(Boolean)
            .join(' · ');
          const fieldError = error?.field === field.name ? error.message : undefined;
          return (
            <div key={field.name} class="credential-field">
              <Field id={idOf(field.name)} label={field.name} hint={hint || undefined} error={fieldError}>
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
              {isSet && field.optional && (
                <label class="check">
                  <input
                    type="checkbox"
                    checked={removed.has(field.name)}
                    onChange={(event) => {
                      const next = new Set(removed);
                      if (event.currentTarget.checked) next.add(field.name);
                      else next.delete(field.name);
                      setRemoved(next);
                    }}
                  />
                  {t('credentials.remove', { field: field.name })}
                </label>
              )}
            </div>
          );
        })}
        {error && !credentialFields[props.family].some((field) => field.name === error.field) && (
          <Notice kind="error">{error.message}</Notice>
        )}
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
