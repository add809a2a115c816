// Role visibility: a VIEWER never sees controls they cannot use.
import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { renderWithProviders, testUser } from '../../test/render';
import { qk } from '../api/queryKeys';
import type { Page, Project, Version } from '../api/models';
import { VersionsPage } from '../../features/versions/VersionsPage';
import { Navigation } from '../../app/Shell';
import { QueryClient } from '@tanstack/react-query';
import { Route, Routes } from 'react-router';

const project = {
  id: 'p1',
  name: 'hello',
  imageName: 'demo/hello',
  status: 'Ok',
  createdAt: '',
  updatedAt: '',
  templateVariables: [{ name: 'REPLICAS', label: 'Replicas', values: ['1', '2'], useValues: true, showOnDashboard: true, defaultValue: '1' }],
} as Project;

const version = {
  id: 'v1',
  projectId: 'p1',
  name: '1.1.0',
  digest: 'sha256:0123456789abcdef',
  imageUpdatedAt: '2026-01-01T00:00:00Z',
  desiredState: 'Deployed',
  outdated: false,
  urls: [],
  templateVariables: {},
  deployment: { status: 'Running', readyPods: 1, desiredPods: 1, releases: [] },
} as unknown as Version;

function seeded() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  qc.setQueryData(qk.projects.one('p1'), project);
  qc.setQueryData<Page<Version>>(qk.versions.list('p1', { q: undefined, limit: 25, offset: 0 }), { items: [version], total: 1 });
  return qc;
}

function versionsPage(role: 'VIEWER' | 'DOER' | 'ADMIN') {
  return renderWithProviders(
    <Routes>
      <Route path="/projects/:projectId/versions" element={<VersionsPage />} />
    </Routes>,
    { user: testUser(role), path: '/projects/p1/versions', qc: seeded() },
  );
}

describe('role visibility', () => {
  it('a VIEWER deploys, stops and sets dashboard variables but sees no edit control', async () => {
    versionsPage('VIEWER');
    await screen.findByRole('heading', { name: 'Versions of hello' });
    expect(screen.getByRole('button', { name: 'Redeploy 1.1.0' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Stop 1.1.0' })).toBeTruthy();
    expect((screen.getByRole('combobox', { name: 'Replicas (1.1.0)' }) as HTMLSelectElement).disabled).toBe(false);
    expect(screen.queryByRole('link', { name: 'Edit project' })).toBeNull();
    expect(screen.queryByRole('link', { name: '1.1.0' })).toBeNull();
  });

  it('a DOER also sees the project and version editors', async () => {
    versionsPage('DOER');
    await screen.findByRole('heading', { name: 'Versions of hello' });
    expect(screen.getByRole('link', { name: 'Edit project' })).toBeTruthy();
    expect(screen.getByRole('link', { name: '1.1.0' })).toBeTruthy();
  });

  it.each([
    ['VIEWER', false],
    ['DOER', false],
    ['ADMIN', true],
  ] as const)('the navigation of a %s shows Administration: %s', async (role, shown) => {
    renderWithProviders(<Navigation onNavigate={() => {}} />, { user: testUser(role) });
    await screen.findByRole('link', { name: 'Projects' });
    expect(screen.queryByRole('link', { name: 'Administration' }) !== null).toBe(shown);
  });
});
