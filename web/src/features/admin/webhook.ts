// The webhook address of a docker registry and how a registry sends its secret. The server
// answers webhookUrl from ONEKO_PUBLIC_URL; when that names no reachable host (the default
// "http://:8080" of a server listening on every interface, or a relative path), the address the
// browser reached the dashboard at is used instead.
import type { components } from '../../shared/api/schema';

export type WebhookFormat = NonNullable<components['schemas']['DockerRegistry']['webhookFormat']>;

export const webhookFormats: WebhookFormat[] = ['auto', 'harbor', 'dockerhub', 'distribution', 'quay', 'ghcr', 'acr', 'generic'];

const unspecified = new Set(['', '0.0.0.0', '[::]', '::']);

/** webhookUrl is the address registries post to: the server's, or the same path on origin
 * when the server's has no usable host. */
export function webhookUrl(server: string, origin: string): string {
  if (server.startsWith('/')) return origin.replace(/\/+$/, '') + server;
  let u: URL;
  try {
    u = new URL(server);
  } catch {
    // "http://:8080/…" does not parse: take the path after the host part.
    const path = server.replace(/^[a-z]+:\/\/[^/]*/i, '');
    return origin.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
  }
  if (unspecified.has(u.hostname)) return origin.replace(/\/+$/, '') + u.pathname + u.search;
  return u.toString();
}

/** withToken adds the secret as ?token=, for registries that cannot set headers (Docker Hub,
 * Quay). */
export function withToken(url: string, secret: string): string {
  const u = new URL(url);
  u.searchParams.set('token', secret);
  return u.toString();
}

/** How a registry of a format sends the webhook secret. */
export type SecretDelivery = 'query' | 'bearer' | 'raw' | 'hmac' | 'any';

/** secretDelivery says where the secret goes for a format (API.md "Webhooks"). */
export function secretDelivery(f: WebhookFormat): SecretDelivery {
  switch (f) {
    case 'dockerhub':
    case 'quay':
      return 'query';
    case 'harbor':
    case 'acr':
      return 'raw';
    case 'ghcr':
      return 'hmac';
    case 'distribution':
    case 'generic':
      return 'bearer';
    default:
      return 'any';
  }
}

/** newSecret makes a random webhook secret (32 bytes, URL-safe base64). */
export function newSecret(): string {
  const b = new Uint8Array(32);
  crypto.getRandomValues(b);
  return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
