// The project editor against a fake API: a save sends the whole project with If-Match set to
// the ETag it was read with; a 412 says someone else changed it and reloads on request; a 422
// shows the server's detail and puts its field messages on the fields; a VIEWER never sees it.
import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { renderWithProviders, testUser } from '../../test/render';
import { fakeApi, type Seen } from '../../test/fakeApi';
import { RequireRole } from '../../shared/auth/RequireRole';
import { ProjectEditorPage } from './ProjectEditorPage';

let stop = () => {};
afterEach(() => stop());

const project = {
  id: 'p1',
  name: 'shop',
  dockerRegistryId: 'd1',
  imageName: 'team/shop',
  namespace: '',
  newVersionsDeploymentBehaviour: 'manually',
  urlTemplates: ['https://{{SAFE_VERSION_NAME}}.shop.test'],
  defaultConfigurationTemplates: [{ id: 't1', name: 'web', description: '', content: 'replicas: {{REPLICAS}}\n', chartName: 'hello', chartVersion: '', helmRegistryId: 'h1' }],
  templateVariables: [{ id: 'v1', name: 'REPLICAS', label: 'Replicas', defaultValue: '1', values: ['1', '2'], useValues: true, showOnDashboard: true }],
  defaultLifetimeBehaviour: { type: 'UNTIL_TONIGHT' },
  status: 'NotDeployed',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

function fake(put: (r: Seen, n: number) => { status?: number; body?: unknown; headers?: Record<string, string> }) {
  let puts = 0;
  let gets = 0;
  const f = fakeApi((r) => {
    if (r.method === 'GET' && r.path === '/api/v1/projects/p1') {
      gets++;
      return { body: gets === 1 ? project : { ...project, newVersionsDeploymentBehaviour: 'automatically' }, headers: { ETag: `"${gets}"` } };
    }
    if (r.method === 'GET' && r.path === '/api/v1/docker-registries') return { body: { items: [{ id: 'd1', name: 'reg', url: 'https://registry.test:5000' }], total: 1 } };
    if (r.method === 'GET' && r.path === '/api/v1/helm-registries') return { body: { items: [{ id: 'h1', name: 'charts' }], total: 1 } };
    if (r.method === 'GET' && r.path === '/api/v1/helm-registries/h1/charts') return { body: { charts: { hello: [{ version: '0.1.0', appVersion: '1', description: '' }] } } };
    if (r.method === 'GET' && r.path === '/api/v1/namespaces') return { body: { items: [], total: 0 } };
    if (r.method === 'GET' && r.path === '/api/v1/deployments') return { body: { items: [] } };
    if (r.method === 'PUT' && r.path === '/api/v1/projects/p1') return put(r, ++puts);
    return undefined;
  });
  stop = f.stop;
  return f;
}

function editor(role: 'VIEWER' | 'DOER' = 'DOER') {
  return renderWithProviders(
    <Routes>
      <Route path="/projects/:projectId/edit" element={<RequireRole ability="editProject" />}>
        <Route index element={<ProjectEditorPage />} />
      </Route>
      <Route path="/projects/:projectId/versions" element={<h1>Versions</h1>} />
    </Routes>,
    { user: testUser(role), path: '/projects/p1/edit' },
  );
}

describe('project editor', { timeout: 60_000 }, () => {
  it('saves with If-Match; a 412 says someone else changed it and reloads', async () => {
    const user = userEvent.setup({ delay: null });
    const f = fake((_r, n) => (n === 1 ? { status: 412, body: { title: 'Changed by someone else', detail: 'read it again' } } : { body: project, headers: { ETag: '"3"' } }));
    editor();
    await screen.findByRole('heading', { name: 'Edit project shop' });
    await screen.findByText('https://123.shop.test'); // the URL preview for the sample tag 1.2.3
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(f.seen.filter((r) => r.method === 'PUT')).toHaveLength(1));
    const put = f.seen.find((r) => r.method === 'PUT')!;
    expect(put.headers.get('If-Match')).toBe('"1"');
    expect(put.body).toMatchObject({
      name: 'shop',
      urlTemplates: ['https://{{SAFE_VERSION_NAME}}.shop.test'],
      templateVariables: [{ id: 'v1', name: 'REPLICAS', values: ['1', '2'], useValues: true }],
      defaultConfigurationTemplates: [{ id: 't1', name: 'web', chartName: 'hello', helmRegistryId: 'h1' }],
    });
    expect(put.body).not.toHaveProperty('status');

    await user.click(await screen.findByRole('button', { name: 'Reload the project' }));
    await waitFor(() => expect((screen.getByRole('radio', { name: 'Redeploy automatically' }) as HTMLInputElement).checked).toBe(true));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(f.seen.filter((r) => r.method === 'PUT')).toHaveLength(2));
    expect(f.seen.filter((r) => r.method === 'PUT')[1]!.headers.get('If-Match')).toBe('"2"');
  });

  it('shows the detail of a 422 and its field messages on the fields', async () => {
    const user = userEvent.setup({ delay: null });
    fake(() => ({
      status: 422,
      body: { title: 'Invalid', detail: 'namespace: namespace "on-x" is not defined', fields: [{ field: 'imageName', message: 'not in the registry' }] },
    }));
    editor();
    await screen.findByRole('heading', { name: 'Edit project shop' });
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findAllByText('namespace: namespace "on-x" is not defined')).length).toBeGreaterThan(0);
    expect(screen.getByText('not in the registry')).toBeTruthy();
  });

  it('checks in the browser before saving and sends nothing while something is wrong', async () => {
    const user = userEvent.setup({ delay: null });
    const f = fake(() => ({ body: project }));
    editor();
    await screen.findByRole('heading', { name: 'Edit project shop' });
    await user.clear(screen.getByLabelText(/^Image/));
    await user.type(screen.getByLabelText(/^Image/), 'Team/Shop');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findAllByText(/A repository name such as team\/app/)).length).toBeGreaterThan(0);
    expect(screen.getAllByText('Fix 1 problem before saving').length).toBeGreaterThan(0);
    expect(f.seen.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('is "not found" for a VIEWER', async () => {
    fake(() => ({}));
    editor('VIEWER');
    await screen.findByRole('heading', { name: 'Page not found' });
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  });

  it('asks before leaving with unsaved changes; not when nothing changed, nor after a save', async () => {
    const user = userEvent.setup({ delay: null });
    fake(() => ({ body: { ...project, name: 'shop2' }, headers: { ETag: '"2"' } }));
    const { router } = editor();
    await screen.findByRole('heading', { name: 'Edit project shop' }, { timeout: 15_000 });
    await screen.findByText('https://123.shop.test', undefined, { timeout: 15_000 });
    await user.type(screen.getByRole('textbox', { name: 'Name' }), '2');
    await user.click(screen.getByRole('link', { name: 'Cancel' }));
    await screen.findByRole('dialog', { name: 'Leave without saving?' }, { timeout: 15_000 });
    await user.click(screen.getByRole('button', { name: 'Stay and keep editing' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Leave without saving?' })).toBeNull(), { timeout: 15_000 });
    expect(router.state.location.pathname).toBe('/projects/p1/edit');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByRole('heading', { name: 'Edit project shop2' }, { timeout: 15_000 });
    await user.click(screen.getByRole('link', { name: 'Cancel' }));
    await screen.findByRole('heading', { name: 'Versions' }, { timeout: 15_000 });
    expect(screen.queryByRole('dialog', { name: 'Leave without saving?' })).toBeNull();
  });
});
