// Form validation for the administration and account screens: the same rules the server
// applies (internal/model), checked before sending so that a mistake is flagged at its field.
// The server still checks everything; its problem's detail is shown for anything else.
import type { Params } from '../../shared/i18n';
import type { Key } from './messages';

/** Invalid names the message (and its parameters) for a field that needs fixing. */
export interface Invalid {
  key: Key;
  params?: Params;
}

/** MinPasswordLength is model.MinPasswordLength. */
export const MinPasswordLength = 10;
const MaxNameLength = 100;
// No @: sign-in tells an e-mail address by it.
const usernamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function validateUsername(v: string): Invalid | null {
  return usernamePattern.test(v) ? null : { key: 'admin.v.username' };
}

/** validateEmail accepts an empty address (optional) or one plain address. */
export function validateEmail(v: string, required = false): Invalid | null {
  if (v === '') return required ? { key: 'admin.v.required' } : null;
  return /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/.test(v) ? null : { key: 'admin.v.email' };
}

export function validatePassword(v: string): Invalid | null {
  if (v.length < MinPasswordLength) return { key: 'admin.v.passwordShort', params: { min: MinPasswordLength } };
  if (v.length > 1024) return { key: 'admin.v.passwordLong' };
  return null;
}

/** validateRepeat checks the second entry of a new password. */
export function validateRepeat(password: string, repeat: string): Invalid | null {
  return password === repeat ? null : { key: 'admin.v.repeat' };
}

/** validateDisplayName is model.ValidateDisplayName: registry and token names. */
export function validateDisplayName(v: string): Invalid | null {
  if (v.trim() === '') return { key: 'admin.v.required' };
  if (v !== v.trim()) return { key: 'admin.v.spaces' };
  if ([...v].length > MaxNameLength) return { key: 'admin.v.long', params: { max: MaxNameLength } };
  if (/[\r\n\t\0]/.test(v)) return { key: 'admin.v.control' };
  return null;
}

/** validateRegistryUrl is model.ValidateRegistryURL: an absolute http(s) URL (Helm also oci://). */
export function validateRegistryUrl(v: string, allowOCI: boolean): Invalid | null {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return { key: allowOCI ? 'admin.v.helmUrl' : 'admin.v.url' };
  }
  const schemes = allowOCI ? ['http:', 'https:', 'oci:'] : ['http:', 'https:'];
  if (!u.host || !schemes.includes(u.protocol)) return { key: allowOCI ? 'admin.v.helmUrl' : 'admin.v.url' };
  return null;
}

const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** parseDuration reads a Go duration string ("5m", "1h30m", "0s") into milliseconds; null when
 * it is not one. */
export function parseDuration(v: string): number | null {
  const s = v.trim();
  if (s === '0') return 0;
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(s)) return null;
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * units[m[2]!]!;
  return ms;
}

/** validatePollInterval: "0s" (webhooks only) or at least 10s, as the server requires. */
export function validatePollInterval(v: string): Invalid | null {
  const ms = parseDuration(v);
  if (ms === null) return { key: 'admin.v.duration' };
  if (ms > 0 && ms < 10_000) return { key: 'admin.v.pollShort' };
  return null;
}

/** kubeNamespace is the name a namespace gets in the cluster (model.SanitizeNamespace): lower
 * case, the "on-" prefix, only letters, digits and dashes; null when nothing is left. */
export function kubeNamespace(name: string): string | null {
  let s = name.trim().toLowerCase();
  if (s.startsWith('on-')) s = s.slice(3);
  s = s.replace(/_/g, '-').replace(/[^a-z0-9-]/g, '');
  s = s.replace(/^-+|-+$/g, '');
  if (s.length > 60) s = s.slice(0, 60).replace(/-+$/, '');
  return s ? `on-${s}` : null;
}

/** errorsOf keeps the failing checks of a form, keyed by field (empty: the form is valid). */
export function errorsOf<F extends string>(checks: Record<F, Invalid | null>): Partial<Record<F, Invalid>> {
  const out: Partial<Record<F, Invalid>> = {};
  for (const [k, v] of Object.entries(checks) as [F, Invalid | null][]) if (v) out[k] = v;
  return out;
}
