// The administration's server state: users, docker and Helm registries, namespaces. Lists are
// read whole (up to 500, the API's largest page: these collections are small); a document that
// is edited is read again with its ETag, and saved with If-Match.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api/client';
import { ifMatch, unwrapTagged, type Tagged } from '../../shared/api/etag';
import { qk } from '../../shared/api/queryKeys';
import type { components } from '../../shared/api/schema';

type S = components['schemas'];
export type User = S['User'];
export type UserChanged = S['UserChanged'];
export type DockerRegistry = S['DockerRegistry'];
export type HelmRegistry = S['HelmRegistry'];
export type Namespace = S['Namespace'];
export type WebhookDelivery = S['WebhookDelivery'];
export type CheckResult = S['CheckResult'];
export type ChartList = S['ChartList'];

/** Writable is what a form sends: the document without its read-only fields. */
export type Writable<T> = { -readonly [K in keyof T as K extends 'id' | 'createdAt' | 'updatedAt' | 'webhookUrl' | 'hasPassword' | 'hasWebhookSecret' ? never : K]?: T[K] };
export type UserInput = Writable<S['UserInput']>;
export type DockerInput = Writable<S['DockerRegistryInput']>;
export type HelmInput = Writable<S['HelmRegistryInput']>;

/** body hands a form's fields to the typed client, whose input types list read-only fields too. */
function body<T>(b: Writable<T>): T {
  return b as T;
}

const all = { params: { query: { limit: 500 } } };

// Users.
export function useUsers() {
  return useQuery({ queryKey: [...qk.users, 'list'], queryFn: () => unwrap<{ items: User[]; total: number }>(api.GET('/api/v1/users', all)) });
}

/** fetchUser reads a user with its ETag (before an edit). */
export function fetchUser(id: string): Promise<Tagged<User>> {
  return unwrapTagged<User>(api.GET('/api/v1/users/{id}', { params: { path: { id } } }));
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (u: UserInput) => unwrap<User>(api.POST('/api/v1/users', { body: body<S['UserInput']>(u) })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.users }),
  });
}

/** usePutUser saves a user (profile, role, or a new password) with If-Match. */
export function usePutUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, etag, user }: { id: string; etag: string | null; user: UserInput }) =>
      unwrap<UserChanged>(api.PUT('/api/v1/users/{id}', { params: { path: { id } }, headers: ifMatch(etag), body: body<S['UserInput']>(user) })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.users });
      void qc.invalidateQueries({ queryKey: qk.tokens });
    },
  });
}

export function useDeleteUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap<unknown>(api.DELETE('/api/v1/users/{id}', { params: { path: { id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.users }),
  });
}

// Docker registries.
export function useDockerRegistries() {
  return useQuery({
    queryKey: [...qk.dockerRegistries, 'list'],
    queryFn: () => unwrap<{ items: DockerRegistry[]; total: number }>(api.GET('/api/v1/docker-registries', all)),
  });
}

/** useDockerRegistry reads one registry with its ETag. */
export function useDockerRegistry(id: string) {
  return useQuery({
    queryKey: [...qk.dockerRegistries, 'one', id],
    queryFn: () => unwrapTagged<DockerRegistry>(api.GET('/api/v1/docker-registries/{id}', { params: { path: { id } } })),
  });
}

export function useSaveDockerRegistry() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, etag, reg }: { id?: string; etag?: string | null; reg: DockerInput }) =>
      id
        ? unwrap<DockerRegistry>(
            api.PUT('/api/v1/docker-registries/{id}', { params: { path: { id } }, headers: ifMatch(etag), body: body<S['DockerRegistryInput']>(reg) }),
          )
        : unwrap<DockerRegistry>(api.POST('/api/v1/docker-registries', { body: body<S['DockerRegistryInput']>(reg) })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.dockerRegistries }),
  });
}

export function useDeleteDockerRegistry() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap<unknown>(api.DELETE('/api/v1/docker-registries/{id}', { params: { path: { id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.dockerRegistries }),
  });
}

export function useCheckDockerRegistry() {
  return useMutation({
    mutationFn: (id: string) => unwrap<CheckResult>(api.POST('/api/v1/docker-registries/{id}/check', { params: { path: { id } } })),
  });
}

export function useDeliveries(id: string) {
  return useQuery({
    queryKey: qk.deliveries(id),
    queryFn: () => unwrap<{ items: WebhookDelivery[]; total: number }>(api.GET('/api/v1/docker-registries/{id}/deliveries', { params: { path: { id } } })),
    staleTime: 0,
    refetchOnWindowFocus: true,
  });
}

// Helm registries.
export function useHelmRegistries() {
  return useQuery({
    queryKey: [...qk.helmRegistries, 'list'],
    queryFn: () => unwrap<{ items: HelmRegistry[]; total: number }>(api.GET('/api/v1/helm-registries', all)),
  });
}

export function useHelmRegistry(id: string) {
  return useQuery({
    queryKey: [...qk.helmRegistries, 'one', id],
    queryFn: () => unwrapTagged<HelmRegistry>(api.GET('/api/v1/helm-registries/{id}', { params: { path: { id } } })),
  });
}

/** fetchHelmRegistry reads a registry with its ETag (before an edit). */
export function fetchHelmRegistry(id: string): Promise<Tagged<HelmRegistry>> {
  return unwrapTagged<HelmRegistry>(api.GET('/api/v1/helm-registries/{id}', { params: { path: { id } } }));
}

/** fetchDockerRegistry reads a registry with its ETag (before an edit). */
export function fetchDockerRegistry(id: string): Promise<Tagged<DockerRegistry>> {
  return unwrapTagged<DockerRegistry>(api.GET('/api/v1/docker-registries/{id}', { params: { path: { id } } }));
}

export function useCharts(id: string) {
  return useQuery({
    queryKey: [...qk.helmRegistries, 'charts', id],
    queryFn: () => unwrap<ChartList>(api.GET('/api/v1/helm-registries/{id}/charts', { params: { path: { id } } })),
  });
}

export function useSaveHelmRegistry() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, etag, reg }: { id?: string; etag?: string | null; reg: HelmInput }) =>
      id
        ? unwrap<HelmRegistry>(
            api.PUT('/api/v1/helm-registries/{id}', { params: { path: { id } }, headers: ifMatch(etag), body: body<S['HelmRegistryInput']>(reg) }),
          )
        : unwrap<HelmRegistry>(api.POST('/api/v1/helm-registries', { body: body<S['HelmRegistryInput']>(reg) })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.helmRegistries }),
  });
}

export function useDeleteHelmRegistry() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap<unknown>(api.DELETE('/api/v1/helm-registries/{id}', { params: { path: { id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.helmRegistries }),
  });
}

// Namespaces.
export function useNamespaces() {
  return useQuery({
    queryKey: [...qk.namespaces, 'list'],
    queryFn: () => unwrap<{ items: Namespace[]; total: number }>(api.GET('/api/v1/namespaces', all)),
  });
}

export function useCreateNamespace() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => unwrap<Namespace>(api.POST('/api/v1/namespaces', { body: { name } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.namespaces }),
  });
}

export function useDeleteNamespace() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap<unknown>(api.DELETE('/api/v1/namespaces/{id}', { params: { path: { id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.namespaces }),
  });
}
