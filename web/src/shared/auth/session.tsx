// The session: who is signed in (GET /api/v1/session), sign in and out, and the guard that
// sends a signed-out user to /signin?next=<the page they were on>.
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useLocation } from 'react-router';
import { Center, Loader } from '@mantine/core';
import { api, onUnauthorized, unwrap } from '../api/client';
import { isApiError } from '../api/problem';
import { qk } from '../api/queryKeys';
import type { Me, SessionInfo, User } from '../api/models';
import { can, type Ability } from './can';

function toMe(u: User | undefined, role: Me['role']): Me {
  return { id: u?.id ?? '', username: u?.username ?? '', email: u?.email ?? '', role };
}

async function fetchSession(): Promise<Me | null> {
  try {
    // The answer is {user, role, authenticatedBy}; the role is the session's (a token's may be
    // lower than its owner's).
    const s = await unwrap<SessionInfo>(api.GET('/api/v1/session'));
    return toMe(s.user, s.role);
  } catch (e) {
    if (isApiError(e) && e.status === 401) return null;
    throw e;
  }
}

/** useSession is the signed-in user: undefined while loading, null when signed out. */
export function useSession(): { user: Me | null | undefined; isLoading: boolean } {
  const q = useQuery({ queryKey: qk.session, queryFn: fetchSession, staleTime: Infinity, retry: false });
  return { user: q.data, isLoading: q.isPending };
}

const UserContext = createContext<Me | null>(null);

/** useUser is the signed-in user inside RequireAuth. */
export function useUser(): Me {
  const u = useContext(UserContext);
  if (!u) throw new Error('useUser outside RequireAuth');
  return u;
}

/** useCan reports whether the signed-in user may do an action. */
export function useCan(action: Ability): boolean {
  return can(useContext(UserContext)?.role, action);
}

/** SessionWatcher marks the session expired when any API call answers 401. */
export function SessionWatcher() {
  const qc = useQueryClient();
  useEffect(
    () =>
      onUnauthorized(() => {
        if (qc.getQueryData(qk.session)) qc.setQueryData(qk.session, null);
      }),
    [qc],
  );
  return null;
}

/** RequireAuth renders its children for a signed-in user, else redirects to sign-in. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, isLoading } = useSession();
  const loc = useLocation();
  if (isLoading) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (!user) {
    const next = loc.pathname + loc.search + loc.hash;
    return <Navigate to={`/signin?next=${encodeURIComponent(next)}&expired=${next !== '/' ? 1 : 0}`} replace />;
  }
  return <UserContext.Provider value={user}>{children}</UserContext.Provider>;
}

export function useSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: { username: string; password: string }) => {
      const u = await unwrap<User>(api.POST('/api/v1/session', { body }));
      return toMe(u, u.role ?? 'VIEWER');
    },
    onSuccess: (me) => {
      qc.clear();
      qc.setQueryData(qk.session, me);
    },
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap<unknown>(api.DELETE('/api/v1/session')),
    onSettled: () => {
      qc.clear();
      qc.setQueryData(qk.session, null);
    },
  });
}

/** safeNext keeps a ?next= target on this origin (never //host or a scheme). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/signin')) return '/';
  return next;
}
