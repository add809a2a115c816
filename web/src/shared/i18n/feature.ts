// Catalogues of a lazily loaded screen: its messages travel in its own chunk instead of the
// first load. English is the source; the German catalogue must have every key (the compiler
// checks it, as for the shared catalogues). Messages use the same {name} and "one|other" forms.
import { useCallback } from 'react';
import { format, useI18n, type Locale, type Params } from './index';

export type Catalogue<K extends string> = Record<Locale, Record<K, string>>;

/** defineMessages pairs a screen's English catalogue with its German one. */
export function defineMessages<const E extends Record<string, string>>(en: E, de: Record<keyof E, string>): Catalogue<keyof E & string> {
  return { en, de } as Catalogue<keyof E & string>;
}

/** useMessages translates the keys of one screen's catalogue in the active locale. */
export function useMessages<K extends string>(cat: Catalogue<K>): (key: K, params?: Params) => string {
  const { locale } = useI18n();
  return useCallback((key: K, params?: Params) => format(locale, cat[locale][key] ?? cat.en[key] ?? key, params), [locale, cat]);
}
