// A time shown relative to now ("3 minutes ago", "in 2 hours"), exact on hover and for
// screen readers (<time datetime title>: a native tooltip, cheap in long lists). It
// re-renders once a minute.
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** relative formats the distance from now to t in the locale. */
export function relative(locale: string, t: Date, now: Date): string {
  const secs = Math.round((t.getTime() - now.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(secs) >= size || unit === 'second') {
      return rtf.format(Math.round(secs / size), unit);
    }
  }
  return rtf.format(0, 'second');
}

function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(id);
  }, []);
  return now;
}

export function RelativeTime({ value }: { value: string | undefined | null }) {
  const { locale, dateTime } = useI18n();
  const now = useNow();
  if (!value) return <span>—</span>;
  const t = new Date(value);
  if (Number.isNaN(t.getTime()) || t.getFullYear() < 2) return <span>—</span>;
  const exact = dateTime(t);
  return (
    <time dateTime={t.toISOString()} title={exact}>
      {relative(locale, t, now)}
    </time>
  );
}
