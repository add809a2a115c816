import { describe, expect, it } from 'vitest';
import type { DockerRegistry } from './api';
import { dockerBody, dockerErrors, dockerFormOf, helmBody, helmErrors, helmFormOf, isWebhooksOnly, newDockerForm, newSecretOf } from './registryForm';

const stored = {
  id: 'r1',
  name: 'demo',
  url: 'http://127.0.0.1:5000',
  username: 'bot',
  insecure: false,
  pollInterval: '0s',
  webhookFormat: 'distribution',
  hasPassword: true,
  hasWebhookSecret: true,
  webhookUrl: 'http://x/api/v1/webhooks/r1',
  createdAt: '',
  updatedAt: '',
} as DockerRegistry;

describe('registry forms', () => {
  it('a new docker registry gets a generated secret, shown once after saving', () => {
    const f = { ...newDockerForm(), name: 'demo', url: 'http://127.0.0.1:5000' };
    expect(dockerErrors(f, false)).toEqual({});
    const body = dockerBody(f);
    expect(body.webhookSecret).toBe(f.secret);
    expect(body.webhookSecret!.length).toBeGreaterThan(30);
    expect(body.password).toBeUndefined(); // no password typed: none sent
    expect(newSecretOf(f)).toBe(f.secret);
  });

  it('an edit keeps the stored secrets unless told otherwise', () => {
    const f = dockerFormOf(stored);
    const body = dockerBody(f);
    expect(body).not.toHaveProperty('password', expect.anything());
    expect(body.password).toBeUndefined();
    expect(body.webhookSecret).toBeUndefined();
    expect(newSecretOf(f)).toBeNull();
    expect(body.pollInterval).toBe('0s');
  });

  it('"remove" sends "" and "set" needs a value', () => {
    expect(dockerBody({ ...dockerFormOf(stored), passwordAction: 'remove', secretAction: 'remove' })).toMatchObject({ password: '', webhookSecret: '' });
    const setEmpty = { ...dockerFormOf(stored), passwordAction: 'set' as const, secretAction: 'set' as const };
    expect(Object.keys(dockerErrors(setEmpty, true)).sort()).toEqual(['password', 'secret']);
    expect(dockerBody({ ...setEmpty, password: 'pw', secret: 's3' })).toMatchObject({ password: 'pw', webhookSecret: 's3' });
  });

  it('flags the fields to fix', () => {
    const f = { ...newDockerForm(), name: ' ', url: 'registry', pollInterval: '5s' };
    expect(Object.keys(dockerErrors(f, false)).sort()).toEqual(['name', 'pollInterval', 'url']);
  });

  it('Helm registries take oci:// and keep their password on edit', () => {
    const h = helmFormOf({ id: 'h1', name: 'charts', url: 'oci://ghcr.io/x', hasPassword: true, createdAt: '', updatedAt: '' });
    expect(helmErrors(h, true)).toEqual({});
    expect(helmBody(h).password).toBeUndefined();
    expect(helmBody({ ...h, passwordAction: 'remove' }).password).toBe('');
  });

  it('tells a poll interval of zero', () => {
    expect(isWebhooksOnly('0s')).toBe(true);
    expect(isWebhooksOnly('0')).toBe(true);
    expect(isWebhooksOnly('5m0s')).toBe(false);
    expect(isWebhooksOnly(undefined)).toBe(false);
  });
});
