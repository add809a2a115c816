import { Button, Stack, Text, Title } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { useT } from '../shared/i18n';

export function NotFound() {
  const t = useT();
  const loc = useLocation();
  return (
    <Stack align="flex-start" p="md">
      <Title order={1}>{t('app.notFound.title')}</Title>
      <Text>{t('app.notFound.text', { path: loc.pathname })}</Text>
      <Button component={Link} to="/">
        {t('app.notFound.home')}
      </Button>
    </Stack>
  );
}
