// API token choices: the roles one may give a token (never above one's own) and when it expires.
import type { Role } from '../../shared/api/models';

const order: Role[] = ['VIEWER', 'DOER', 'ADMIN'];

/** rolesUpTo lists the roles a token of a user with role may have, lowest first. */
export function rolesUpTo(role: Role): Role[] {
  return order.slice(0, order.indexOf(role) + 1);
}

/** Expiry choices: a number of days, the server's maximum, or a date picked by the user. */
export type ExpiryChoice = '1' | '7' | '30' | '90' | 'max' | 'date';
export const expiryChoices: ExpiryChoice[] = ['1', '7', '30', '90', 'max', 'date'];

/** expiresAt is the expiresAt to send for a choice: undefined for the server's maximum, the end
 * of the picked day (UTC) for a date, else now plus the days. null: the date is missing or not in
 * the future. */
export function expiresAt(choice: ExpiryChoice, now: Date, date?: string): string | undefined | null {
  if (choice === 'max') return undefined;
  if (choice === 'date') {
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
    const end = new Date(`${date}T23:59:59Z`);
    if (Number.isNaN(end.getTime()) || end <= now) return null;
    return end.toISOString();
  }
  return new Date(now.getTime() + Number(choice) * 24 * 3600 * 1000).toISOString();
}

/** isExpired tells a token past its expiry. */
export function isExpired(expires: string | null | undefined, now: Date): boolean {
  return !!expires && new Date(expires) <= now;
}
