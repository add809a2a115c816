// Query keys: one factory for the whole app, so that the live-update store and the
// features name the same cache entries. Lists are keyed by their parameters below a common
// prefix, so one invalidate reaches every page of a list.

export interface ListParams {
  q?: string;
  limit?: number;
  offset?: number;
}

export const qk = {
  session: ['session'] as const,
  /** The cluster's state (local mode serves before its cluster is up). */
  system: ['system'] as const,
  projects: {
    all: ['projects'] as const,
    list: (p: ListParams) => ['projects', 'list', p] as const,
    one: (id: string) => ['projects', 'one', id] as const,
  },
  versions: {
    all: ['versions'] as const,
    ofProject: (projectId: string) => ['versions', 'project', projectId] as const,
    list: (projectId: string, p: ListParams) => ['versions', 'project', projectId, p] as const,
    one: (projectId: string, id: string) => ['versions', 'one', projectId, id] as const,
  },
  deployments: ['deployments'] as const,
  /** Administration and account (each list and its documents under one prefix). */
  users: ['users'] as const,
  dockerRegistries: ['docker-registries'] as const,
  /** The last webhook deliveries of a docker registry (patched by webhook.delivery events). */
  deliveries: (registryId: string) => ['docker-registries', 'deliveries', registryId] as const,
  helmRegistries: ['helm-registries'] as const,
  namespaces: ['namespaces'] as const,
  tokens: ['tokens'] as const,
  search: (q: string, page?: { limit: number; offset: number }) => (page ? (['search', q, page] as const) : (['search', q] as const)),
  activities: {
    all: ['activities'] as const,
    list: (p: ListParams) => ['activities', 'list', p] as const,
    /** Activities that arrived live since the list was last loaded (newest first). */
    incoming: ['activities-incoming'] as const,
  },
};
