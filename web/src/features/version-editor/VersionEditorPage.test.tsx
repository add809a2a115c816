// The version editor against a fake API: an override is saved as a PATCH of only what changed,
// with If-Match; a 412 says someone else changed the version and reloads it; a VIEWER never
// sees the editor.
import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { renderWithProviders, testUser } from '../../test/render';
import { fakeApi, type Seen } from '../../test/fakeApi';
import { RequireRole } from '../../shared/auth/RequireRole';
import { VersionEditorPage } from './VersionEditorPage';

let stop = () => {};
afterEach(() => stop());

const project = {
  id: 'p1',
  name: 'hello',
  status: 'Ok',
  createdAt: '',
  updatedAt: '',
  namespace: 'demo',
  urlTemplates: ['http://{{DNS_VERSION_NAME}}.hello.local'],
  defaultLifetimeBehaviour: { type: 'UNTIL_TONIGHT' },
  defaultConfigurationTemplates: [{ id: 't1', name: 'hello', content: 'replicas: {{REPLICAS}}\n', chartName: 'hello' }],
  templateVariables: [{ name: 'REPLICAS', label: 'Replicas', defaultValue: '1', values: ['1', '2', '3'], useValues: true }],
};

function version(vars: Record<string, string> = {}) {
  return {
    id: 'v1',
    projectId: 'p1',
    name: '1.0.0',
    digest: '',
    imageUpdatedAt: '2026-01-01T00:00:00Z',
    createdAt: '2026-01-01T00:00:00Z',
    deploymentBehaviour: 'automatically',
    templateVariables: vars,
    urlTemplates: [],
    configurationTemplates: [],
    lifetimeBehaviour: { type: 'INHERIT' },
    namespace: '',
    desiredState: 'NotDeployed',
    outdated: false,
    urls: [],
    generation: 1,
    deployment: { status: 'NotDeployed', readyPods: 0, desiredPods: 0, releases: [] },
  };
}

const ui = (
  <Routes>
    <Route path="/projects/:projectId/versions/:versionId" element={<RequireRole ability="editVersion" />}>
      <Route index element={<VersionEditorPage />} />
    </Route>
    <Route path="/projects/:projectId/versions" element={<h1>Versions of the project</h1>} />
  </Routes>
);

function server(onPatch: (r: Seen) => { status?: number; body?: unknown; headers?: Record<string, string> }) {
  let current = { v: version(), etag: '"4"' };
  const f = fakeApi((r: Seen) => {
    if (r.method === 'GET' && r.path === '/api/v1/projects/p1') return { body: project };
    if (r.method === 'GET' && r.path === '/api/v1/projects/p1/versions/v1') return { body: current.v, headers: { ETag: current.etag } };
    if (r.method === 'GET' && r.path === '/api/v1/namespaces') return { body: { items: [], total: 0 } };
    if (r.method === 'GET' && r.path === '/api/v1/helm-registries') return { body: { items: [{ id: 'h1', name: 'charts' }], total: 1 } };
    if (r.method === 'GET' && r.path === '/api/v1/helm-registries/h1/charts')
      return { body: { charts: { hello: [{ version: '0.1.0', appVersion: '1', description: '' }], redis: [{ version: '7.0.0', appVersion: '7', description: '' }] } } };
    if (r.method === 'PATCH' && r.path === '/api/v1/projects/p1/versions/v1') {
      const a = onPatch(r);
      if (!a.status || a.status < 400) current = { v: a.body as ReturnType<typeof version>, etag: a.headers?.ETag ?? '"5"' };
      return a;
    }
    return undefined;
  });
  return { ...f, setCurrent: (v: ReturnType<typeof version>, etag: string) => (current = { v, etag }) };
}

async function overrideReplicas(value: string) {
  await userEvent.click(await screen.findByRole('tab', { name: 'Variables' }, { timeout: 15_000 }));
  const row = (await screen.findByText('Replicas', undefined, { timeout: 15_000 })).closest('tr')!;
  await userEvent.click(within(row as HTMLElement).getByRole('button', { name: 'Override Replicas' }));
  await userEvent.click(within(row as HTMLElement).getByRole('combobox', { name: 'Value of Replicas for this version' }));
  await userEvent.click(await screen.findByRole('option', { name: value, hidden: true }, { timeout: 15_000 }));
}

describe('version editor', { timeout: 60_000 }, () => {
  it('saves an override as a PATCH of only what changed, with If-Match', async () => {
    const f = server((r) => ({ body: { ...version((r.body as { templateVariables: Record<string, string> }).templateVariables) }, headers: { ETag: '"5"' } }));
    stop = f.stop;
    renderWithProviders(ui, { user: testUser('DOER'), path: '/projects/p1/versions/v1' });
    await screen.findByRole('heading', { name: 'Version 1.0.0 of hello' }, { timeout: 15_000 });
    await overrideReplicas('3');
    await screen.findByText('Unsaved changes', undefined, { timeout: 15_000 });
    // Leaving now would lose the change: the editor asks first.
    await userEvent.click(screen.getByRole('link', { name: 'hello' }));
    await screen.findByRole('dialog', { name: 'Leave without saving?' }, { timeout: 15_000 });
    await userEvent.click(screen.getByRole('button', { name: 'Stay and keep editing' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Leave without saving?' })).toBeNull(), { timeout: 15_000 });
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(f.seen.some((r) => r.method === 'PATCH')).toBe(true), { timeout: 15_000 });
    const patch = f.seen.find((r) => r.method === 'PATCH')!;
    expect(patch.headers.get('If-Match')).toBe('"4"');
    expect(patch.body).toEqual({ templateVariables: { REPLICAS: '3' } });
    await screen.findByText('No changes', undefined, { timeout: 15_000 });
    // Saved: leaving asks nothing.
    await userEvent.click(screen.getByRole('link', { name: 'hello' }));
    await screen.findByRole('heading', { name: 'Versions of the project' }, { timeout: 15_000 });
    expect(screen.queryByRole('dialog', { name: 'Leave without saving?' })).toBeNull();
  });

  it('adds a new template of the version’s own, with a chart from the Helm registry, and saves it', async () => {
    const f = server((r) => ({ body: { ...version(), configurationTemplates: (r.body as { configurationTemplates: unknown[] }).configurationTemplates }, headers: { ETag: '"5"' } }));
    stop = f.stop;
    renderWithProviders(ui, { user: testUser('DOER'), path: '/projects/p1/versions/v1?tab=templates' });
    await userEvent.click(await screen.findByRole('button', { name: 'Add a template' }, { timeout: 15_000 }));
    const form = screen.getByRole('region', { name: 'New template of this version' });
    await userEvent.click(within(form).getByRole('button', { name: 'Add template' }));
    expect(within(form).getByText('Give the template a name')).toBeTruthy(); // nothing added yet
    await userEvent.type(within(form).getByRole('textbox', { name: /^Name/ }), 'hello');
    expect(within(form).getByText(/A template of this name exists already/)).toBeTruthy(); // the project's: override it
    await userEvent.clear(within(form).getByRole('textbox', { name: /^Name/ }));
    await userEvent.type(within(form).getByRole('textbox', { name: /^Name/ }), 'cache');
    await userEvent.click(within(form).getByRole('combobox', { name: /^Chart\W*$/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'redis', hidden: true }, { timeout: 15_000 }));
    await userEvent.click(within(form).getByRole('button', { name: 'Add template' }));
    const added = await screen.findByRole('region', { name: /^cache/ }, { timeout: 15_000 });
    expect(within(added).getByText('This version only')).toBeTruthy();
    await userEvent.type(within(added).getByRole('textbox', { name: 'Template cache' }), 'maxmemory: 64mb');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(f.seen.some((r) => r.method === 'PATCH')).toBe(true), { timeout: 15_000 });
    const patch = f.seen.find((r) => r.method === 'PATCH')!;
    expect(patch.headers.get('If-Match')).toBe('"4"');
    expect(patch.body).toEqual({
      configurationTemplates: [{ name: 'cache', description: '', content: 'maxmemory: 64mb', chartName: 'redis', chartVersion: '', helmRegistryId: 'h1' }],
    });
    await screen.findByText('No changes', undefined, { timeout: 15_000 });
  });

  it('a 412 says someone else changed the version and reloads it', async () => {
    const f = server(() => ({ status: 412, body: { title: 'Changed by someone else', detail: 'the document changed since you read it' } }));
    stop = f.stop;
    renderWithProviders(ui, { user: testUser('DOER'), path: '/projects/p1/versions/v1' });
    await screen.findByRole('heading', { name: 'Version 1.0.0 of hello' }, { timeout: 15_000 });
    await overrideReplicas('2');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText(/Someone else changed this version since you opened it/, undefined, { timeout: 15_000 });
    f.setCurrent(version({ REPLICAS: '3' }), '"9"');
    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(screen.queryByText(/Someone else changed this version/)).toBeNull(), { timeout: 15_000 });
    // The draft now starts from the other person's version.
    const row = screen.getByText('Replicas').closest('tr') as HTMLElement;
    expect((within(row).getByRole('combobox', { name: 'Value of Replicas for this version' }) as HTMLInputElement).value).toBe('3');
    expect(screen.getByText('No changes')).toBeTruthy();
  });

  it('is "not found" for a VIEWER', async () => {
    stop = fakeApi(() => undefined).stop;
    renderWithProviders(ui, { user: testUser('VIEWER'), path: '/projects/p1/versions/v1' });
    await screen.findByRole('heading', { name: 'Page not found' }, { timeout: 15_000 });
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  });
});
