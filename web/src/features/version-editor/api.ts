// The version editor's server state: the version with its ETag (what a save sends as
// If-Match), the save, and the read-only answers (effective configuration, diff, Helm history,
// Kubernetes events, namespaces).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api/client';
import { ifMatch, isConflict, unwrapTagged } from '../../shared/api/etag';
import { qk } from '../../shared/api/queryKeys';
import type { Page, Version } from '../../shared/api/models';
import type { components } from '../../shared/api/schema';
import type { VersionPatch } from './draft';

type S = components['schemas'];
export type Rendered = S['Rendered'];
export type ReleaseDiff = S['ReleaseDiff'];
export type Revision = S['Revision'];
export type KubeEvent = S['Event'];
export type Namespace = S['Namespace'];

/** Editable is a version as read for editing, with the ETag of that revision. */
export interface Editable {
  version: Version;
  etag: string | null;
}

/** editorKeys are this screen's cache entries (outside qk.versions: the live stream patches
 * versions there, while a draft is based on exactly what was read). */
export const editorKeys = {
  all: (pid: string, vid: string) => ['version-editor', pid, vid] as const,
  version: (pid: string, vid: string) => ['version-editor', pid, vid, 'version'] as const,
  configuration: (pid: string, vid: string) => ['version-editor', pid, vid, 'configuration'] as const,
  diff: (pid: string, vid: string) => ['version-editor', pid, vid, 'diff'] as const,
  history: (pid: string, vid: string) => ['version-editor', pid, vid, 'history'] as const,
  events: (pid: string, vid: string) => ['version-editor', pid, vid, 'events'] as const,
  namespaces: ['namespaces'] as const,
};

function path(pid: string, vid: string) {
  return { params: { path: { id: pid, vid } } };
}

async function withETag(p: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<Editable> {
  const t = await unwrapTagged<Version>(p);
  return { version: t.data, etag: t.etag };
}

export function useEditableVersion(pid: string, vid: string) {
  return useQuery({
    queryKey: editorKeys.version(pid, vid),
    queryFn: () => withETag(api.GET('/api/v1/projects/{id}/versions/{vid}', path(pid, vid))),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

/** useVersion is the version as every screen caches it (kept current by the live stream). */
export function useVersion(pid: string, vid: string) {
  return useQuery({
    queryKey: qk.versions.one(pid, vid),
    // Read on every visit: status events do not carry the desired state another user changed.
    staleTime: 0,
    queryFn: () => unwrap<Version>(api.GET('/api/v1/projects/{id}/versions/{vid}', path(pid, vid))),
  });
}

export { isConflict };

export function useSaveVersion(pid: string, vid: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ patch, etag }: { patch: VersionPatch; etag: string | null }) =>
      withETag(
        api.PATCH('/api/v1/projects/{id}/versions/{vid}', {
          ...path(pid, vid),
          body: patch,
          headers: ifMatch(etag),
        }),
      ),
    onSuccess: (saved) => {
      qc.setQueryData(editorKeys.version(pid, vid), saved);
      void qc.invalidateQueries({ queryKey: qk.versions.all });
      void qc.invalidateQueries({ queryKey: editorKeys.configuration(pid, vid) });
      void qc.invalidateQueries({ queryKey: editorKeys.diff(pid, vid) });
    },
  });
}

export function useConfiguration(pid: string, vid: string, enabled: boolean) {
  return useQuery({
    queryKey: editorKeys.configuration(pid, vid),
    queryFn: () => unwrap<Rendered>(api.GET('/api/v1/projects/{id}/versions/{vid}/configuration', path(pid, vid))),
    enabled,
  });
}

export function useDiff(pid: string, vid: string, enabled: boolean) {
  return useQuery({
    queryKey: editorKeys.diff(pid, vid),
    queryFn: () => unwrap<Page<ReleaseDiff>>(api.GET('/api/v1/projects/{id}/versions/{vid}/diff', path(pid, vid))),
    enabled,
  });
}

export function useHistory(pid: string, vid: string, enabled: boolean) {
  return useQuery({
    queryKey: editorKeys.history(pid, vid),
    queryFn: () => unwrap<Page<Revision>>(api.GET('/api/v1/projects/{id}/versions/{vid}/history', path(pid, vid))),
    enabled,
  });
}

export function useKubeEvents(pid: string, vid: string, enabled: boolean) {
  return useQuery({
    queryKey: editorKeys.events(pid, vid),
    queryFn: () => unwrap<Page<KubeEvent>>(api.GET('/api/v1/projects/{id}/versions/{vid}/events', path(pid, vid))),
    enabled,
  });
}

export function useNamespaces() {
  return useQuery({
    queryKey: editorKeys.namespaces,
    queryFn: () => unwrap<Page<Namespace>>(api.GET('/api/v1/namespaces', { params: { query: { limit: 500 } } })),
    staleTime: 60_000,
  });
}
