// renderWithProviders mounts a component the way the app does (theme, i18n, query cache,
// router, signed-in user) for component tests.
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { I18nProvider } from '../shared/i18n';
import { qk } from '../shared/api/queryKeys';
import { RequireAuth } from '../shared/auth/session';
import type { Me } from '../shared/api/models';

export function testUser(role: Me['role']): Me {
  return { id: `u-${role}`, username: role.toLowerCase(), email: '', role };
}

export function renderWithProviders(ui: ReactNode, opts: { user?: Me; path?: string; qc?: QueryClient } = {}) {
  const qc = opts.qc ?? new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  if (opts.user) qc.setQueryData(qk.session, opts.user);
  const router = createMemoryRouter([{ path: '*', element: opts.user ? <RequireAuth>{ui}</RequireAuth> : ui }], {
    initialEntries: [opts.path ?? '/'],
  });
  const r = render(
    <MantineProvider>
      <I18nProvider locale="en">
        <QueryClientProvider client={qc}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </I18nProvider>
    </MantineProvider>,
  );
  return { ...r, qc, router };
}
