// Versions of a project: filter (in the URL), newest image first, paged; columns to choose;
// per row deploy, stop and the dashboard select variables; select several to deploy or stop
// them together.
import { Anchor, Breadcrumbs, Button, Checkbox, Code, Group, Menu, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useDebouncedValue, useLocalStorage } from '@mantine/hooks';
import { IconColumns, IconEdit, IconSearch } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useProject, useVersions } from '../../shared/api/queries';
import type { Version } from '../../shared/api/models';
import { useCan } from '../../shared/auth/session';
import { useT, type MessageKey } from '../../shared/i18n';
import { paths } from '../../app/paths';
import { Pager } from '../../shared/ui/Pager';
import { QueryState } from '../../shared/ui/QueryState';
import { EmptyState } from '../../shared/ui/EmptyState';
import { RelativeTime } from '../../shared/ui/RelativeTime';
import { useUrlState } from '../../shared/ui/useUrlState';
import { VersionStatus } from '../../shared/version/StatusBadge';
import { UrlLinks } from '../../shared/version/UrlLinks';
import { VersionActions } from '../../shared/version/VersionActions';
import { DashboardVariables } from '../../shared/version/DashboardVariables';
import { ExtendControl } from '../../shared/version/ExtendControl';
import { BulkBar } from '../../shared/version/BulkBar';

const pageSize = 25;
const allColumns = ['imageUpdatedAt', 'digest', 'status', 'urls', 'deployed', 'expires', 'variables'] as const;
type Column = (typeof allColumns)[number];
const columnLabel: Record<Column, MessageKey> = {
  imageUpdatedAt: 'version.imageAge',
  digest: 'version.digest',
  status: 'version.status',
  urls: 'version.urls',
  deployed: 'version.deployed',
  expires: 'version.expires',
  variables: 'version.variables',
};

export function shortDigest(d: string): string {
  const hex = d.replace(/^sha256:/, '');
  return hex ? hex.slice(0, 12) : '—';
}

export function VersionsPage() {
  const t = useT();
  const { projectId = '' } = useParams();
  const [url, setUrl] = useUrlState({ q: '', page: '1' });
  const [q, setQ] = useState(url.q);
  const [debounced] = useDebouncedValue(q, 250);
  useEffect(() => {
    if (debounced !== url.q) setUrl({ q: debounced, page: '1' });
  }, [debounced, url.q, setUrl]);
  const page = Math.max(1, Number(url.page) || 1);
  const project = useProject(projectId);
  const versions = useVersions(projectId, { q: url.q || undefined, limit: pageSize, offset: (page - 1) * pageSize });
  const [columns, setColumns] = useLocalStorage<Column[]>({ key: 'oneko.versions.columns', defaultValue: [...allColumns] });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const mayEdit = useCan('editProject');
  const mayEditVersion = useCan('editVersion');
  const mayDeploy = useCan('deploy');

  const items = versions.data?.items ?? [];
  const byId = useMemo(() => new Map(items.map((v) => [v.id, v])), [items]);
  const selectedVersions = [...selected].map((id) => byId.get(id)).filter((v): v is Version => !!v);
  const show = (c: Column) => columns.includes(c);
  const name = project.data?.name ?? projectId;
  const allOnPage = items.length > 0 && items.every((v) => selected.has(v.id));

  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={paths.projects()}>
          {t('versions.back')}
        </Anchor>
        <Text>{name}</Text>
      </Breadcrumbs>
      <Group justify="space-between">
        <Title order={1}>{t('versions.title', { name })}</Title>
        {mayEdit && (
          <Button component={Link} to={paths.editProject(projectId)} variant="default" leftSection={<IconEdit size={16} aria-hidden />}>
            {t('versions.edit')}
          </Button>
        )}
      </Group>
      <QueryState q={project} />
      <Group justify="space-between">
        <TextInput
          leftSection={<IconSearch size={16} aria-hidden />}
          placeholder={t('versions.filter')}
          aria-label={t('versions.filter')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          w={280}
        />
        <Menu closeOnItemClick={false}>
          <Menu.Target>
            <Button variant="default" leftSection={<IconColumns size={16} aria-hidden />}>
              {t('versions.columns')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {allColumns.map((c) => (
              <Menu.Item key={c} onClick={() => setColumns(show(c) ? columns.filter((x) => x !== c) : [...columns, c])}>
                <Checkbox label={t(columnLabel[c])} checked={show(c)} readOnly tabIndex={-1} />
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      </Group>
      {mayDeploy && selectedVersions.length > 0 && (
        <BulkBar versions={selectedVersions} projectName={name} onDone={() => setSelected(new Set())} />
      )}
      <QueryState q={versions} />
      {versions.data && items.length === 0 && (
        <EmptyState title={url.q ? t('versions.empty') : t('versions.emptyNone', { image: project.data?.imageName ?? '' })} />
      )}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={800}>
          <Table highlightOnHover verticalSpacing="xs" aria-label={t('versions.title', { name })}>
            <Table.Thead>
              <Table.Tr>
                {mayDeploy && (
                  <Table.Th w={36}>
                    <Checkbox
                      aria-label={t('action.selectAll')}
                      checked={allOnPage}
                      indeterminate={!allOnPage && items.some((v) => selected.has(v.id))}
                      onChange={() => setSelected(allOnPage ? new Set() : new Set(items.map((v) => v.id)))}
                    />
                  </Table.Th>
                )}
                <Table.Th>{t('version.name')}</Table.Th>
                {allColumns.filter(show).map((c) => (
                  <Table.Th key={c}>{t(columnLabel[c])}</Table.Th>
                ))}
                <Table.Th>
                  <span className="visually-hidden">{t('version.actions')}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((v) => (
                <Table.Tr key={v.id} data-version={v.name}>
                  {mayDeploy && (
                    <Table.Td>
                      <Checkbox
                        aria-label={t('action.select', { name: v.name })}
                        checked={selected.has(v.id)}
                        onChange={() => {
                          const n = new Set(selected);
                          if (n.has(v.id)) n.delete(v.id);
                          else n.add(v.id);
                          setSelected(n);
                        }}
                      />
                    </Table.Td>
                  )}
                  <Table.Td>
                    {mayEditVersion ? (
                      <Anchor component={Link} to={paths.version(projectId, v.id)} fw={600}>
                        {v.name}
                      </Anchor>
                    ) : (
                      <Text fw={600}>{v.name}</Text>
                    )}
                  </Table.Td>
                  {show('imageUpdatedAt') && (
                    <Table.Td>
                      <RelativeTime value={v.imageUpdatedAt} />
                    </Table.Td>
                  )}
                  {show('digest') && (
                    <Table.Td>
                      <Tooltip label={v.digest || '—'}>
                        <Code>{shortDigest(v.digest)}</Code>
                      </Tooltip>
                    </Table.Td>
                  )}
                  {show('status') && (
                    <Table.Td className="nowrap">
                      <VersionStatus v={v} />
                    </Table.Td>
                  )}
                  {show('urls') && (
                    <Table.Td>
                      <UrlLinks urls={v.urls} />
                    </Table.Td>
                  )}
                  {show('deployed') && (
                    <Table.Td>
                      {v.desiredState === 'Deployed' ? <RelativeTime value={v.deployment.deployedAt} /> : <Text c="dimmed">—</Text>}
                    </Table.Td>
                  )}
                  {show('expires') && (
                    <Table.Td className="nowrap">{v.desiredState === 'Deployed' ? <ExtendControl v={v} /> : <Text c="dimmed">—</Text>}</Table.Td>
                  )}
                  {show('variables') && (
                    <Table.Td>
                      <DashboardVariables v={v} project={project.data} />
                    </Table.Td>
                  )}
                  <Table.Td className="nowrap">
                    <VersionActions v={v} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {versions.data && versions.data.total > 0 && (
        <Pager total={versions.data.total} page={page} pageSize={pageSize} onPage={(p) => setUrl({ page: String(p) })} />
      )}
    </Stack>
  );
}
