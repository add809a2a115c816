import { Alert, Button, Center, Loader } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { problemMessage } from '../api/problem';
import { useT } from '../i18n';

/** QueryState shows a loader while a query is pending and the problem with a retry when it
 * failed; it renders nothing once there is data. */
export function QueryState({ q }: { q: Pick<UseQueryResult, 'isPending' | 'isError' | 'error' | 'refetch'> }) {
  const t = useT();
  if (q.isPending) {
    return (
      <Center p="xl">
        <Loader role="status" aria-label={t('app.loading')} />
      </Center>
    );
  }
  if (q.isError) {
    return (
      <Alert color="red" title={t('app.error.title')} role="alert">
        {problemMessage(q.error)}{' '}
        <Button size="compact-sm" variant="light" onClick={() => void q.refetch()}>
          {t('action.retry')}
        </Button>
      </Alert>
    );
  }
  return null;
}
