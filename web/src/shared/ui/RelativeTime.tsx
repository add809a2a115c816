// A time shown relative to now ("3 minutes ago", "in 2 hours"), exact on hover and for
// screen readers (<time datetime title>: a native tooltip, cheap in long lists). Every
// RelativeTime on the page reads one shared clock that ticks once a minute (one timer, not one
// per time shown), and the formatters are made once per locale.
import { useSyncExternalStore } from 'react';
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

const formats = new Map<string, Intl.RelativeTimeFormat>();

function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  let f = formats.get(locale);
  if (!f) {
    f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    formats.set(locale, f);
  }
  return f;
}

/** relative formats the distance from now to t in the locale. */
export function relative(locale: string, t: Date, now: Date): string {
  const secs = Math.round((t.getTime() - now.getTime()) / 1000);
  const rtf = relativeFormat(locale);
  for (const [unit, size] of units) {
    if (Math.abs(secs) >= size || unit === 'second') {
      return rtf.format(Math.round(secs / size), unit);
    }
  }
  return rtf.format(0, 'second');
}

// The shared clock: one interval while any RelativeTime is mounted.
let now = new Date();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(l: () => void): () => void {
  if (listeners.size === 0) {
    now = new Date();
    timer = setInterval(() => {
      now = new Date();
      listeners.forEach((f) => f());
    }, 60_000);
  }
  listeners.add(l);
  return () => {
    listeners.delete(l);
    if (listeners.size === 0) clearInterval(timer);
  };
}

// A time mounted between two ticks must not be measured against a clock up to a minute old
// ("in 40 seconds" for something that just happened): the clock is read again when it is older
// than a second; within a second (one render of a long list) every reader sees the same value.
function getNow(): Date {
  const t = Date.now();
  if (t - now.getTime() > 1000) now = new Date(t);
  return now;
}

function useNow(): Date {
  return useSyncExternalStore(subscribe, getNow);
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
