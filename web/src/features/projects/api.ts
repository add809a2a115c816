import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api/client';
import { qk } from '../../shared/api/queryKeys';
import type { Project } from '../../shared/api/models';
import type { components } from '../../shared/api/schema';

/** useAllProjects reads every project (pages of 500): the projects screen sorts and filters
 * them in the browser, by any column. */
export function useAllProjects() {
  return useQuery({
    queryKey: qk.projects.list({ limit: -1 }),
    queryFn: async () => {
      const all: Project[] = [];
      for (let offset = 0; ; offset += 500) {
        const page = await unwrap<components['schemas']['ProjectList']>(
          api.GET('/api/v1/projects', { params: { query: { limit: 500, offset } } }),
        );
        all.push(...page.items);
        if (page.items.length < 500 || all.length >= page.total) return all;
      }
    },
  });
}

export type ImportDoc = components['schemas']['ImportDoc'];

export function useRegistries(enabled: boolean) {
  const docker = useQuery({
    queryKey: ['docker-registries'],
    queryFn: () => unwrap<components['schemas']['DockerRegistryList']>(api.GET('/api/v1/docker-registries', { params: { query: { limit: 500 } } })),
    enabled,
  });
  const helm = useQuery({
    queryKey: ['helm-registries'],
    queryFn: () => unwrap<components['schemas']['HelmRegistryList']>(api.GET('/api/v1/helm-registries', { params: { query: { limit: 500 } } })),
    enabled,
  });
  return { docker, helm };
}

export function useImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ doc, dockerRegistryId, helmRegistryId }: { doc: ImportDoc; dockerRegistryId?: string; helmRegistryId?: string }) =>
      unwrap<Project>(
        api.POST('/api/v1/projects/import', {
          params: { query: { dockerRegistryId: dockerRegistryId || undefined, helmRegistryId: helmRegistryId || undefined } },
          body: doc,
        }),
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.projects.all }),
  });
}
