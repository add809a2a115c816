import { Alert, Button, Stack } from '@mantine/core';
import { useRouteError } from 'react-router';
import { useT } from '../shared/i18n';
import { problemMessage } from '../shared/api/problem';

/** RouteError shows an error a screen threw (or a chunk that failed to load), with a retry. */
export function RouteError() {
  const t = useT();
  const err = useRouteError();
  return (
    <Stack p="md" maw={640}>
      <Alert color="red" title={t('app.error.title')} role="alert">
        {problemMessage(err)}
      </Alert>
      <Button onClick={() => window.location.reload()}>{t('app.error.retry')}</Button>
    </Stack>
  );
}
