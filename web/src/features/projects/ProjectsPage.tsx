// Projects: a sortable, filterable, paginated table (name, status, image, versions, deployed); create
// (DOER) and import with a preview. Sort, filter and page live in the URL.
import { Anchor, Button, Group, Stack, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconChevronUp, IconPlus, IconSearch, IconUpload } from '@tabler/icons-react';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { paths } from '../../app/paths';
import { useCan } from '../../shared/auth/session';
import { useT, type MessageKey } from '../../shared/i18n';
import { EmptyState } from '../../shared/ui/EmptyState';
import { Pager } from '../../shared/ui/Pager';
import { QueryState } from '../../shared/ui/QueryState';
import { useUrlState } from '../../shared/ui/useUrlState';
import { StatusBadge } from '../../shared/version/StatusBadge';
import { useDeployments } from '../home/api';
import { useAllProjects } from './api';
import { ImportDialog } from './ImportDialog';
import { filterSort, type SortKey } from './sort';

const pageSize = 25;
const columns: [SortKey, MessageKey][] = [
  ['name', 'projects.col.name'],
  ['status', 'projects.col.status'],
  ['image', 'projects.col.image'],
  ['versions', 'projects.col.versions'],
  ['deployed', 'projects.col.deployed'],
];

export function ProjectsPage() {
  const t = useT();
  const [url, setUrl] = useUrlState({ q: '', sort: 'name', dir: 'asc', page: '1' });
  const projects = useAllProjects();
  const deployments = useDeployments();
  const mayCreate = useCan('createProject');
  const mayImport = useCan('importProject');
  const [importOpen, importDialog] = useDisclosure(false);
  const sort = (columns.some(([k]) => k === url.sort) ? url.sort : 'name') as SortKey;
  const desc = url.dir === 'desc';
  const rows = useMemo(() => {
    const deployed = new Map<string, number>();
    for (const v of deployments.data?.items ?? []) if (v.desiredState === 'Deployed') deployed.set(v.projectId, (deployed.get(v.projectId) ?? 0) + 1);
    return filterSort(
      (projects.data ?? []).map((project) => ({ project, deployed: deployed.get(project.id) ?? 0 })),
      url.q,
      sort,
      desc,
    );
  }, [projects.data, deployments.data, url.q, sort, desc]);
  const page = Math.max(1, Number(url.page) || 1);
  const shown = rows.slice((page - 1) * pageSize, page * pageSize);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('projects.title')}</Title>
        <Group gap="xs">
          {mayImport && (
            <Button variant="default" leftSection={<IconUpload size={16} aria-hidden />} onClick={importDialog.open}>
              {t('projects.import')}
            </Button>
          )}
          {mayCreate && (
            <Button component={Link} to={paths.newProject()} leftSection={<IconPlus size={16} aria-hidden />}>
              {t('projects.create')}
            </Button>
          )}
        </Group>
      </Group>
      <TextInput
        leftSection={<IconSearch size={16} aria-hidden />}
        placeholder={t('projects.filter')}
        aria-label={t('projects.filter')}
        value={url.q}
        onChange={(e) => setUrl({ q: e.currentTarget.value, page: '1' })}
        maw={320}
      />
      <QueryState q={projects} />
      {projects.data && rows.length === 0 && <EmptyState title={url.q ? t('projects.empty') : t('projects.emptyNone')} />}
      {shown.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table highlightOnHover aria-label={t('projects.title')}>
            <Table.Thead>
              <Table.Tr>
                {columns.map(([key, label]) => {
                  const active = sort === key;
                  const Icon = active && desc ? IconChevronDown : IconChevronUp;
                  return (
                    <Table.Th key={key} aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}>
                      <UnstyledButton
                        onClick={() => setUrl({ sort: key, dir: active && !desc ? 'desc' : 'asc', page: '1' })}
                        aria-label={t('projects.sortBy', { column: t(label) })}
                      >
                        <Group gap={4} wrap="nowrap">
                          <Text fw={700} size="sm">
                            {t(label)}
                          </Text>
                          <Icon size={14} aria-hidden style={{ opacity: active ? 1 : 0.3 }} />
                        </Group>
                      </UnstyledButton>
                    </Table.Th>
                  );
                })}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map(({ project: p, deployed }) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Anchor component={Link} to={paths.project(p.id)} fw={600}>
                      {p.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td className="nowrap">
                    <StatusBadge status={p.status} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{p.imageName}</Text>
                  </Table.Td>
                  <Table.Td>{p.versionCount ?? '—'}</Table.Td>
                  <Table.Td>{deployed}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {rows.length > 0 && <Pager total={rows.length} page={page} pageSize={pageSize} onPage={(n) => setUrl({ page: String(n) })} />}
      {mayImport && <ImportDialog opened={importOpen} onClose={importDialog.close} />}
    </Stack>
  );
}
