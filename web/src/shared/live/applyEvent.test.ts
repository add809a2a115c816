import { describe, expect, it, vi } from 'vitest';
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { applyEvent, isActive, parseEvent } from './applyEvent';
import { qk } from '../api/queryKeys';
import type { Activity, Page, SearchResult, Version, WebhookDelivery } from '../api/models';

function version(id: string, over: Partial<Version> = {}): Version {
  return {
    id,
    projectId: 'p1',
    name: id,
    digest: 'sha256:abc',
    imageUpdatedAt: '2026-01-01T00:00:00Z',
    createdAt: '2026-01-01T00:00:00Z',
    generation: 1,
    deploymentBehaviour: 'manually',
    templateVariables: {},
    urlTemplates: [],
    configurationTemplates: [],
    namespace: '',
    desiredState: 'NotDeployed',
    outdated: false,
    urls: [],
    deployment: { status: 'NotDeployed', readyPods: 0, desiredPods: 0, releases: [] },
    ...over,
  };
}

const running = { status: 'Running' as const, readyPods: 1, desiredPods: 1, releases: [] };

describe('applyEvent', () => {
  it('keeps the cluster state current and reads deployments again once the cluster is ready', () => {
    const qc = new QueryClient();
    qc.setQueryData(qk.system, { cluster: { state: 'waiting', message: 'building' } });
    qc.setQueryData<Page<Version>>(qk.deployments, { items: [], total: 0 });
    applyEvent(qc, { type: 'cluster.status', data: { state: 'starting', message: 'starting' } });
    expect(qc.getQueryData(qk.system)).toEqual({ cluster: { state: 'starting', message: 'starting' } });
    expect(qc.getQueryState(qk.deployments)?.isInvalidated).toBe(false);
    applyEvent(qc, { type: 'cluster.status', data: { state: 'ready' } });
    expect(qc.getQueryData(qk.system)).toEqual({ cluster: { state: 'ready' } });
    expect(qc.getQueryState(qk.deployments)?.isInvalidated).toBe(true);
    expect(parseEvent('cluster.status', '{"state":"ready"}')).toEqual({ type: 'cluster.status', data: { state: 'ready' } });
  });

  it('patches the status of a version in every cached list, single version and search result', () => {
    const qc = new QueryClient();
    const list = qk.versions.list('p1', { offset: 0 });
    qc.setQueryData<Page<Version>>(list, { items: [version('a'), version('b')], total: 2 });
    qc.setQueryData<Version>(qk.versions.one('p1', 'a'), version('a'));
    qc.setQueryData<SearchResult>(qk.search('a'), { projects: [], projectsTotal: 0, versions: [version('a')], total: 1 });
    qc.setQueryData<Page<Version>>(qk.deployments, { items: [version('a', { desiredState: 'Deployed' })], total: 1 });

    applyEvent(qc, { type: 'version.status', data: { id: 'a', deployment: running, urls: ['https://a.example'] } });

    expect(qc.getQueryData<Page<Version>>(list)?.items.map((v) => v.deployment.status)).toEqual(['Running', 'NotDeployed']);
    expect(qc.getQueryData<Page<Version>>(list)?.items[0]?.urls).toEqual(['https://a.example']);
    expect(qc.getQueryData<Version>(qk.versions.one('p1', 'a'))?.deployment.status).toBe('Running');
    expect(qc.getQueryData<SearchResult>(qk.search('a'))?.versions[0]?.deployment.status).toBe('Running');
    expect(qc.getQueryData<Page<Version>>(qk.deployments)?.items[0]?.deployment.status).toBe('Running');
  });

  it('keeps the expiry and deploy time when the event leaves them out', () => {
    const qc = new QueryClient();
    const deployed = { ...running, deployedAt: '2026-01-01T10:00:00Z', expiresAt: '2026-01-01T23:59:00Z' };
    qc.setQueryData<Page<Version>>(qk.deployments, { items: [version('a', { desiredState: 'Deployed', deployment: deployed })], total: 1 });
    applyEvent(qc, { type: 'version.status', data: { id: 'a', deployment: { status: 'Failed', message: 'boom', readyPods: 0, desiredPods: 1, releases: [] } } });
    expect(qc.getQueryData<Page<Version>>(qk.deployments)?.items[0]?.deployment).toMatchObject({ status: 'Failed', message: 'boom', expiresAt: deployed.expiresAt, deployedAt: deployed.deployedAt });
  });

  it('fetches a list again when an event arrives while it is being fetched (the fetch may be older)', async () => {
    const qc = new QueryClient();
    let calls = 0;
    let release: (v: Page<Version>) => void = () => {};
    const stale: Page<Version> = { items: [version('a', { desiredState: 'Deployed', deployment: { ...running, status: 'Pending' } })], total: 1 };
    const fresh: Page<Version> = { items: [version('a', { desiredState: 'Deployed', deployment: running })], total: 1 };
    qc.setQueryData(qk.deployments, stale); // loaded before (Pending), now being refetched
    const observer = new QueryObserver(qc, {
      queryKey: qk.deployments,
      queryFn: () => {
        calls++;
        return calls === 1 ? new Promise<Page<Version>>((r) => (release = r)) : Promise.resolve(fresh);
      },
    });
    const unsubscribe = observer.subscribe(() => {}); // an open page: the query is active and fetching
    applyEvent(qc, { type: 'version.status', data: { id: 'a', deployment: running } });
    release(stale);
    await vi.waitFor(() => expect(qc.getQueryData<Page<Version>>(qk.deployments)).toEqual(fresh));
    unsubscribe();
    expect(calls).toBe(2);
    expect(qc.getQueryData<Page<Version>>(qk.deployments)?.items[0]?.deployment.status).toBe('Running');
  });

  it('keeps URLs when the event carries none', () => {
    const qc = new QueryClient();
    qc.setQueryData<Page<Version>>(qk.deployments, { items: [version('a', { desiredState: 'Deployed', urls: ['https://x'] })], total: 1 });
    applyEvent(qc, { type: 'version.status', data: { id: 'a', deployment: running } });
    expect(qc.getQueryData<Page<Version>>(qk.deployments)?.items[0]?.urls).toEqual(['https://x']);
  });

  it('removes a version stopped elsewhere (its desired state unknown here) from the home page list', () => {
    const qc = new QueryClient();
    qc.setQueryData<Page<Version>>(qk.deployments, {
      items: [version('a', { desiredState: 'Deployed', deployment: running }), version('b', { desiredState: 'Deployed' })],
      total: 2,
    });
    applyEvent(qc, {
      type: 'version.status',
      data: { id: 'a', deployment: { status: 'NotDeployed', readyPods: 0, desiredPods: 0, releases: [] } },
    });
    expect(qc.getQueryData<Page<Version>>(qk.deployments)?.items.map((v) => v.id)).toEqual(['b']);
  });

  it('refetches the home page when a version it has not seen becomes busy', () => {
    const qc = new QueryClient();
    qc.setQueryData<Page<Version>>(qk.deployments, { items: [], total: 0 });
    applyEvent(qc, { type: 'version.status', data: { id: 'new', deployment: { ...running, status: 'Pending' } } });
    expect(qc.getQueryState(qk.deployments)?.isInvalidated).toBe(true);
  });

  it('drops a removed version and invalidates its project list', () => {
    const qc = new QueryClient();
    const list = qk.versions.list('p1', {});
    qc.setQueryData<Page<Version>>(list, { items: [version('a'), version('b')], total: 2 });
    applyEvent(qc, { type: 'version.removed', data: { id: 'a', projectId: 'p1' } });
    expect(qc.getQueryData<Page<Version>>(list)).toEqual({ items: [version('b')], total: 1 });
    expect(qc.getQueryState(list)?.isInvalidated).toBe(true);
  });

  it('invalidates the version lists of the project a version was created in, not others', () => {
    const qc = new QueryClient();
    qc.setQueryData<Page<Version>>(qk.versions.list('p1', {}), { items: [], total: 0 });
    qc.setQueryData<Page<Version>>(qk.versions.list('p2', {}), { items: [], total: 0 });
    applyEvent(qc, { type: 'version.created', data: version('c', { projectId: 'p1' }) });
    expect(qc.getQueryState(qk.versions.list('p1', {}))?.isInvalidated).toBe(true);
    expect(qc.getQueryState(qk.versions.list('p2', {}))?.isInvalidated).toBe(false);
  });

  it('counts incoming activities newest first', () => {
    const qc = new QueryClient();
    const a = (id: string): Activity => ({ id, time: '', priority: 'INFO', title: id, description: '', actor: 'x', entityType: 'version', entityId: '' });
    applyEvent(qc, { type: 'activity', data: a('1') });
    applyEvent(qc, { type: 'activity', data: a('2') });
    expect(qc.getQueryData<Activity[]>(qk.activities.incoming)?.map((x) => x.id)).toEqual(['2', '1']);
  });
});

describe('parseEvent', () => {
  it('reads known types and refuses unknown ones and bad JSON', () => {
    expect(parseEvent('activity', '{"id":"1"}')).toEqual({ type: 'activity', data: { id: '1' } });
    expect(parseEvent('other', '{}')).toBeNull();
    expect(parseEvent('version.status', '{')).toBeNull();
  });
});

describe('isActive', () => {
  it('lists desired Deployed and busy versions only', () => {
    expect(isActive(version('a', { desiredState: 'Deployed' }))).toBe(true);
    expect(isActive(version('a', { deployment: { ...running, status: 'Failed' } }))).toBe(true);
    expect(isActive(version('a'))).toBe(false);
  });
});

describe('webhook.delivery', () => {
  const d = (time: string, result: WebhookDelivery['result'] = 'queued'): WebhookDelivery => ({
    time,
    format: 'generic',
    status: result === 'queued' ? 202 : 401,
    result,
    events: 0,
    enqueued: 0,
    duplicates: 0,
    remoteAddress: '10.0.0.1',
    bytes: 10,
  });

  it('puts the delivery first in its registry’s cached list, capped at 50, and leaves other registries alone', () => {
    const qc = new QueryClient();
    const old = Array.from({ length: 50 }, (_, i) => d(`2026-01-01T00:00:${String(i).padStart(2, '0')}Z`));
    qc.setQueryData<Page<WebhookDelivery>>(qk.deliveries('r1'), { items: old, total: 50 });
    qc.setQueryData<Page<WebhookDelivery>>(qk.deliveries('r2'), { items: [], total: 0 });
    const e = parseEvent('webhook.delivery', JSON.stringify({ registryId: 'r1', delivery: d('2026-02-01T00:00:00Z', 'unauthorized') }));
    expect(e?.type).toBe('webhook.delivery');
    applyEvent(qc, e!);
    const got = qc.getQueryData<Page<WebhookDelivery>>(qk.deliveries('r1'))!;
    expect(got.items[0]).toMatchObject({ result: 'unauthorized', time: '2026-02-01T00:00:00Z' });
    expect(got.items).toHaveLength(50);
    expect(got.total).toBe(50);
    expect(qc.getQueryData<Page<WebhookDelivery>>(qk.deliveries('r2'))).toEqual({ items: [], total: 0 });
  });

  it('creates no list that nobody has read', () => {
    const qc = new QueryClient();
    applyEvent(qc, { type: 'webhook.delivery', data: { registryId: 'r1', delivery: d('2026-02-01T00:00:00Z') } });
    expect(qc.getQueryData(qk.deliveries('r1'))).toBeUndefined();
  });
});
