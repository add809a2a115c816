// Home: the active deployments, grouped by project. Per version: status (outdated marker and
// why), when deployed and how old the image is, when it expires (with extend), its URLs, logs,
// the dashboard select variables and Deploy / Redeploy / Stop. A project filter remembered per
// user; empty states that say what to do next.
import { ActionIcon, Button, Group, MultiSelect, Stack, Text, Title } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { IconFileText } from '@tabler/icons-react';
import { memo, useMemo } from 'react';
import { Link } from 'react-router';
import { paths } from '../../app/paths';
import { useProjects } from '../../shared/api/queries';
import type { Project, Version } from '../../shared/api/models';
import { useCan, useUser } from '../../shared/auth/session';
import { useT } from '../../shared/i18n';
import { EmptyState } from '../../shared/ui/EmptyState';
import { LazyTooltip } from '../../shared/ui/LazyTooltip';
import { QueryState } from '../../shared/ui/QueryState';
import { RelativeTime } from '../../shared/ui/RelativeTime';
import { DashboardVariables } from '../../shared/version/DashboardVariables';
import { ExtendControl } from '../../shared/version/ExtendControl';
import { VersionStatus } from '../../shared/version/StatusBadge';
import { UrlLinks } from '../../shared/version/UrlLinks';
import { VersionActions } from '../../shared/version/VersionActions';
import { useDeployments } from './api';
import { groupByProject, type ProjectGroup } from './group';
import classes from './home.module.css';

// Rendering: a live status event patches one version in the query cache (the others keep
// their identity), so the memoised rows and groups below re-render only where a version
// changed. Interactive pieces that need floating UI (tooltips, the extend popover, the URL
// menu) mount on first use (see LazyTooltip, ExtendControl, UrlLinks).

/** VersionRow is one version; it re-renders only when its version or project object changes. */
export const VersionRow = memo(function VersionRow({ v, project }: { v: Version; project: Project }) {
  const t = useT();
  const logs = `${t('version.logs')} ${v.name}`;
  return (
    <tr data-version={v.name}>
      <th scope="row">
        <span className={classes.name}>{v.name}</span>
      </th>
      <td className="nowrap">
        <VersionStatus v={v} />
      </td>
      <td>
        <p className={classes.sm}>
          <RelativeTime value={v.deployment.deployedAt} />
        </p>
        <p className={`${classes.xs} ${classes.dimmed}`}>
          {t('version.imageAge')} <RelativeTime value={v.imageUpdatedAt} />
        </p>
      </td>
      <td className="nowrap">
        <ExtendControl v={v} />
      </td>
      <td>
        <UrlLinks urls={v.urls} />
      </td>
      <td>
        <DashboardVariables v={v} project={project} />
      </td>
      <td className="nowrap">
        <div className={classes.cells}>
          <LazyTooltip label={t('version.logs')}>
            <ActionIcon component={Link} to={paths.logs(v.projectId, v.id)} variant="default" aria-label={logs}>
              <IconFileText size={16} aria-hidden />
            </ActionIcon>
          </LazyTooltip>
          <VersionActions v={v} />
        </div>
      </td>
    </tr>
  );
});

/** sameGroup tells whether a group shows the same project and the very same version objects. */
function sameGroup(a: { group: ProjectGroup }, b: { group: ProjectGroup }): boolean {
  const x = a.group;
  const y = b.group;
  return x.project === y.project && x.versions.length === y.versions.length && x.versions.every((v, i) => v === y.versions[i]);
}

/** ProjectCard is one project's section: its name, how many versions, and their rows. */
const ProjectCard = memo(function ProjectCard({ group }: { group: ProjectGroup }) {
  const t = useT();
  const { project, versions } = group;
  const name = project.name ?? project.id;
  const heading = `home-project-${project.id}`;
  return (
    <section className={classes.group} aria-labelledby={heading}>
      <div className={classes.head}>
        <h2 className={classes.title} id={heading}>
          <Link className="mantine-focus-auto" to={paths.project(project.id)}>
            {name}
          </Link>
        </h2>
        <p className={`${classes.sm} ${classes.dimmed}`}>{t('home.count', { count: versions.length })}</p>
      </div>
      <div className={classes.scroll}>
        <table className={classes.table} aria-labelledby={heading}>
          <thead>
            <tr>
              <th>{t('version.name')}</th>
              <th>{t('version.status')}</th>
              <th>{t('version.deployed')}</th>
              <th>{t('version.expires')}</th>
              <th>{t('version.urls')}</th>
              <th>{t('version.variables')}</th>
              <th>{t('version.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <VersionRow key={v.id} v={v} project={project} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}, sameGroup);

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
        <ProjectCard key={g.project.id} group={g} />
      ))}
    </Stack>
  );
}
