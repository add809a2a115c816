// The project editor's calls: the project with its ETag (for If-Match), what its selects
// offer (docker and Helm registries, charts, namespaces), save, export and delete.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api/client';
import { qk } from '../../shared/api/queryKeys';
import type { Project } from '../../shared/api/models';
import type { components } from '../../shared/api/schema';
import { ifMatch, unwrapTagged } from '../../shared/api/etag';
import type { ProjectBody } from './draft';

type S = components['schemas'];

/** The editor's copy of a project: read once when the editor opens (and on reload), never
 * refreshed behind the user's back, so that If-Match carries the revision they edit. Its key
 * is outside qk.projects on purpose: invalidating the projects must not reset the form. */
export function useEditedProject(id: string | undefined) {
  return useQuery({
    queryKey: ['project-editor', id],
    queryFn: () => unwrapTagged<Project>(api.GET('/api/v1/projects/{id}', { params: { path: { id: id as string } } })),
    enabled: !!id,
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

export function useDockerRegistries() {
  return useQuery({
    queryKey: [...qk.dockerRegistries, 'list'],
    queryFn: () => unwrap<S['DockerRegistryList']>(api.GET('/api/v1/docker-registries', { params: { query: { limit: 500 } } })),
  });
}

export function useHelmRegistries() {
  return useQuery({
    queryKey: [...qk.helmRegistries, 'list'],
    queryFn: () => unwrap<S['HelmRegistryList']>(api.GET('/api/v1/helm-registries', { params: { query: { limit: 500 } } })),
  });
}

/** useCharts lists the charts of a Helm registry and their versions. */
export function useCharts(helmRegistryId: string) {
  return useQuery({
    queryKey: [...qk.helmRegistries, 'charts', helmRegistryId],
    queryFn: () =>
      unwrap<S['ChartList']>(api.GET('/api/v1/helm-registries/{id}/charts', { params: { path: { id: helmRegistryId } } })),
    enabled: !!helmRegistryId,
    staleTime: 60_000,
  });
}

export function useNamespaces() {
  return useQuery({
    queryKey: [...qk.namespaces, 'list'],
    queryFn: () => unwrap<S['NamespaceList']>(api.GET('/api/v1/namespaces', { params: { query: { limit: 500 } } })),
  });
}

/** useSaveProject creates (no id) or replaces (id and the ETag it was read with) a project. */
export function useSaveProject() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, etag, body }: { id?: string; etag?: string | null; body: ProjectBody }) =>
      id
        ? unwrapTagged<Project>(
            api.PUT('/api/v1/projects/{id}', {
              params: { path: { id } },
              body: body as Project,
              headers: ifMatch(etag),
            }),
          )
        : unwrapTagged<Project>(api.POST('/api/v1/projects', { body: body as Project })),
    onSuccess: ({ data }) => {
      qc.setQueryData(qk.projects.one(data.id), data);
      void qc.invalidateQueries({ queryKey: qk.projects.all });
      void qc.invalidateQueries({ queryKey: qk.versions.ofProject(data.id) });
    },
  });
}

/** useDeleteProject deletes a project; the answer says whether deployments are being stopped first. */
export function useDeleteProject() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const r = await api.DELETE('/api/v1/projects/{id}', { params: { path: { id } } });
      await unwrap(Promise.resolve(r));
      return { stopping: r.response.status === 202 };
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.projects.all });
      void qc.invalidateQueries({ queryKey: qk.deployments });
    },
  });
}

/** exportProject reads a project's export document. */
export function exportProject(id: string) {
  return unwrap<S['ProjectExport']>(api.GET('/api/v1/projects/{id}/export', { params: { path: { id } } }));
}

/** download offers text as a file to save. */
export function download(filename: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
