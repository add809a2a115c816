// fakeApi answers the API client's requests in component tests: a middleware of the real
// client (openapi-fetch) that returns a Response instead of fetching, and records each request.
import { api } from '../shared/api/client';

export interface Seen {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

export type Handler = (req: Seen) => { status?: number; body?: unknown; headers?: Record<string, string> } | undefined;

/** fakeApi routes requests to handler (undefined: 404) until the returned function is called. */
export function fakeApi(handler: Handler): { seen: Seen[]; stop: () => void } {
  const seen: Seen[] = [];
  const mw = {
    async onRequest({ request }: { request: Request }) {
      const text = await request.clone().text();
      const req: Seen = { method: request.method, path: new URL(request.url).pathname, headers: request.headers, body: text ? JSON.parse(text) : undefined };
      seen.push(req);
      const r = handler(req) ?? { status: 404, body: { title: 'Not Found', detail: `no fake for ${req.method} ${req.path}` } };
      const status = r.status ?? 200;
      const problem = status >= 400;
      return new Response(status === 204 ? null : JSON.stringify(r.body ?? {}), {
        status,
        headers: { 'Content-Type': problem ? 'application/problem+json' : 'application/json', ...r.headers },
      });
    },
  };
  api.use(mw);
  return { seen, stop: () => api.eject(mw) };
}
