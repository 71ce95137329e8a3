/**
 * Names the API answers as codes, in the operator's language: channels (menu codes such as `ali` and channels
 * such as `ALI_WEB`), channel families, statuses, audit actions — and the API's errors, by their `code`.
 * An unknown code is shown as it is, so nothing new is hidden.
 */
import { ApiError } from '../api/client.ts';
import { en, type MessageKey } from './en.ts';
import type { Translate } from './i18n.tsx';

function named(t: Translate, prefix: string, code: string): string {
  const key = `${prefix}.${code}`;
  return Object.hasOwn(en, key) ? t(key as MessageKey) : code;
}

export const channelName = (t: Translate, code: string) => named(t, 'channel', code);
export const familyName = (t: Translate, family: string) => named(t, 'family', family);
export const statusName = (t: Translate, status: string) => named(t, 'status', status);
export const auditActionName = (t: Translate, action: string) => named(t, 'audit.action', action);

/**
 * What went wrong, in the operator's language; the server's detail (English, technical) is kept after it.
 * `atField`: the text is shown at the field the server named, so it need not name it again.
 */
export function errorText(t: Translate, error: unknown, options: { atField?: boolean } = {}): string {
  if (!(error instanceof ApiError)) {
    return error instanceof TypeError ? t('error.network') : String((error as Error)?.message ?? error);
  }
  const detail = error.message;
  if (error.code === 'invalid') {
    if (options.atField && error.field) return t('error.atField', { detail });
    return error.field
      ? t('error.invalid', { field: error.field, detail })
      : t('error.invalidNoField', { detail });
  }
  const key = `error.${error.code}`;
  return Object.hasOwn(en, key) ? t(key as MessageKey, { detail }) : detail;
}
