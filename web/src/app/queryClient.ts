import { QueryClient } from '@tanstack/react-query';
import { isApiError } from '../shared/api/problem';

/** newQueryClient is the one server-state cache. The live stream keeps it fresh, so data is
 * not refetched on focus and stays fresh for a minute; 4xx answers are not retried. */
export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 60_000,
        refetchOnWindowFocus: false,
        retry: (n, e) => !(isApiError(e) && e.status >= 400 && e.status < 500) && n < 2,
      },
      mutations: { retry: false },
    },
  });
}
