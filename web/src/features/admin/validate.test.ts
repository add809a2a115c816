import { describe, expect, it } from 'vitest';
import { kubeNamespace, parseDuration, validateDisplayName, validateEmail, validatePassword, validatePollInterval, validateRegistryUrl, validateRepeat, validateUsername } from './validate';

describe('form validation (the server model rules)', () => {
  it.each([
    ['alice', true],
    ['a.b_c-d', true],
    ['a@example.test', false],
    ['9lives', true],
    ['', false],
    ['-dash', false],
    ['white space', false],
    ['x'.repeat(64), true],
    ['x'.repeat(65), false],
  ])('username %j valid: %s', (v, ok) => {
    expect(validateUsername(v) === null).toBe(ok);
  });

  it('e-mail is optional unless required, and must be one plain address', () => {
    expect(validateEmail('')).toBeNull();
    expect(validateEmail('', true)?.key).toBe('admin.v.required');
    expect(validateEmail('a@example.test')).toBeNull();
    expect(validateEmail('Alice <a@example.test>')?.key).toBe('admin.v.email');
    expect(validateEmail('no-at.example')?.key).toBe('admin.v.email');
  });

  it('passwords need 10 to 1024 characters and the repeat must match', () => {
    expect(validatePassword('123456789')).toEqual({ key: 'admin.v.passwordShort', params: { min: 10 } });
    expect(validatePassword('1234567890')).toBeNull();
    expect(validatePassword('x'.repeat(1025))?.key).toBe('admin.v.passwordLong');
    expect(validateRepeat('abcdefghij', 'abcdefghiJ')?.key).toBe('admin.v.repeat');
    expect(validateRepeat('abcdefghij', 'abcdefghij')).toBeNull();
  });

  it('display names are trimmed, short and on one line', () => {
    expect(validateDisplayName('ci token')).toBeNull();
    expect(validateDisplayName('  ')?.key).toBe('admin.v.required');
    expect(validateDisplayName(' x')?.key).toBe('admin.v.spaces');
    expect(validateDisplayName('a\tb')?.key).toBe('admin.v.control');
    expect(validateDisplayName('x'.repeat(101))?.key).toBe('admin.v.long');
  });

  it('registry URLs are absolute http(s); Helm also takes oci://', () => {
    expect(validateRegistryUrl('https://registry.example.com', false)).toBeNull();
    expect(validateRegistryUrl('http://127.0.0.1:5000', false)).toBeNull();
    expect(validateRegistryUrl('registry.example.com', false)?.key).toBe('admin.v.url');
    expect(validateRegistryUrl('oci://ghcr.io/charts', false)?.key).toBe('admin.v.url');
    expect(validateRegistryUrl('oci://ghcr.io/charts', true)).toBeNull();
    expect(validateRegistryUrl('ftp://x', true)?.key).toBe('admin.v.helmUrl');
  });

  it('reads Go durations', () => {
    expect(parseDuration('5m0s')).toBe(300_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('0s')).toBe(0);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('5 minutes')).toBeNull();
    expect(parseDuration('')).toBeNull();
  });

  it('a poll interval is 0s (webhooks only) or at least 10s', () => {
    expect(validatePollInterval('0s')).toBeNull();
    expect(validatePollInterval('10s')).toBeNull();
    expect(validatePollInterval('9s')?.key).toBe('admin.v.pollShort');
    expect(validatePollInterval('-1s')?.key).toBe('admin.v.duration');
    expect(validatePollInterval('soon')?.key).toBe('admin.v.duration');
  });

  it('names a namespace as the cluster will (model.SanitizeNamespace)', () => {
    expect(kubeNamespace('Team_A')).toBe('on-team-a');
    expect(kubeNamespace('on-preview')).toBe('on-preview');
    expect(kubeNamespace(' QA env! ')).toBe('on-qaenv');
    expect(kubeNamespace('--x--')).toBe('on-x');
    expect(kubeNamespace('%%%')).toBeNull();
    expect(kubeNamespace('a'.repeat(70))).toBe('on-' + 'a'.repeat(60));
  });
});
