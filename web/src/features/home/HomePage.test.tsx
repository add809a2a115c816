// The home page re-renders only what a live event changed: a status change of one version
// renders that version's row again, not the other rows (with a hundred rows, a re-render of
// all of them on every event was the page's cost).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import { createElement } from 'react';
import { renderWithProviders, testUser } from '../../test/render';
import { qk } from '../../shared/api/queryKeys';
import type { DeploymentsAnswer, Project, Version } from '../../shared/api/models';
import { applyEvent } from '../../shared/live/applyEvent';
import { HomePage } from './HomePage';

// Counts the renders of each row: every row renders its version's status exactly once.
const renders = new Map<string, number>();
vi.mock('../../shared/version/StatusBadge', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../shared/version/StatusBadge')>();
  return {
    ...m,
    VersionStatus: (p: Parameters<typeof m.VersionStatus>[0]) => {
      renders.set(p.v.id, (renders.get(p.v.id) ?? 0) + 1);
      return createElement(m.VersionStatus, p);
    },
  };
});

const project = (id: string, name: string) => ({ id, name, templateVariables: [], urlTemplates: [] }) as unknown as Project;
const version = (id: string, projectId: string, name: string): Version =>
  ({
    id,
    projectId,
    name,
    desiredState: 'Deployed',
    templateVariables: {},
    urls: [`https://${id}.example`],
    imageUpdatedAt: '2026-01-01T10:00:00Z',
    deployment: { status: 'Running', deployedAt: '2026-01-01T11:00:00Z', expiresAt: '2026-01-02T11:00:00Z', readyPods: 1, desiredPods: 1, releases: [] },
  }) as unknown as Version;

function setUp() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  const answer = {
    items: [version('a1', 'a', '1.0.0'), version('a2', 'a', '2.0.0'), version('b1', 'b', '1.0.0')],
    projects: [project('a', 'alpha'), project('b', 'beta')],
    total: 3,
  } as DeploymentsAnswer;
  qc.setQueryData(qk.deployments, answer);
  qc.setQueryData(qk.projects.list({ limit: 1 }), { items: [answer.projects[0]], total: 2 });
  renderWithProviders(<HomePage />, { user: testUser('VIEWER'), qc });
  return qc;
}

describe('HomePage rendering', () => {
  beforeEach(() => renders.clear());

  it('a status change of one version re-renders that row only', async () => {
    const qc = setUp();
    await screen.findByRole('region', { name: 'beta' }, { timeout: 10_000 });
    expect(Object.fromEntries(renders)).toEqual({ a1: 1, a2: 1, b1: 1 });

    act(() =>
      applyEvent(qc, {
        type: 'version.status',
        data: { id: 'a2', projectId: 'a', name: '2.0.0', deployment: { status: 'Failed', message: 'CrashLoopBackOff', readyPods: 0, desiredPods: 1, releases: [] } },
      } as Parameters<typeof applyEvent>[1]),
    );

    const alpha = screen.getByRole('region', { name: 'alpha' });
    const row = within(alpha).getByText('2.0.0').closest('tr') as HTMLElement;
    await within(row).findByRole('group', { name: 'Status: Failed' }, { timeout: 10_000 });
    expect(Object.fromEntries(renders)).toEqual({ a1: 1, a2: 2, b1: 1 });
  }, 30_000);

  it('a version that leaves the page takes only its row with it', async () => {
    const qc = setUp();
    await screen.findByRole('region', { name: 'beta' }, { timeout: 10_000 });
    act(() =>
      applyEvent(qc, {
        type: 'version.status',
        data: { id: 'b1', projectId: 'b', name: '1.0.0', deployment: { status: 'NotDeployed', readyPods: 0, desiredPods: 0, releases: [] } },
      } as Parameters<typeof applyEvent>[1]),
    );
    await waitFor(() => expect(screen.queryByRole('region', { name: 'beta' })).toBeNull(), { timeout: 10_000 });
    expect(Object.fromEntries(renders)).toEqual({ a1: 1, a2: 1, b1: 1 });
  }, 30_000);
});
