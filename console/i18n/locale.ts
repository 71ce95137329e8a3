/** Which language the console speaks: the operator's choice if saved, else the browser's first Chinese or English. */
export type Locale = 'en' | 'zh-CN';

export const localeStorageKey = 'spay-console-locale';

export function preferredLocale(saved: string | null, languages: readonly string[]): Locale {
  if (saved === 'en' || saved === 'zh-CN') return saved;
  for (const language of languages) {
    const lower = language.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** Replaces `{name}` with params.name (missing names stay as written, so a gap is visible). */
export function format(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
