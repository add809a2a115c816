// Queries shared by several features. A feature's own queries live in its folder.
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { qk, type ListParams } from './queryKeys';
import type { Page, Project, Version } from './models';

export function useProject(id: string) {
  return useQuery({
    queryKey: qk.projects.one(id),
    queryFn: () => unwrap<Project>(api.GET('/api/v1/projects/{id}', { params: { path: { id } } })),
  });
}

export function useProjects(p: ListParams) {
  return useQuery({
    queryKey: qk.projects.list(p),
    queryFn: () => unwrap<Page<Project>>(api.GET('/api/v1/projects', { params: { query: p } })),
    placeholderData: keepPreviousData,
  });
}

export function useVersions(projectId: string, p: ListParams) {
  return useQuery({
    queryKey: qk.versions.list(projectId, p),
    queryFn: () =>
      unwrap<Page<Version>>(api.GET('/api/v1/projects/{id}/versions', { params: { path: { id: projectId }, query: p } })),
    placeholderData: keepPreviousData,
  });
}

/** useProjectNames reads the names of projects by id (each project cached on its own). */
export function useProjectNames(ids: string[]): Map<string, string> {
  const unique = [...new Set(ids)].slice(0, 50);
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: qk.projects.one(id),
      queryFn: () => unwrap<Project>(api.GET('/api/v1/projects/{id}', { params: { path: { id } } })),
      staleTime: 5 * 60_000,
    })),
  });
  const m = new Map<string, string>();
  results.forEach((r, i) => {
    if (r.data?.name) m.set(unique[i] as string, r.data.name);
  });
  return m;
}
