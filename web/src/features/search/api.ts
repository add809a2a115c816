import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api/client';
import { qk } from '../../shared/api/queryKeys';
import type { SearchResult } from '../../shared/api/models';

/** useSearch searches projects and versions (GET /search); nothing is asked for an empty q.
 * page, when given, asks the server for that page of the matching versions (their total is in
 * the answer); without it the server's first page. */
export function useSearch(q: string, page?: { limit: number; offset: number }) {
  const query = q.trim();
  return useQuery({
    queryKey: qk.search(query, page),
    queryFn: () => unwrap<SearchResult>(api.GET('/api/v1/search', { params: { query: { q: query, ...page } } })),
    enabled: query.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}
