import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api/client';
import { qk } from '../../shared/api/queryKeys';
import type { SearchResult } from '../../shared/api/models';

/** useSearch searches projects and versions (GET /search); nothing is asked for an empty q. */
export function useSearch(q: string) {
  const query = q.trim();
  return useQuery({
    queryKey: qk.search(query),
    queryFn: () => unwrap<SearchResult>(api.GET('/api/v1/search', { params: { query: { q: query } } })),
    enabled: query.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}
