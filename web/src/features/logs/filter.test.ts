import { describe, expect, it } from 'vitest';
import { makeFilter } from './filter';

describe('makeFilter', () => {
  it('an empty query shows every line', () => {
    const f = makeFilter('  ');
    expect(f.active).toBe(false);
    expect(f.test('anything')).toBe(true);
  });

  it('text matches ignoring case and escape codes', () => {
    const f = makeFilter('error');
    expect(f.test('\x1b[31mERROR\x1b[0m: boom')).toBe(true);
    expect(f.test('all fine')).toBe(false);
    // An escape code inside the word does not hide it.
    expect(makeFilter('warn').test('\x1b[1mwa\x1b[0mrn')).toBe(true);
  });

  it('a /regular expression/ is a regular expression', () => {
    const f = makeFilter('/^GET \\/api\\/v1\\/(projects|users)/');
    expect(f.test('GET /api/v1/projects 200')).toBe(true);
    expect(f.test('get /api/v1/users 200')).toBe(true);
    expect(f.test('POST /api/v1/projects')).toBe(false);
  });

  it('an invalid expression matches nothing and says why', () => {
    const f = makeFilter('/([a/');
    expect(f.error).toBeTruthy();
    expect(f.test('([a')).toBe(false);
  });

  it('a global flag does not make the filter skip matches', () => {
    const f = makeFilter('/a/g');
    expect([f.test('a'), f.test('a'), f.test('a')]).toEqual([true, true, true]);
  });
});
