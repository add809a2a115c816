import { describe, expect, it } from 'vitest';
import { newSecret, secretDelivery, webhookFormats, webhookUrl, withToken } from './webhook';

const origin = 'https://oneko.example.test';

describe('webhook URL', () => {
  it('keeps the address the server forms from ONEKO_PUBLIC_URL', () => {
    expect(webhookUrl('https://oneko.example.com/api/v1/webhooks/r1', origin)).toBe('https://oneko.example.com/api/v1/webhooks/r1');
    expect(webhookUrl('http://127.0.0.1:8080/api/v1/webhooks/r1', origin)).toBe('http://127.0.0.1:8080/api/v1/webhooks/r1');
  });

  it('uses the browser origin when the server names no reachable host', () => {
    // ONEKO_HTTP_ADDR ":8080" without ONEKO_PUBLIC_URL gives "http://:8080".
    expect(webhookUrl('http://:8080/api/v1/webhooks/r1', origin)).toBe(`${origin}/api/v1/webhooks/r1`);
    expect(webhookUrl('http://0.0.0.0:8080/api/v1/webhooks/r1', origin)).toBe(`${origin}/api/v1/webhooks/r1`);
    expect(webhookUrl('http://[::]:8080/api/v1/webhooks/r1', origin)).toBe(`${origin}/api/v1/webhooks/r1`);
    expect(webhookUrl('/api/v1/webhooks/r1', origin + '/')).toBe(`${origin}/api/v1/webhooks/r1`);
  });

  it('adds the secret as ?token= for registries that cannot set headers', () => {
    expect(withToken('https://o.test/api/v1/webhooks/r1', 'a+b/c')).toBe('https://o.test/api/v1/webhooks/r1?token=a%2Bb%2Fc');
    expect(secretDelivery('dockerhub')).toBe('query');
    expect(secretDelivery('quay')).toBe('query');
    expect(secretDelivery('harbor')).toBe('raw');
    expect(secretDelivery('ghcr')).toBe('hmac');
    expect(secretDelivery('generic')).toBe('bearer');
    expect(secretDelivery('auto')).toBe('any');
    expect(webhookFormats).toContain('distribution');
  });

  it('makes long, URL-safe, different secrets', () => {
    const a = newSecret();
    const b = newSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });
});
