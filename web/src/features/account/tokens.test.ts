import { describe, expect, it } from 'vitest';
import { expiresAt, isExpired, rolesUpTo } from './tokens';

const now = new Date('2026-12-01T12:00:00Z');

describe('API token choices', () => {
  it('offers roles up to one’s own, never above', () => {
    expect(rolesUpTo('VIEWER')).toEqual(['VIEWER']);
    expect(rolesUpTo('DOER')).toEqual(['VIEWER', 'DOER']);
    expect(rolesUpTo('ADMIN')).toEqual(['VIEWER', 'DOER', 'ADMIN']);
  });

  it('turns an expiry choice into expiresAt', () => {
    expect(expiresAt('7', now)).toBe('2026-12-08T12:00:00.000Z');
    expect(expiresAt('max', now)).toBeUndefined(); // the server gives its maximum
    expect(expiresAt('date', now, '2027-01-31')).toBe('2027-01-31T23:59:59.000Z');
    expect(expiresAt('date', now, '2026-11-30')).toBeNull();
    expect(expiresAt('date', now, '')).toBeNull();
    expect(expiresAt('date', now, 'tomorrow')).toBeNull();
  });

  it('tells an expired token', () => {
    expect(isExpired('2026-12-01T11:59:59Z', now)).toBe(true);
    expect(isExpired('2026-12-02T00:00:00Z', now)).toBe(false);
    expect(isExpired(null, now)).toBe(false);
  });
});
