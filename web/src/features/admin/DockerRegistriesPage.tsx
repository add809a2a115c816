// Docker registries (ADMIN): the list, and creating one (its webhook secret is shown once).
import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { paths } from '../../app/paths';
import { useAT } from './messages';
import { EmptyState } from '../../shared/ui/EmptyState';
import { QueryState } from '../../shared/ui/QueryState';
import { useDockerRegistries } from './api';
import { YesNo } from './common';
import { CreateDockerDialog, type Saved } from './RegistryDialogs';
import { isWebhooksOnly } from './registryForm';

export function DockerRegistriesPage() {
  const t = useAT();
  const navigate = useNavigate();
  const regs = useDockerRegistries();
  const [creating, setCreating] = useState(false);
  const items = regs.data?.items ?? [];
  const onSaved = (s: Saved) => {
    setCreating(false);
    // The registry's page shows the new webhook secret once (then drops it from the history).
    navigate(paths.dockerRegistry(s.registry.id), { state: s.secret ? { secret: s.secret } : undefined });
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('admin.docker.title')}</Title>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
          {t('admin.docker.create')}
        </Button>
      </Group>
      <Text c="dimmed" size="sm">
        {t('admin.docker.intro')}
      </Text>
      <QueryState q={regs} />
      {regs.data && items.length === 0 && <EmptyState title={t('admin.docker.empty')}>{t('admin.docker.emptyText')}</EmptyState>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label={t('admin.docker.title')} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.reg.name')}</Table.Th>
                <Table.Th>{t('admin.reg.url')}</Table.Th>
                <Table.Th>{t('admin.docker.format')}</Table.Th>
                <Table.Th>{t('admin.docker.pollInterval')}</Table.Th>
                <Table.Th>{t('admin.docker.secretSet')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor component={Link} to={paths.dockerRegistry(r.id)} fw={600}>
                      {r.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{r.url}</Table.Td>
                  <Table.Td>{t(`admin.format.${r.webhookFormat ?? 'auto'}`)}</Table.Td>
                  <Table.Td>{isWebhooksOnly(r.pollInterval) ? t('admin.docker.webhooksOnly') : r.pollInterval}</Table.Td>
                  <Table.Td>
                    <YesNo value={r.hasWebhookSecret} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateDockerDialog opened={creating} onClose={() => setCreating(false)} onSaved={onSaved} />
    </Stack>
  );
}
