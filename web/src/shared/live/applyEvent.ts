// The live-update store: applies one event of GET /api/v1/events to the TanStack Query
// cache, so every screen that shows a version sees its new status without polling. Events
// are notifications: where the cache cannot be patched exactly (a version it has never seen
// becomes active), the affected lists are invalidated and refetched instead.
import type { QueryClient } from '@tanstack/react-query';
import { qk } from '../api/queryKeys';
import type {
  Activity,
  ClusterStatus,
  Page,
  SearchResult,
  SystemStatus,
  Version,
  VersionRemovedEvent,
  VersionStatusEvent,
  WebhookDelivery,
  WebhookDeliveryEvent,
} from '../api/models';

export type LiveEvent =
  | { type: 'version.status'; data: VersionStatusEvent }
  | { type: 'version.created'; data: Version }
  | { type: 'version.removed'; data: VersionRemovedEvent }
  | { type: 'activity'; data: Activity }
  | { type: 'cluster.status'; data: ClusterStatus }
  | { type: 'webhook.delivery'; data: WebhookDeliveryEvent };

/** The server keeps this many deliveries per registry (api.MaxDeliveries). */
const maxDeliveries = 50;

/** isActive tells whether the home page lists a version (desired Deployed, or still busy). */
export function isActive(v: Pick<Version, 'desiredState' | 'deployment'>): boolean {
  const s = v.deployment.status;
  return v.desiredState === 'Deployed' || s === 'Pending' || s === 'Running' || s === 'Failed';
}

/** patchVersion applies a status event; fields the event leaves out (the worker does not
 * send the expiry it keeps) stay as they were. */
/** A NotDeployed status is recorded only when a stop has finished (worker/stop.go), so the
 * version is no longer desired either, whoever stopped it. */
function patchVersion(v: Version, e: VersionStatusEvent): Version {
  const stopped = e.deployment.status === 'NotDeployed';
  return {
    ...v,
    desiredState: stopped ? 'NotDeployed' : v.desiredState,
    deployment: { ...v.deployment, ...e.deployment },
    urls: e.urls ?? v.urls,
  };
}

function isPage(d: unknown): d is Page<Version> {
  return !!d && typeof d === 'object' && Array.isArray((d as Page<Version>).items);
}

function isSearch(d: unknown): d is SearchResult {
  return !!d && typeof d === 'object' && Array.isArray((d as SearchResult).versions);
}

/** mapVersions applies f to every cached version (lists, single versions, deployments, search);
 * f returns the version unchanged, a new version, or null to drop it. */
export function mapVersions(qc: QueryClient, f: (v: Version) => Version | null): void {
  const patchList = (items: Version[]): Version[] | undefined => {
    let changed = false;
    const out: Version[] = [];
    for (const v of items) {
      const n = f(v);
      if (n !== v) changed = true;
      if (n) out.push(n);
    }
    return changed ? out : undefined;
  };
  for (const key of [qk.versions.all, qk.deployments]) {
    qc.setQueriesData<unknown>({ queryKey: key }, (old: unknown) => {
      if (isPage(old)) {
        const items = patchList(old.items);
        return items ? { ...old, items, total: old.total - (old.items.length - items.length) } : old;
      }
      if (old && typeof old === 'object' && 'id' in old && 'deployment' in old) {
        return f(old as Version) ?? old;
      }
      return old;
    });
  }
  qc.setQueriesData<unknown>({ queryKey: ['search'] }, (old: unknown) => {
    if (!isSearch(old)) return old;
    const versions = patchList(old.versions);
    return versions ? { ...old, versions } : old;
  });
}

const projectRefresh = new WeakMap<QueryClient, ReturnType<typeof setTimeout>>();

/** refreshProjects refetches the shown project lists (their aggregated status) at most once a
 * second, however many versions change at once. */
function refreshProjects(qc: QueryClient) {
  if (projectRefresh.has(qc)) return;
  projectRefresh.set(
    qc,
    setTimeout(() => {
      projectRefresh.delete(qc);
      void qc.invalidateQueries({ queryKey: qk.projects.all, refetchType: 'active' });
    }, 1000),
  );
}

/** applyEvent updates the cache for one live event. */
export function applyEvent(qc: QueryClient, e: LiveEvent): void {
  switch (e.type) {
    case 'version.status': {
      let seenOnHome = false;
      const home = qc.getQueryData<Page<Version>>(qk.deployments);
      if (home) seenOnHome = home.items.some((v) => v.id === e.data.id);
      mapVersions(qc, (v) => (v.id === e.data.id ? patchVersion(v, e.data) : v));
      // A fetch in flight may have read the store before this change and would overwrite the
      // patch with older data when it lands: fetch those lists again, after the event.
      for (const key of [qk.deployments, qk.versions.all, ['search']]) {
        if (qc.isFetching({ queryKey: key }) > 0) void qc.invalidateQueries({ queryKey: key, refetchType: 'active' });
      }
      // A version that becomes busy and the home page has not seen: fetch the list again.
      // One that is neither desired nor busy any more leaves the home page.
      if (home && !seenOnHome && e.data.deployment.status !== 'NotDeployed') {
        void qc.invalidateQueries({ queryKey: qk.deployments });
      }
      if (home && seenOnHome) {
        qc.setQueryData<Page<Version>>(qk.deployments, (old) => {
          if (!old) return old;
          const items = old.items.filter((v) => v.id !== e.data.id || isActive(v));
          return items.length === old.items.length ? old : { ...old, items, total: items.length };
        });
      }
      // The aggregated status of projects moves with their versions.
      refreshProjects(qc);
      return;
    }
    case 'version.created':
      void qc.invalidateQueries({ queryKey: qk.versions.ofProject(e.data.projectId) });
      refreshProjects(qc);
      return;
    case 'version.removed':
      mapVersions(qc, (v) => (v.id === e.data.id ? null : v));
      void qc.invalidateQueries({ queryKey: qk.versions.ofProject(e.data.projectId) });
      return;
    case 'activity':
      qc.setQueryData<Activity[]>(qk.activities.incoming, (old) => [e.data, ...(old ?? [])].slice(0, 500));
      return;
    case 'cluster.status':
      qc.setQueryData<SystemStatus>(qk.system, (old) => ({ ...old, cluster: e.data }));
      if (e.data.state === 'ready') {
        // Deploys asked for while the cluster started run now: read their state again.
        void qc.invalidateQueries({ queryKey: qk.deployments });
        void qc.invalidateQueries({ queryKey: qk.versions.all });
      }
      return;
    case 'webhook.delivery': {
      // An open deliveries list shows it at once (newest first, capped as the server's).
      const key = qk.deliveries(e.data.registryId);
      qc.setQueryData<Page<WebhookDelivery>>(key, (old) => {
        if (!old) return old;
        const items = [e.data.delivery, ...old.items].slice(0, maxDeliveries);
        return { items, total: items.length };
      });
      if (qc.isFetching({ queryKey: key }) > 0) void qc.invalidateQueries({ queryKey: key, refetchType: 'active' });
      return;
    }
  }
}

/** parseEvent reads one SSE message; unknown types and bad JSON give null. */
export function parseEvent(type: string, data: string): LiveEvent | null {
  if (!['version.status', 'version.created', 'version.removed', 'activity', 'cluster.status', 'webhook.delivery'].includes(type)) return null;
  try {
    return { type, data: JSON.parse(data) } as LiveEvent;
  } catch {
    return null;
  }
}
