// The i18n layer: typed message catalogues (en is the source; de must have every key, the
// compiler checks it), {name} interpolation, plural forms by Intl.PluralRules, and dates
// formatted with Intl in the active locale. The choice is remembered in localStorage.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en';
import { de } from './de';
import { setCloseLabel } from '../ui/notify';

export type { MessageKey } from './en';
export type Locale = 'en' | 'de';
export const locales: Locale[] = ['en', 'de'];

const catalogues: Record<Locale, Record<MessageKey, string>> = { en, de };
const storageKey = 'oneko.locale';

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** format fills {name} placeholders; a message "a|b" picks the plural form by params.count. */
export function format(locale: Locale, message: string, params?: Params): string {
  let m = message;
  if (m.includes('|') && params && typeof params.count === 'number') {
    const [one = '', other = ''] = m.split('|');
    m = new Intl.PluralRules(locale).select(params.count) === 'one' ? one : other;
  }
  return m.replace(/\{(\w+)\}/g, (all, name: string) => (params && name in params ? String(params[name]) : all));
}

export function translator(locale: Locale): Translate {
  const cat = catalogues[locale];
  return (key, params) => format(locale, cat[key] ?? en[key] ?? key, params);
}

function initialLocale(): Locale {
  const saved = localStorage.getItem(storageKey);
  if (saved === 'en' || saved === 'de') return saved;
  return navigator.language.toLowerCase().startsWith('de') ? 'de' : 'en';
}

interface I18n {
  locale: Locale;
  setLocale: (l: Locale) => void;
  t: Translate;
  /** dateTime formats an exact time, for tooltips and tables. */
  dateTime: (iso: string | Date) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, locale: fixed }: { children: ReactNode; locale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => fixed ?? initialLocale());
  const setLocale = useCallback((l: Locale) => {
    localStorage.setItem(storageKey, l);
    document.documentElement.lang = l;
    setLocaleState(l);
  }, []);
  const value = useMemo<I18n>(() => {
    const dtf = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
    document.documentElement.lang = locale;
    setCloseLabel(catalogues[locale]['action.close']);
    return { locale, setLocale, t: translator(locale), dateTime: (d) => dtf.format(typeof d === 'string' ? new Date(d) : d) };
  }, [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

/** useT is the short form most components need. */
export function useT(): Translate {
  return useI18n().t;
}
