// The logs screen's server state: the version's pods (with their containers and the
// external-logging links) and the URL of a container's log.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api/client';
import type { Page, Version } from '../../shared/api/models';
import { qk } from '../../shared/api/queryKeys';
import type { components } from '../../shared/api/schema';

export type Pod = components['schemas']['Pod'];
export type Container = components['schemas']['Container'];

export function usePods(pid: string, vid: string) {
  return useQuery({
    queryKey: ['logs', pid, vid, 'pods'],
    queryFn: () => unwrap<Page<Pod>>(api.GET('/api/v1/projects/{id}/versions/{vid}/pods', { params: { path: { id: pid, vid } } })),
  });
}

/** useVersion is the version as every screen caches it (kept current by the live stream). */
export function useVersion(pid: string, vid: string) {
  return useQuery({
    queryKey: qk.versions.one(pid, vid),
    // Read on every visit: status events do not carry the desired state another user changed.
    staleTime: 0,
    queryFn: () => unwrap<Version>(api.GET('/api/v1/projects/{id}/versions/{vid}', { params: { path: { id: pid, vid } } })),
  });
}

export interface LogParams {
  container: string;
  tailLines?: number;
  timestamps?: boolean;
  previous?: boolean;
  follow?: boolean;
  download?: boolean;
}

/** logUrl is the address of a container's log (same origin, the session cookie signs it). */
export function logUrl(pid: string, vid: string, pod: string, p: LogParams): string {
  const q = new URLSearchParams({ container: p.container });
  if (p.tailLines) q.set('tailLines', String(p.tailLines));
  if (p.timestamps) q.set('timestamps', 'true');
  if (p.previous) q.set('previous', 'true');
  if (p.follow) q.set('follow', 'true');
  if (p.download) q.set('download', '1');
  const e = encodeURIComponent;
  return `/api/v1/projects/${e(pid)}/versions/${e(vid)}/pods/${e(pod)}/logs?${q.toString()}`;
}

/** defaultContainer picks the container to show first: the first regular one. */
export function defaultContainer(p: Pod | undefined): string {
  if (!p) return '';
  return (p.containers.find((c) => c.kind === 'regular') ?? p.containers[0])?.name ?? '';
}

/** defaultPod picks the pod to show first: a running one, else the newest. */
export function defaultPod(pods: Pod[]): string {
  const running = pods.find((p) => p.phase === 'Running');
  if (running) return running.name;
  const newest = [...pods].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''))[0];
  return newest?.name ?? '';
}
