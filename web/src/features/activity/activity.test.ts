import { describe, expect, it } from 'vitest';
import { entityLink } from './links';
import { newSince } from './ActivityPage';
import type { Activity } from '../../shared/api/models';

describe('entityLink', () => {
  it('links projects and versions (by the project id in the version id)', () => {
    expect(entityLink({ entityType: 'project', entityId: 'p1' }, false)).toBe('/projects/p1/versions');
    expect(entityLink({ entityType: 'version', entityId: 'abc-0123456789abcdef0123' }, false)).toBe('/projects/abc/versions');
    expect(entityLink({ entityType: 'version', entityId: 'imported' }, false)).toBeNull();
  });
  it('links administration entities for ADMINs only', () => {
    expect(entityLink({ entityType: 'user', entityId: 'u' }, false)).toBeNull();
    expect(entityLink({ entityType: 'user', entityId: 'u' }, true)).toBe('/admin');
  });
});

describe('newSince', () => {
  const a = (id: string) => ({ id }) as Activity;
  it('counts live activities the list does not show yet', () => {
    expect(newSince([a('3'), a('2')], [a('2'), a('1')])).toBe(1);
    expect(newSince([], [a('1')])).toBe(0);
    expect(newSince(undefined, undefined)).toBe(0);
  });
});
