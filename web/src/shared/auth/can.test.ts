import { describe, expect, it } from 'vitest';
import { can } from './can';

describe('can', () => {
  it.each([
    ['VIEWER', 'deploy', true],
    ['VIEWER', 'setDashboardVariable', true],
    ['VIEWER', 'editProject', false],
    ['VIEWER', 'createProject', false],
    ['VIEWER', 'admin', false],
    ['DOER', 'editProject', true],
    ['DOER', 'admin', false],
    ['ADMIN', 'admin', true],
    ['ADMIN', 'deploy', true],
  ] as const)('%s may %s: %s', (role, action, want) => {
    expect(can(role, action)).toBe(want);
  });
  it('a signed-out user may do nothing', () => {
    expect(can(undefined, 'deploy')).toBe(false);
  });
});
