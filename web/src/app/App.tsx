// The application: providers (theme, i18n, query cache, live stream, toasts) and the router.
import './styles';
import './global.css';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { useState } from 'react';
import { I18nProvider } from '../shared/i18n';
import { SessionWatcher } from '../shared/auth/session';
import { colorSchemeManager, cssVariablesResolver, theme } from './theme';
import { newQueryClient } from './queryClient';
import { router } from './routes';

export function App() {
  const [qc] = useState(newQueryClient);
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" colorSchemeManager={colorSchemeManager} cssVariablesResolver={cssVariablesResolver}>
      <I18nProvider>
        <QueryClientProvider client={qc}>
          <SessionWatcher />
          <Notifications position="top-right" />
          <RouterProvider router={router} />
        </QueryClientProvider>
      </I18nProvider>
    </MantineProvider>
  );
}
