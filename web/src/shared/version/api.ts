// Version actions shared by every screen that lists versions (home, versions, search):
// deploy, stop, extend, set dashboard variables. Each mutation patches the cache with what
// the server answered (or is known to have written); the live stream brings the rest.
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { qk } from '../api/queryKeys';
import type { Lifetime, Version } from '../api/models';
import type { components } from '../api/schema';
import { mapVersions } from '../live/applyEvent';

export interface VersionRef {
  projectId: string;
  id: string;
  name: string;
}

function pathOf(v: VersionRef) {
  return { params: { path: { id: v.projectId, vid: v.id } } };
}

function patch(qc: QueryClient, id: string, f: (v: Version) => Version) {
  mapVersions(qc, (v) => (v.id === id ? f(v) : v));
}

export async function deployVersion(qc: QueryClient, v: VersionRef): Promise<void> {
  await unwrap(api.POST('/api/v1/projects/{id}/versions/{vid}/deploy', pathOf(v)));
  patch(qc, v.id, (x) => ({ ...x, desiredState: 'Deployed', outdated: false, outdatedReasons: undefined, deployment: { ...x.deployment, status: 'Pending', message: '' } }));
  void qc.invalidateQueries({ queryKey: qk.deployments });
  void qc.invalidateQueries({ queryKey: qk.projects.all, refetchType: 'active' });
}

export async function stopVersion(qc: QueryClient, v: VersionRef): Promise<void> {
  await unwrap(api.POST('/api/v1/projects/{id}/versions/{vid}/stop', pathOf(v)));
  patch(qc, v.id, (x) => ({ ...x, desiredState: 'NotDeployed' }));
  void qc.invalidateQueries({ queryKey: qk.projects.all, refetchType: 'active' });
}

/** useSetVariables saves variables of a version at once (PUT …/variables). */
export function useSetVariables() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ v, values }: { v: VersionRef; values: Record<string, string> }) =>
      unwrap<Version>(api.PUT('/api/v1/projects/{id}/versions/{vid}/variables', { ...pathOf(v), body: values })),
    onSuccess: (nv) => patch(qc, nv.id, (x) => ({ ...x, templateVariables: nv.templateVariables, outdated: nv.outdated, outdatedReasons: nv.outdatedReasons })),
  });
}

/** useExtend restarts the lifetime clock (no body) or sets another lifetime. */
export function useExtend() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ v, lifetime }: { v: VersionRef; lifetime?: Lifetime }) =>
      unwrap<components['schemas']['ExtendAnswer']>(
        api.POST('/api/v1/projects/{id}/versions/{vid}/extend', { ...pathOf(v), body: lifetime ? { lifetimeBehaviour: lifetime } : {} }),
      ),
    onSuccess: (r, { v }) =>
      patch(qc, v.id, (x) =>
        r.version
          ? { ...x, lifetimeBehaviour: r.version.lifetimeBehaviour, deployment: { ...x.deployment, expiresAt: r.version.deployment.expiresAt } }
          : { ...x, deployment: { ...x.deployment, expiresAt: r.expiresAt ?? undefined } },
      ),
  });
}

/** runAll runs an action on several versions, at most 4 at once, and counts the outcomes. */
export async function runAll<T>(items: T[], f: (t: T) => Promise<unknown>): Promise<{ ok: number; failed: { item: T; error: unknown }[] }> {
  const failed: { item: T; error: unknown }[] = [];
  let ok = 0;
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await f(item);
        ok++;
      } catch (error) {
        failed.push({ item, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, items.length) }, worker));
  return { ok, failed };
}
