// The logs screen against a fake API: pod and container pickers, the lines of the log in
// colour, the external-logging link, the empty state; a VIEWER reads logs but gets no link to
// the version editor. And the log view's auto-scroll pauses when the reader scrolls up.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { Route, Routes } from 'react-router';
import { renderWithProviders, testUser } from '../../test/render';
import { fakeApi, type Seen } from '../../test/fakeApi';
import { I18nProvider } from '../../shared/i18n';
import { LogsPage } from './LogsPage';
import { LogView } from './LogView';
import { LogBuffer } from './buffer';
import { makeFilter } from './filter';

let stop = () => {};
afterEach(() => {
  stop();
  vi.unstubAllGlobals();
});

const pod = {
  name: 'hello-abc',
  namespace: 'demo',
  phase: 'Running',
  ready: true,
  restarts: 0,
  node: 'kwok-node-0',
  release: 'r1',
  createdAt: '2026-01-01T00:00:00Z',
  containers: [
    { name: 'init-db', kind: 'init', image: 'x', ready: false, restarts: 0, state: 'terminated' },
    { name: 'hello', kind: 'regular', image: 'x', ready: true, restarts: 0, state: 'running', externalLogUrl: 'https://logs.example.test/demo/hello-abc/hello' },
  ],
};

const ui = (
  <Routes>
    <Route path="/projects/:projectId/versions/:versionId/logs" element={<LogsPage />} />
  </Routes>
);

function api(pods: unknown[]) {
  return fakeApi((r: Seen) => {
    if (r.path === '/api/v1/projects/p1') return { body: { id: 'p1', name: 'hello', status: 'Ok', createdAt: '', updatedAt: '' } };
    if (r.path === '/api/v1/projects/p1/versions/v1') return { body: { id: 'v1', projectId: 'p1', name: '1.0.0', deployment: { status: 'Running' } } };
    if (r.path === '/api/v1/projects/p1/versions/v1/pods') return { body: { items: pods, total: pods.length } };
    return undefined;
  });
}

describe('logs screen', { timeout: 60_000 }, () => {
  it('picks the running pod and its regular container and shows the log in colour', async () => {
    stop = api([pod]).stop;
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      asked.push(url);
      return new Response('\x1b[32mready\x1b[0m on :8080\nGET /healthz 200\n', { status: 200, headers: { 'Content-Type': 'text/plain' } });
    });
    renderWithProviders(ui, { user: testUser('VIEWER'), path: '/projects/p1/versions/v1/logs?follow=0' });
    await screen.findByRole('heading', { name: 'Logs of 1.0.0 (hello)' }, { timeout: 15_000 });
    expect((screen.getByRole('combobox', { name: 'Pod' }) as HTMLInputElement).value).toBe('hello-abc (Running)');
    expect((screen.getByRole('combobox', { name: 'Container' }) as HTMLInputElement).value).toBe('hello');
    const green = await screen.findByText('ready', undefined, { timeout: 15_000 });
    expect(green.className).toBe('ansi-fg-2');
    expect(screen.getByText('2 lines')).toBeTruthy();
    expect(asked[0]).toBe('/api/v1/projects/p1/versions/v1/pods/hello-abc/logs?container=hello&tailLines=500');
    expect(screen.getByRole('link', { name: 'External logging' }).getAttribute('href')).toBe('https://logs.example.test/demo/hello-abc/hello');
    expect(screen.getByRole('link', { name: 'Download' }).getAttribute('href')).toBe('/api/v1/projects/p1/versions/v1/pods/hello-abc/logs?container=hello&download=1');
    // A VIEWER reads logs, but the version is no link to the editor.
    expect(screen.queryByRole('link', { name: '1.0.0' })).toBeNull();
  });

  it("shows the server's problem when the log cannot be read", async () => {
    stop = api([pod]).stop;
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ title: 'x', detail: 'container "hello" has not started' }), { status: 400 }));
    renderWithProviders(ui, { user: testUser('DOER'), path: '/projects/p1/versions/v1/logs?follow=0' });
    await screen.findByText('container "hello" has not started', undefined, { timeout: 15_000 });
    expect(screen.getByText('The log cannot be read')).toBeTruthy();
    expect(screen.getByRole('link', { name: '1.0.0' })).toBeTruthy();
  });

  it('says so when the version has no pods', async () => {
    stop = api([]).stop;
    renderWithProviders(ui, { user: testUser('VIEWER'), path: '/projects/p1/versions/v1/logs' });
    await screen.findByRole('heading', { name: 'No pods' }, { timeout: 15_000 });
    expect(screen.queryByRole('log')).toBeNull();
  });
});

describe('log view', () => {
  it('follows new lines until the reader scrolls up, then counts them and jumps back', async () => {
    const buf = new LogBuffer();
    const view = (lines = buf.lines) => (
      <MantineProvider>
        <I18nProvider locale="en">
          <LogView lines={lines} filter={makeFilter('')} label="log" empty="empty" />
        </I18nProvider>
      </MantineProvider>
    );
    const r = render(view(buf.append(['a', 'b'])));
    const box = screen.getByRole('log', { name: 'log' });
    let top = 0;
    Object.defineProperty(box, 'scrollHeight', { configurable: true, get: () => 1000 });
    Object.defineProperty(box, 'clientHeight', { configurable: true, get: () => 200 });
    Object.defineProperty(box, 'scrollTop', { configurable: true, get: () => top, set: (v: number) => (top = Math.min(v, 800)) });
    r.rerender(view(buf.append(['c'])));
    expect(top).toBe(800); // stuck to the end
    top = 100;
    fireEvent.scroll(box);
    r.rerender(view(buf.append(['d', 'e'])));
    expect(top).toBe(100); // paused: the reader's place is kept
    const jump = await screen.findByRole('button', { name: '2 new lines: jump to the end' }, { timeout: 15_000 });
    act(() => jump.click());
    expect(top).toBe(800);
    await waitFor(() => expect(screen.queryByRole('button', { name: /jump to the end/ })).toBeNull(), { timeout: 15_000 });
  });
});
