// One Helm registry (ADMIN): its settings and a chart browser (charts and their versions).
import { Anchor, Button, Group, NavLink, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconArrowLeft, IconPencil, IconRefresh, IconSearch, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { paths } from '../../app/paths';
import { useAT } from './messages';
import { EmptyState } from '../../shared/ui/EmptyState';
import { QueryState } from '../../shared/ui/QueryState';
import { useCharts, useHelmRegistry } from './api';
import { chartsOf } from './charts';
import { Mono, YesNo } from './common';
import { DeleteHelm } from './HelmRegistriesPage';
import { EditHelmDialog } from './RegistryDialogs';

export function HelmRegistryPage() {
  const t = useAT();
  const navigate = useNavigate();
  const { registryId = '' } = useParams();
  const q = useHelmRegistry(registryId);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const reg = q.data?.data;
  if (!reg) return <QueryState q={q} />;
  return (
    <Stack>
      <Anchor component={Link} to={paths.helmRegistries()} size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} aria-hidden />
          {t('admin.helm.back')}
        </Group>
      </Anchor>
      <Group justify="space-between">
        <Title order={2}>{t('admin.helm.titleOf', { name: reg.name ?? '' })}</Title>
        <Group gap="xs">
          <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={() => setEditing(true)}>
            {t('admin.edit')}
          </Button>
          <Button variant="default" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => setDeleting(true)}>
            {t('admin.delete')}
          </Button>
        </Group>
      </Group>
      <Paper withBorder p="md">
        <Table aria-label={t('admin.reg.settings')}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th scope="row" w="40%">
                {t('admin.reg.url')}
              </Table.Th>
              <Table.Td>
                <Mono>{reg.url}</Mono>
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">{t('admin.reg.username')}</Table.Th>
              <Table.Td>{reg.username || '—'}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">{t('admin.reg.passwordSet')}</Table.Th>
              <Table.Td>
                <YesNo value={reg.hasPassword} />
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Paper>
      <ChartBrowser id={reg.id} />
      {editing && <EditHelmDialog id={reg.id} name={reg.name ?? ''} onClose={() => setEditing(false)} />}
      {deleting && <DeleteHelm reg={reg} onClose={() => setDeleting(false)} onDeleted={() => navigate(paths.helmRegistries())} />}
    </Stack>
  );
}

function ChartBrowser({ id }: { id: string }) {
  const t = useAT();
  const q = useCharts(id);
  const [filter, setFilter] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const charts = chartsOf(q.data, filter);
  const chart = charts.find((c) => c.name === picked) ?? charts[0];
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {t('admin.charts.title')}
          </Title>
          <Button variant="default" size="xs" leftSection={<IconRefresh size={14} aria-hidden />} loading={q.isFetching} onClick={() => void q.refetch()}>
            {t('admin.refresh')}
          </Button>
        </Group>
        <QueryState q={q} />
        {q.data && Object.keys(q.data.charts).length === 0 && <EmptyState title={t('admin.charts.empty')} />}
        {q.data && Object.keys(q.data.charts).length > 0 && (
          <>
            <TextInput
              leftSection={<IconSearch size={16} aria-hidden />}
              aria-label={t('admin.charts.filter')}
              placeholder={t('admin.charts.filter')}
              value={filter}
              onChange={(e) => setFilter(e.currentTarget.value)}
              maw={320}
            />
            <Group align="flex-start" gap="md" wrap="wrap">
              <nav aria-label={t('admin.charts.list')} style={{ minWidth: 200, flex: '0 1 240px' }}>
                {charts.map((c) => (
                  <NavLink
                    key={c.name}
                    component="button"
                    label={
                      <>
                        {c.name}{' '}
                        <Text span size="xs">
                          ({t('admin.charts.versions', { count: c.versions.length })})
                        </Text>
                      </>
                    }
                    variant="filled"
                    active={c.name === chart?.name}
                    aria-current={c.name === chart?.name ? 'true' : undefined}
                    onClick={() => setPicked(c.name)}
                  />
                ))}
                {charts.length === 0 && <Text c="dimmed">{t('admin.charts.none')}</Text>}
              </nav>
              {chart && (
                <Table.ScrollContainer minWidth={420} style={{ flex: '1 1 420px' }}>
                  <Table aria-label={t('admin.charts.versionsOf', { name: chart.name })} verticalSpacing="xs">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('admin.charts.version')}</Table.Th>
                        <Table.Th>{t('admin.charts.appVersion')}</Table.Th>
                        <Table.Th>{t('admin.charts.description')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {chart.versions.map((v) => (
                        <Table.Tr key={v.version}>
                          <Table.Td fw={600}>{v.version}</Table.Td>
                          <Table.Td>{v.appVersion || '—'}</Table.Td>
                          <Table.Td>{v.description || '—'}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}
