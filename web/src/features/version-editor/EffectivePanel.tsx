// The effective configuration of the saved version (rendered values per release, the URLs and
// the variables in effect) and what a deploy would change against what is deployed (unified
// diffs of values and manifests per release, as the server computes them).
import { Alert, Anchor, Badge, Card, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { Project, Version } from '../../shared/api/models';
import { useT } from '../../shared/i18n';
import { useVT, type Key } from './messages';
import { EmptyState } from '../../shared/ui/EmptyState';
import { QueryState } from '../../shared/ui/QueryState';
import { badgeStyle } from '../../shared/version/StatusBadge';
import { useConfiguration, useDiff, type ReleaseDiff } from './api';
import { DiffView, YamlView } from './CodeView';
import { diffStats, parseDiff } from './diff';
import { variableRows } from './draft';

function SavedOnly({ dirty }: { dirty: boolean }) {
  const vt = useVT();
  if (!dirty) return null;
  return (
    <Alert color="blue" icon={<IconInfoCircle size={18} aria-hidden />}>
      {vt('versionEditor.savedOnly')}
    </Alert>
  );
}

export function ConfigurationPanel({ projectId, version, project, dirty }: { projectId: string; version: Version; project: Project; dirty: boolean }) {
  const t = useT();
  const vt = useVT();
  const q = useConfiguration(projectId, version.id, true);
  const vars = variableRows(project, version.templateVariables ?? {});
  return (
    <Stack>
      <SavedOnly dirty={dirty} />
      <QueryState q={q} />
      {q.data && (
        <>
          <section aria-labelledby="effective-vars">
            <Title order={2} size="h4" id="effective-vars" mb="xs">
              {vt('versionEditor.effective.variables')}
            </Title>
            {vars.length === 0 ? (
              <Text size="sm" c="dimmed">
                {vt('versionEditor.variables.none')}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={420}>
                <Table verticalSpacing={4} aria-labelledby="effective-vars">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{vt('versionEditor.variables.name')}</Table.Th>
                      <Table.Th>{vt('versionEditor.effective.value')}</Table.Th>
                      <Table.Th>{vt('versionEditor.effective.source')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {vars.map((r) => (
                      <Table.Tr key={r.name} data-variable={r.name}>
                        <Table.Th scope="row" ff="monospace" fw={600}>
                          {r.name}
                        </Table.Th>
                        <Table.Td ff="monospace">{r.effective}</Table.Td>
                        <Table.Td>
                          {r.override !== undefined ? vt('versionEditor.effective.fromVersion') : vt('versionEditor.effective.fromProject')}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </section>
          <section aria-labelledby="effective-urls">
            <Title order={2} size="h4" id="effective-urls" mb="xs">
              {t('version.urls')}
            </Title>
            {q.data.urls.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('version.noUrls')}
              </Text>
            ) : (
              <List size="sm">
                {q.data.urls.map((u) => (
                  <List.Item key={u}>
                    <Anchor href={u} target="_blank" rel="noreferrer">
                      {u}
                    </Anchor>
                  </List.Item>
                ))}
              </List>
            )}
          </section>
          {q.data.releases.length === 0 && <EmptyState title={vt('versionEditor.templates.none')} />}
          {q.data.releases.map((r) => (
            <Card key={r.name} withBorder component="section" aria-label={vt('versionEditor.effective.release', { name: r.name })} data-release={r.name}>
              <Group gap="xs" mb="xs">
                <Title order={2} size="h4">
                  {vt('versionEditor.effective.release', { name: r.name })}
                </Title>
                <Text size="sm" c="dimmed">
                  {vt('versionEditor.effective.releaseInfo', { template: r.template, chart: r.chart || '—', namespace: r.namespace })}
                </Text>
              </Group>
              <YamlView text={r.values} label={vt('versionEditor.effective.values', { name: r.name })} />
            </Card>
          ))}
        </>
      )}
    </Stack>
  );
}

const changeColor: Record<ReleaseDiff['change'], string> = { unchanged: 'gray', changed: 'orange', new: 'green', removed: 'red' };
const changeLabel: Record<ReleaseDiff['change'], Key> = {
  unchanged: 'versionEditor.diff.unchanged',
  changed: 'versionEditor.diff.changed',
  new: 'versionEditor.diff.new',
  removed: 'versionEditor.diff.removed',
};

function DiffBlock({ title, diff, label }: { title: string; diff: string; label: string }) {
  const vt = useVT();
  const lines = parseDiff(diff);
  const { added, removed } = diffStats(lines);
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Text fw={600} size="sm">
          {title}
        </Text>
        {lines.length > 0 && (
          <Text size="xs" c="dimmed">
            {vt('versionEditor.diff.stats', { added, removed })}
          </Text>
        )}
      </Group>
      {lines.length === 0 ? (
        <Text size="sm" c="dimmed">
          {vt('versionEditor.diff.noChange')}
        </Text>
      ) : (
        <DiffView diff={diff} label={label} />
      )}
    </Stack>
  );
}

export function DiffPanel({ projectId, version, dirty }: { projectId: string; version: Version; dirty: boolean }) {
  const vt = useVT();
  const q = useDiff(projectId, version.id, true);
  const items = q.data?.items ?? [];
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {vt('versionEditor.diff.hint')}
      </Text>
      <SavedOnly dirty={dirty} />
      <QueryState q={q} />
      {q.data && items.length === 0 && <EmptyState title={vt('versionEditor.diff.nothing')} />}
      {items.map((d) => (
        <Card key={`${d.namespace}/${d.release}`} withBorder component="section" aria-label={vt('versionEditor.effective.release', { name: d.release })} data-release={d.release}>
          <Group gap="xs" mb="xs">
            <Title order={2} size="h4">
              {vt('versionEditor.effective.release', { name: d.release })}
            </Title>
            <Badge color={changeColor[d.change]} variant="light" className="oneko-badge" style={badgeStyle(changeColor[d.change])}>
              {vt(changeLabel[d.change])}
            </Badge>
            <Text size="sm" c="dimmed">
              {d.namespace}
            </Text>
          </Group>
          <Stack gap="sm">
            <DiffBlock title={vt('versionEditor.diff.values')} diff={d.values} label={vt('versionEditor.diff.valuesOf', { name: d.release })} />
            <DiffBlock title={vt('versionEditor.diff.manifest')} diff={d.manifest} label={vt('versionEditor.diff.manifestOf', { name: d.release })} />
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}
