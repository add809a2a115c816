// Placeholders for screens that are still being built (administration, account): their
// routes exist so that links and deep links already work.
import { Stack, Text, Title } from '@mantine/core';
import { useT, type MessageKey } from '../../shared/i18n';

function Placeholder({ title }: { title: MessageKey }) {
  const t = useT();
  return (
    <Stack>
      <Title order={1}>{t(title)}</Title>
      <Text c="dimmed">{t('placeholder.text')}</Text>
    </Stack>
  );
}

export const AdminPlaceholder = () => <Placeholder title="placeholder.admin" />;
export const AccountPlaceholder = () => <Placeholder title="placeholder.account" />;
