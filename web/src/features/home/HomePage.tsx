// Home: the active deployments, grouped by project. Per version: status (outdated marker and
// why), when deployed and how old the image is, when it expires (with extend), its URLs, logs,
// the dashboard select variables and Deploy / Redeploy / Stop. A project filter remembered per
// user; empty states that say what to do next.
import { ActionIcon, Anchor, Button, Card, Group, MultiSelect, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { IconFileText } from '@tabler/icons-react';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { paths } from '../../app/paths';
import { useProjects } from '../../shared/api/queries';
import type { Project, Version } from '../../shared/api/models';
import { useCan, useUser } from '../../shared/auth/session';
import { useT } from '../../shared/i18n';
import { EmptyState } from '../../shared/ui/EmptyState';
import { QueryState } from '../../shared/ui/QueryState';
import { RelativeTime } from '../../shared/ui/RelativeTime';
import { DashboardVariables } from '../../shared/version/DashboardVariables';
import { ExtendControl } from '../../shared/version/ExtendControl';
import { VersionStatus } from '../../shared/version/StatusBadge';
import { UrlLinks } from '../../shared/version/UrlLinks';
import { VersionActions } from '../../shared/version/VersionActions';
import { useDeployments } from './api';
import { groupByProject } from './group';

function VersionRow({ v, project }: { v: Version; project: Project }) {
  const t = useT();
  return (
    <Table.Tr data-version={v.name}>
      <Table.Th scope="row">
        <Text fw={600}>{v.name}</Text>
      </Table.Th>
      <Table.Td className="nowrap">
        <VersionStatus v={v} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          <RelativeTime value={v.deployment.deployedAt} />
        </Text>
        <Text size="xs" c="dimmed">
          {t('version.imageAge')} <RelativeTime value={v.imageUpdatedAt} />
        </Text>
      </Table.Td>
      <Table.Td className="nowrap">
        <ExtendControl v={v} />
      </Table.Td>
      <Table.Td>
        <UrlLinks urls={v.urls} />
      </Table.Td>
      <Table.Td>
        <DashboardVariables v={v} project={project} />
      </Table.Td>
      <Table.Td className="nowrap">
        <Group gap={6} wrap="nowrap">
          <Tooltip label={t('version.logs')}>
            <ActionIcon component={Link} to={paths.logs(v.projectId, v.id)} variant="default" aria-label={`${t('version.logs')} ${v.name}`}>
              <IconFileText size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
          <VersionActions v={v} />
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function ProjectCard({ project, versions }: { project: Project; versions: Version[] }) {
  const t = useT();
  const name = project.name ?? project.id;
  return (
    <Card withBorder padding="sm" component="section" aria-labelledby={`home-project-${project.id}`}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id={`home-project-${project.id}`}>
          <Anchor component={Link} to={paths.project(project.id)} c="inherit">
            {name}
          </Anchor>
        </Title>
        <Text size="sm" c="dimmed">
          {t('home.count', { count: versions.length })}
        </Text>
      </Group>
      <Table.ScrollContainer minWidth={860}>
        <Table verticalSpacing={6} aria-labelledby={`home-project-${project.id}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('version.name')}</Table.Th>
              <Table.Th>{t('version.status')}</Table.Th>
              <Table.Th>{t('version.deployed')}</Table.Th>
              <Table.Th>{t('version.expires')}</Table.Th>
              <Table.Th>{t('version.urls')}</Table.Th>
              <Table.Th>{t('version.variables')}</Table.Th>
              <Table.Th>{t('version.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {versions.map((v) => (
              <VersionRow key={v.id} v={v} project={project} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

export function HomePage() {
  const t = useT();
  const user = useUser();
  const mayCreate = useCan('createProject');
  const q = useDeployments();
  const [filter, setFilter] = useLocalStorage<string[]>({ key: `oneko.home.projects.${user.id}`, defaultValue: [], getInitialValueInEffect: false });
  const projects = useMemo(() => q.data?.projects ?? [], [q.data]);
  const groups = useMemo(() => groupByProject(q.data?.items ?? [], projects, filter), [q.data, projects, filter]);
  const nothingDeployed = q.data && q.data.items.length === 0;
  const anyProject = useProjects({ limit: 1 });
  const noProjects = nothingDeployed && anyProject.data?.total === 0;
  const total = groups.reduce((n, g) => n + g.versions.length, 0);
  // Keep filter entries for projects that are not active right now, so the choice survives.
  const options = useMemo(() => {
    const known = new Map(projects.map((p) => [p.id, p.name ?? p.id]));
    for (const id of filter) if (!known.has(id)) known.set(id, id);
    return [...known.entries()].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
  }, [projects, filter]);

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{t('home.title')}</Title>
          {q.data && (
            <Text c="dimmed" size="sm" aria-live="polite">
              {t('home.count', { count: total })}
            </Text>
          )}
        </div>
        <MultiSelect
          label={t('home.filter')}
          placeholder={filter.length ? undefined : t('home.filterPlaceholder')}
          data={options}
          value={filter}
          onChange={setFilter}
          searchable
          clearable
          clearButtonProps={{ 'aria-label': t('action.clear') }}
          w={320}
          maw="100%"
        />
      </Group>
      <QueryState q={q} />
      {noProjects && (
        <EmptyState
          title={t('home.empty.title')}
          action={
            mayCreate ? (
              <Button component={Link} to={paths.newProject()}>
                {t('home.empty.createProject')}
              </Button>
            ) : undefined
          }
        >
          {t('home.empty.noProjects')}
        </EmptyState>
      )}
      {nothingDeployed && !noProjects && (
        <EmptyState
          title={t('home.empty.title')}
          action={
            <Button component={Link} to={paths.projects()}>
              {t('home.empty.projects')}
            </Button>
          }
        >
          {t('home.empty.text')}
        </EmptyState>
      )}
      {q.data && !nothingDeployed && groups.length === 0 && (
        <EmptyState
          title={t('home.empty.filtered')}
          action={
            <Button variant="default" onClick={() => setFilter([])}>
              {t('home.empty.clearFilter')}
            </Button>
          }
        />
      )}
      {groups.map((g) => (
        <ProjectCard key={g.project.id} project={g.project} versions={g.versions} />
      ))}
    </Stack>
  );
}
