// Activity: newest first, paged, with a live "N new" indicator (activities that arrived on
// the event stream since the list was loaded), the actor, and links to the entities.
import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../shared/api/client';
import { qk } from '../../shared/api/queryKeys';
import type { Activity } from '../../shared/api/models';
import type { components } from '../../shared/api/schema';
import { useCan } from '../../shared/auth/session';
import { useT } from '../../shared/i18n';
import { EmptyState } from '../../shared/ui/EmptyState';
import { Pager } from '../../shared/ui/Pager';
import { QueryState } from '../../shared/ui/QueryState';
import { RelativeTime } from '../../shared/ui/RelativeTime';
import { useUrlState } from '../../shared/ui/useUrlState';
import { badgeStyle } from '../../shared/version/StatusBadge';
import { entityLink } from './links';

const pageSize = 50;
const priorityColor: Record<string, string> = { INFO: 'blue', WARNING: 'orange', ERROR: 'red' };

function useActivities(page: number) {
  const p = { limit: pageSize, offset: (page - 1) * pageSize };
  return useQuery({
    queryKey: qk.activities.list(p),
    queryFn: () => unwrap<components['schemas']['ActivityList']>(api.GET('/api/v1/activities', { params: { query: p } })),
    placeholderData: keepPreviousData,
  });
}

/** newSince counts the live activities that the loaded list does not hold yet. */
export function newSince(incoming: Activity[] | undefined, loaded: Activity[] | undefined): number {
  if (!incoming?.length) return 0;
  const seen = new Set((loaded ?? []).map((a) => a.id));
  return incoming.filter((a) => !seen.has(a.id)).length;
}

export function ActivityPage() {
  const t = useT();
  const qc = useQueryClient();
  const [url, setUrl] = useUrlState({ page: '1' });
  const page = Math.max(1, Number(url.page) || 1);
  const list = useActivities(page);
  const isAdmin = useCan('admin');
  const incoming = useQuery({ queryKey: qk.activities.incoming, queryFn: () => [] as Activity[], initialData: [], staleTime: Infinity }).data;
  const loadedAt = useRef(false);
  // The count starts when the first page is loaded: drop what arrived before.
  useEffect(() => {
    if (list.data && !loadedAt.current) {
      loadedAt.current = true;
      qc.setQueryData(qk.activities.incoming, []);
    }
  }, [list.data, qc]);
  const fresh = page === 1 ? newSince(incoming, list.data?.items) : (incoming?.length ?? 0);
  const showNew = () => {
    qc.setQueryData(qk.activities.incoming, []);
    setUrl({ page: '1' });
    void qc.invalidateQueries({ queryKey: qk.activities.all });
  };
  const items = list.data?.items ?? [];
  return (
    <Stack>
      <Title order={1}>{t('activity.title')}</Title>
      {fresh > 0 && (
        <Paper withBorder p="xs" role="status" aria-live="polite">
          <Group justify="space-between">
            <Text size="sm">{t('activity.new', { count: fresh })}</Text>
            <Button size="xs" onClick={showNew}>
              {t('activity.showNew')}
            </Button>
          </Group>
        </Paper>
      )}
      <QueryState q={list} />
      {list.data && items.length === 0 && <EmptyState title={t('activity.empty')} />}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table aria-label={t('activity.title')} verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('activity.time')}</Table.Th>
                <Table.Th>{t('activity.what')}</Table.Th>
                <Table.Th>{t('activity.actor')}</Table.Th>
                <Table.Th>{t('activity.entity')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((a) => {
                const link = entityLink(a, isAdmin);
                const color = priorityColor[a.priority] ?? 'gray';
                return (
                  <Table.Tr key={a.id}>
                    <Table.Td className="nowrap">
                      <RelativeTime value={a.time} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap" align="flex-start">
                        {a.priority !== 'INFO' && (
                          <Badge color={color} variant="light" className="oneko-badge" style={badgeStyle(color)}>
                            {t(`activity.priority.${a.priority}` as 'activity.priority.INFO')}
                          </Badge>
                        )}
                        <div>
                          <Text size="sm" fw={600}>
                            {a.title}
                          </Text>
                          <Text size="sm" c="dimmed">
                            {a.description}
                          </Text>
                        </div>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{a.actor}</Text>
                    </Table.Td>
                    <Table.Td>
                      {link ? (
                        <Anchor component={Link} to={link} size="sm">
                          {a.entityType}
                        </Anchor>
                      ) : (
                        <Text size="sm">{a.entityType}</Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.data && list.data.total > 0 && <Pager total={list.data.total} page={page} pageSize={pageSize} onPage={(n) => setUrl({ page: String(n) })} />}
    </Stack>
  );
}
