// The API client: openapi-fetch typed by the paths generated from web/openapi.json
// (npm run gen:api), on the same origin with the session cookie. Every call goes through
// `unwrap`, which throws an ApiError carrying the problem+json answer, and reports a 401 to
// the session layer (an expired session returns the user to sign-in).
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError, type Problem } from './problem';

export type Paths = paths;

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** onUnauthorized registers a listener for 401 answers (other than to the sign-in call). */
export function onUnauthorized(l: UnauthorizedListener): () => void {
  unauthorizedListeners.add(l);
  return () => unauthorizedListeners.delete(l);
}

const watch401: Middleware = {
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.endsWith('/api/v1/session')) {
      unauthorizedListeners.forEach((l) => l());
    }
    return undefined;
  },
};

export const api = createClient<paths>({
  baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin,
  credentials: 'same-origin',
  headers: { Accept: 'application/json' },
});
api.use(watch401);

interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** unwrap turns an openapi-fetch result into its data, or throws an ApiError. */
export async function unwrap<T>(p: Promise<FetchResult>): Promise<T> {
  const r = await p;
  if (!r.response.ok) {
    const e = r.error;
    const problem: Problem =
      e && typeof e === 'object' ? (e as Problem) : { title: r.response.statusText, detail: typeof e === 'string' && e ? e : undefined };
    throw new ApiError(r.response.status, { status: r.response.status, ...problem });
  }
  return r.data as T;
}
