// Diagnostics of a version: every Helm revision of its releases (with who asked for it) and
// the Kubernetes events of its objects, newest first.
import { Badge, Button, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconReload } from '@tabler/icons-react';
import { useT } from '../../shared/i18n';
import { useVT } from './messages';
import { QueryState } from '../../shared/ui/QueryState';
import { RelativeTime } from '../../shared/ui/RelativeTime';
import { badgeStyle } from '../../shared/version/StatusBadge';
import { useHistory, useKubeEvents } from './api';

function shortDigest(d: string | undefined): string {
  const hex = (d ?? '').replace(/^sha256:/, '');
  return hex ? hex.slice(0, 12) : '—';
}

export function DiagnosticsPanel({ projectId, versionId }: { projectId: string; versionId: string }) {
  const t = useT();
  const vt = useVT();
  const history = useHistory(projectId, versionId, true);
  const events = useKubeEvents(projectId, versionId, true);
  const revs = history.data?.items ?? [];
  const evs = events.data?.items ?? [];
  return (
    <Stack gap="xl">
      <section aria-labelledby="diag-history">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4" id="diag-history">
            {vt('versionEditor.history')}
          </Title>
          <Button size="compact-sm" variant="subtle" leftSection={<IconReload size={14} aria-hidden />} onClick={() => void history.refetch()} loading={history.isFetching}>
            {vt('versionEditor.refresh')}
          </Button>
        </Group>
        <QueryState q={history} />
        {history.data && revs.length === 0 && (
          <Text size="sm" c="dimmed">
            {vt('versionEditor.history.none')}
          </Text>
        )}
        {revs.length > 0 && (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing={4} aria-labelledby="diag-history">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{vt('versionEditor.history.release')}</Table.Th>
                  <Table.Th>{vt('versionEditor.history.revision')}</Table.Th>
                  <Table.Th>{t('version.status')}</Table.Th>
                  <Table.Th>{vt('versionEditor.history.chart')}</Table.Th>
                  <Table.Th>{t('version.digest')}</Table.Th>
                  <Table.Th>{vt('versionEditor.history.time')}</Table.Th>
                  <Table.Th>{t('activity.actor')}</Table.Th>
                  <Table.Th>{vt('versionEditor.history.description')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {revs.map((r) => (
                  <Table.Tr key={`${r.namespace}/${r.release}/${r.revision}`}>
                    <Table.Td ff="monospace">{r.release}</Table.Td>
                    <Table.Td>{r.revision}</Table.Td>
                    <Table.Td>{r.status}</Table.Td>
                    <Table.Td>{[r.chart, r.chartVersion].filter(Boolean).join(' ')}</Table.Td>
                    <Table.Td>
                      <Code>{shortDigest(r.imageDigest)}</Code>
                    </Table.Td>
                    <Table.Td className="nowrap">
                      <RelativeTime value={r.time} />
                    </Table.Td>
                    <Table.Td>{r.actor || '—'}</Table.Td>
                    <Table.Td>{r.description}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>
      <section aria-labelledby="diag-events">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4" id="diag-events">
            {vt('versionEditor.events')}
          </Title>
          <Button size="compact-sm" variant="subtle" leftSection={<IconReload size={14} aria-hidden />} onClick={() => void events.refetch()} loading={events.isFetching}>
            {vt('versionEditor.refresh')}
          </Button>
        </Group>
        <QueryState q={events} />
        {events.data && evs.length === 0 && (
          <Text size="sm" c="dimmed">
            {vt('versionEditor.events.none')}
          </Text>
        )}
        {evs.length > 0 && (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing={4} aria-labelledby="diag-events">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{vt('versionEditor.events.type')}</Table.Th>
                  <Table.Th>{vt('versionEditor.events.reason')}</Table.Th>
                  <Table.Th>{vt('versionEditor.events.object')}</Table.Th>
                  <Table.Th>{t('version.message')}</Table.Th>
                  <Table.Th>{vt('versionEditor.events.count')}</Table.Th>
                  <Table.Th>{vt('versionEditor.history.time')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {evs.map((e, i) => {
                  const color = e.type === 'Warning' ? 'orange' : 'gray';
                  return (
                    <Table.Tr key={i}>
                      <Table.Td>
                        <Badge color={color} variant="light" className="oneko-badge" style={badgeStyle(color)}>
                          {e.type}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{e.reason}</Table.Td>
                      <Table.Td ff="monospace">
                        {e.object.kind}/{e.object.name}
                      </Table.Td>
                      <Table.Td>{e.message}</Table.Td>
                      <Table.Td>{e.count}</Table.Td>
                      <Table.Td className="nowrap">
                        <RelativeTime value={e.time} />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>
    </Stack>
  );
}
