/** The console's language: a context with the locale, `t(key, params)` and a switch that is remembered. */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { en, type MessageKey } from './en.ts';
import { format, localeStorageKey, preferredLocale, type Locale } from './locale.ts';
import { zhCN } from './zh-CN.ts';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export interface I18n {
  locale: Locale;
  t: Translate;
  setLocale(locale: Locale): void;
}

const tables: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

export function translator(locale: Locale): Translate {
  return (key, params) => format(tables[locale][key], params);
}

const I18nContext = createContext<I18n>({ locale: 'en', t: translator('en'), setLocale: () => {} });

function savedLocale(): string | null {
  try {
    return localStorage.getItem(localeStorageKey);
  } catch {
    return null;
  }
}

export function I18nProvider(props: { children: ComponentChildren; initial?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(
    () => props.initial ?? preferredLocale(savedLocale(), navigator.languages ?? [navigator.language]),
  );
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(
    () => ({
      locale,
      t: translator(locale),
      setLocale(next) {
        try {
          localStorage.setItem(localeStorageKey, next);
        } catch {
          // Private mode: the choice lasts for this page only.
        }
        setLocaleState(next);
      },
    }),
    [locale],
  );
  return <I18nContext.Provider value={value}>{props.children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
