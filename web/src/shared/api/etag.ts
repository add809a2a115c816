// Optimistic concurrency: documents that can be edited answer an ETag; the PUT that saves an
// edit sends it back as If-Match, and the server answers 412 when someone else saved first.
import { unwrap } from './client';
import { isApiError } from './problem';

/** Tagged is a document with the ETag it was read with (null when the server sent none). */
export interface Tagged<T> {
  data: T;
  etag: string | null;
}

interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** unwrapTagged is unwrap that also keeps the answer's ETag. */
export async function unwrapTagged<T>(p: Promise<FetchResult>): Promise<Tagged<T>> {
  const r = await p;
  const data = await unwrap<T>(Promise.resolve(r));
  return { data, etag: r.response.headers.get('ETag') };
}

/** ifMatch is the header that makes a PUT conditional on the revision that was read. */
export function ifMatch(etag: string | null | undefined): Record<string, string> {
  return etag ? { 'If-Match': etag } : {};
}

/** isConflict tells a 412 (someone else changed the document since it was read). */
export function isConflict(e: unknown): boolean {
  return isApiError(e) && e.status === 412;
}
