// The log view's filter: a line matches when its text (without escape codes) contains the
// query, ignoring case; a query written /like this/ is a regular expression (case-insensitive
// too). An invalid expression matches nothing and says why.
import { stripAnsi } from './ansi';

export interface LineFilter {
  /** test tells whether a raw line (with escape codes) matches. */
  test: (line: string) => boolean;
  /** error is why a /regular expression/ cannot be used. */
  error?: string;
  active: boolean;
}

export function makeFilter(query: string): LineFilter {
  const q = query.trim();
  if (!q) return { test: () => true, active: false };
  const re = /^\/(.+)\/([a-z]*)$/.exec(q);
  if (re) {
    try {
      const flags = (re[2] ?? '').replace(/[gy]/g, '');
      const rx = new RegExp(re[1] ?? '', flags.includes('i') ? flags : flags + 'i');
      return { test: (line) => rx.test(stripAnsi(line)), active: true };
    } catch (e) {
      return { test: () => false, error: e instanceof Error ? e.message : String(e), active: true };
    }
  }
  const needle = q.toLowerCase();
  return { test: (line) => stripAnsi(line).toLowerCase().includes(needle), active: true };
}
