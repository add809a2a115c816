// A docker registry's page against a fake API: the webhook URL is formed for the browser when
// the server names no host, "check connection" shows the classified result in words, and the
// deliveries list their outcome.
import { afterEach, describe, expect, it } from 'vitest';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { renderWithProviders, testUser } from '../../test/render';
import { fakeApi, type Seen } from '../../test/fakeApi';
import { DockerRegistryPage } from './DockerRegistryPage';
import { applyEvent, parseEvent } from '../../shared/live/applyEvent';

let stop = () => {};
afterEach(() => stop());

const reg = {
  id: 'r1',
  name: 'team',
  url: 'https://registry.example.test',
  username: 'bot',
  insecure: false,
  pollInterval: '0s',
  webhookFormat: 'dockerhub',
  hasPassword: true,
  hasWebhookSecret: false,
  webhookUrl: 'http://:8080/api/v1/webhooks/r1',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '',
};

describe('docker registry page', { timeout: 30_000 }, () => {
  it('shows the webhook URL, the check’s classified result and the deliveries', async () => {
    const f = fakeApi((r: Seen) => {
      if (r.method === 'GET' && r.path === '/api/v1/docker-registries/r1') return { body: reg, headers: { ETag: '"1"' } };
      if (r.method === 'POST' && r.path === '/api/v1/docker-registries/r1/check')
        return { body: { ok: false, result: 'unauthorized', message: 'the registry refused the credentials (401): check username and password' } };
      if (r.method === 'GET' && r.path === '/api/v1/docker-registries/r1/deliveries')
        return {
          body: {
            items: [
              { time: '2026-12-01T10:00:00Z', format: 'dockerhub', status: 401, result: 'unauthorized', events: 0, enqueued: 0, duplicates: 0, error: 'missing or wrong webhook secret', remoteAddress: '10.0.0.9', bytes: 512 },
            ],
            total: 1,
          },
        };
      return undefined;
    });
    stop = f.stop;
    renderWithProviders(
      <Routes>
        <Route path="/admin/docker-registries/:registryId" element={<DockerRegistryPage />} />
      </Routes>,
      { user: testUser('ADMIN'), path: '/admin/docker-registries/r1' },
    );
    await screen.findByRole('heading', { name: 'Docker registry team' });
    const url = screen.getByRole('textbox', { name: 'Webhook URL' }) as HTMLInputElement;
    expect(url.value).toBe(`${window.location.origin}/api/v1/webhooks/r1`);
    expect(screen.getByText(/cannot set headers/)).toBeTruthy(); // Docker Hub: the secret goes in ?token=
    expect(screen.getByText(/No webhook secret is set/)).toBeTruthy();
    expect(screen.getByRole('row', { name: /Poll interval Never \(webhooks only\)/ })).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Check connection' }));
    await screen.findByText('The registry refused the credentials (401): check username and password.');
    expect(screen.getByText('The check failed')).toBeTruthy();
    expect(screen.getByText('unauthorized')).toBeTruthy(); // the class, as the server names it

    const deliveries = await screen.findByRole('table', { name: 'Last webhook deliveries' });
    expect(within(deliveries).getByText('Wrong secret · 401')).toBeTruthy();
    expect(within(deliveries).getByText('missing or wrong webhook secret')).toBeTruthy();
  });

  it('shows a delivery the live stream announces without reading the list again', async () => {
    let reads = 0;
    const f = fakeApi((r: Seen) => {
      if (r.method === 'GET' && r.path === '/api/v1/docker-registries/r1') return { body: { ...reg, hasWebhookSecret: true }, headers: { ETag: '"1"' } };
      if (r.method === 'GET' && r.path === '/api/v1/docker-registries/r1/deliveries') {
        reads++;
        return { body: { items: [], total: 0 } };
      }
      return undefined;
    });
    stop = f.stop;
    const { qc } = renderWithProviders(
      <Routes>
        <Route path="/admin/docker-registries/:registryId" element={<DockerRegistryPage />} />
      </Routes>,
      { user: testUser('ADMIN'), path: '/admin/docker-registries/r1' },
    );
    await screen.findByText('No webhook received yet', undefined, { timeout: 15_000 });
    // What the event stream does with an SSE message (shared/live/stream.ts).
    const delivery = { time: new Date().toISOString(), format: 'generic', status: 401, result: 'unauthorized', events: 0, enqueued: 0, duplicates: 0, error: 'missing or wrong webhook secret', remoteAddress: '10.0.0.7', bytes: 60 };
    act(() => applyEvent(qc, parseEvent('webhook.delivery', JSON.stringify({ registryId: 'r1', delivery }))!));
    const deliveries = await screen.findByRole('table', { name: 'Last webhook deliveries' }, { timeout: 15_000 });
    expect(within(deliveries).getByText('Wrong secret · 401')).toBeTruthy();
    expect(within(deliveries).getByText('10.0.0.7')).toBeTruthy();
    // Another registry's delivery does not show here.
    act(() => applyEvent(qc, { type: 'webhook.delivery', data: { registryId: 'r2', delivery: { ...delivery, remoteAddress: '10.0.0.8' } as never } }));
    expect(within(deliveries).queryByText('10.0.0.8')).toBeNull();
    expect(reads).toBe(1);
  });
});
