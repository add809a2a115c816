// The account's server state: the signed-in user (with its ETag, for saving the profile and
// the password) and the user's own API tokens.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api/client';
import { qk } from '../../shared/api/queryKeys';
import type { components } from '../../shared/api/schema';
import { fetchUser } from '../admin/api';

export type Token = components['schemas']['Token'];
export type TokenInput = components['schemas']['TokenInput'];

/** useMe reads the signed-in user with its ETag; it is read again only after a save. */
export function useMe(id: string) {
  return useQuery({ queryKey: [...qk.users, 'me', id], queryFn: () => fetchUser(id), staleTime: Infinity, refetchOnWindowFocus: false });
}

export function useTokens() {
  return useQuery({
    queryKey: [...qk.tokens, 'list'],
    queryFn: () => unwrap<{ items: Token[]; total: number }>(api.GET('/api/v1/tokens', { params: { query: { limit: 500 } } })),
  });
}

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TokenInput) => unwrap<Token>(api.POST('/api/v1/tokens', { body })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.tokens }),
  });
}

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap<unknown>(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.tokens }),
  });
}
