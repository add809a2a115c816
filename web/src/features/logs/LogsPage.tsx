// The logs of a version (every role): pick a pod and a container, read the last lines or
// follow them live (reconnecting with backoff, resuming where the stream stopped), ANSI
// colours, a filter, download, and the external-logging link when the server has one.
// Pod, container, options and filter live in the URL.
import { Alert, Anchor, Breadcrumbs, Button, Checkbox, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload, IconExternalLink, IconReload, IconSearch } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { paths } from '../../app/paths';
import { useProject } from '../../shared/api/queries';
import { useCan } from '../../shared/auth/session';
import { useT } from '../../shared/i18n';
import { EmptyState } from '../../shared/ui/EmptyState';
import { QueryState } from '../../shared/ui/QueryState';
import { useUrlState } from '../../shared/ui/useUrlState';
import { defaultContainer, defaultPod, logUrl, usePods, useVersion, type Pod } from './api';
import { makeFilter } from './filter';
import { LogView } from './LogView';
import { useLT } from './messages';
import { useLog, type LogState } from './useLog';

const tails = ['100', '500', '1000', '5000'];

function podLabel(p: Pod): string {
  return `${p.name} (${p.phase}${p.restarts ? `, ${p.restarts}↻` : ''})`;
}

function StateNotice({ state, onRetry }: { state: LogState; onRetry: () => void }) {
  const lt = useLT();
  const t = useT();
  switch (state.kind) {
    case 'reconnecting':
      return state.detail ? (
        <Alert color="orange" role="status">
          <Text size="sm" fw={700}>
            {lt('logs.unavailable')}
          </Text>
          <Text size="sm">
            {state.detail} {lt('logs.retryIn', { seconds: Math.max(1, Math.round(state.retryIn / 1000)) })}
          </Text>
        </Alert>
      ) : (
        <Alert color="yellow" role="status">
          {lt('logs.reconnecting', { seconds: Math.max(1, Math.round(state.retryIn / 1000)) })}
        </Alert>
      );
    case 'limited':
      return (
        <Alert color="orange" role="status">
          <Text size="sm" fw={700}>
            {lt('logs.limited')}
          </Text>
          <Text size="sm">
            {state.detail} {lt('logs.retryIn', { seconds: Math.max(1, Math.round(state.retryIn / 1000)) })}
          </Text>
        </Alert>
      );
    case 'ended':
      return (
        <Alert color="gray" role="status">
          <Group gap="xs">
            <Text size="sm">{lt('logs.ended', { detail: state.detail })}</Text>
            <Button size="compact-sm" variant="light" onClick={onRetry}>
              {lt('logs.followAgain')}
            </Button>
          </Group>
        </Alert>
      );
    case 'failed':
      return (
        <Alert color="red" role="alert">
          <Text size="sm" fw={700}>
            {lt('logs.unavailable')}
          </Text>
          <Group gap="xs">
            <Text size="sm">{state.detail}</Text>
            <Button size="compact-sm" variant="light" onClick={onRetry}>
              {t('action.retry')}
            </Button>
          </Group>
        </Alert>
      );
    default:
      return null;
  }
}

export function LogsPage() {
  const t = useT();
  const lt = useLT();
  const { projectId = '', versionId = '' } = useParams();
  const [url, setUrl] = useUrlState({ pod: '', container: '', follow: '1', tail: '500', ts: '', prev: '', q: '' });
  const project = useProject(projectId);
  const version = useVersion(projectId, versionId);
  const pods = usePods(projectId, versionId);
  const mayEdit = useCan('editVersion');
  const [q, setQ] = useState(url.q);
  const [debounced] = useDebouncedValue(q, 200);
  useEffect(() => {
    if (debounced !== url.q) setUrl({ q: debounced });
  }, [debounced, url.q, setUrl]);

  const items = pods.data?.items ?? [];
  const podName = url.pod && items.some((p) => p.name === url.pod) ? url.pod : defaultPod(items);
  const pod = items.find((p) => p.name === podName);
  const containerName = url.container && pod?.containers.some((c) => c.name === url.container) ? url.container : defaultContainer(pod);
  const container = pod?.containers.find((c) => c.name === containerName);
  const follow = url.follow === '1';
  const params = { container: containerName, tailLines: Number(url.tail) || 500, timestamps: url.ts === '1', previous: url.prev === '1' };
  const plainUrl = pod && containerName ? logUrl(projectId, versionId, pod.name, params) : null;
  const src = useMemo(() => (plainUrl ? { url: plainUrl, follow } : null), [plainUrl, follow]);
  const log = useLog(src);
  const filter = useMemo(() => makeFilter(url.q), [url.q]);
  const shownCount = useMemo(() => (filter.active ? log.lines.filter((l) => filter.test(l.raw)).length : log.lines.length), [log.lines, filter]);

  const versionName = version.data?.name ?? versionId;
  const projectName = project.data?.name ?? projectId;
  const empty =
    log.state.kind === 'connecting' || log.state.kind === 'idle'
      ? t('app.loading')
      : filter.active && log.lines.length > 0
        ? lt('logs.noMatch')
        : log.state.kind === 'open'
          ? lt('logs.waiting')
          : log.state.kind === 'loaded' || log.state.kind === 'ended'
            ? lt('logs.empty')
            : lt('logs.noLines');

  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={paths.projects()}>
          {t('versions.back')}
        </Anchor>
        <Anchor component={Link} to={paths.project(projectId)}>
          {projectName}
        </Anchor>
        {mayEdit ? (
          <Anchor component={Link} to={paths.version(projectId, versionId)}>
            {versionName}
          </Anchor>
        ) : (
          <Text>{versionName}</Text>
        )}
        <Text>{t('version.logs')}</Text>
      </Breadcrumbs>
      <Title order={1}>{lt('logs.title', { name: versionName, project: projectName })}</Title>
      <QueryState q={pods} />
      {pods.data && items.length === 0 && (
        <EmptyState
          title={lt('logs.noPods')}
          action={
            <Button variant="default" leftSection={<IconReload size={16} aria-hidden />} onClick={() => void pods.refetch()} loading={pods.isFetching}>
              {lt('logs.refreshPods')}
            </Button>
          }
        >
          {lt('logs.noPodsText')}
        </EmptyState>
      )}
      {items.length > 0 && (
        <>
          <Group align="flex-end" gap="sm">
            <Select
              label={lt('logs.pod')}
              data={items.map((p) => ({ value: p.name, label: podLabel(p) }))}
              value={podName}
              onChange={(x) => x && setUrl({ pod: x, container: '' })}
              allowDeselect={false}
              w={{ base: '100%', sm: 340 }}
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label={lt('logs.container')}
              data={(pod?.containers ?? []).map((c) => ({ value: c.name, label: c.kind === 'regular' ? c.name : `${c.name} (${c.kind})` }))}
              value={containerName || null}
              onChange={(x) => x && setUrl({ container: x })}
              allowDeselect={false}
              w={{ base: '100%', sm: 220 }}
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label={lt('logs.tail')}
              data={tails.map((n) => ({ value: n, label: lt('logs.tailLines', { count: Number(n) }) }))}
              value={tails.includes(url.tail) ? url.tail : '500'}
              onChange={(x) => x && setUrl({ tail: x })}
              allowDeselect={false}
              w={{ base: '100%', sm: 150 }}
              comboboxProps={{ withinPortal: true }}
            />
            <Button variant="default" leftSection={<IconReload size={16} aria-hidden />} onClick={() => void pods.refetch()} loading={pods.isFetching}>
              {lt('logs.refreshPods')}
            </Button>
          </Group>
          {pod && (
            <Text size="sm" c="dimmed" data-testid="pod-info">
              {lt('logs.podInfo', { phase: pod.phase, ready: pod.ready ? lt('logs.ready') : lt('logs.notReady'), restarts: pod.restarts, node: pod.node || '—' })}
              {container && ` · ${lt('logs.containerState', { state: container.state, reason: container.reason || container.lastTerminationReason || '' })}`}
            </Text>
          )}
          <Group gap="lg">
            <Checkbox label={lt('logs.follow')} checked={follow} onChange={(e) => setUrl({ follow: e.currentTarget.checked ? '1' : '0' })} />
            <Checkbox label={lt('logs.timestamps')} checked={url.ts === '1'} onChange={(e) => setUrl({ ts: e.currentTarget.checked ? '1' : '' })} />
            <Checkbox label={lt('logs.previous')} checked={url.prev === '1'} onChange={(e) => setUrl({ prev: e.currentTarget.checked ? '1' : '' })} />
          </Group>
          <Group justify="space-between" gap="sm">
            <TextInput
              leftSection={<IconSearch size={16} aria-hidden />}
              placeholder={lt('logs.filter')}
              aria-label={lt('logs.filter')}
              description={filter.error ? lt('logs.filterInvalid', { error: filter.error }) : lt('logs.filterHint')}
              value={q}
              onChange={(e) => setQ(e.currentTarget.value)}
              error={!!filter.error}
              w={{ base: '100%', sm: 360 }}
            />
            <Group gap="xs">
              {!follow && (
                <Button variant="default" leftSection={<IconReload size={16} aria-hidden />} onClick={log.reload}>
                  {lt('logs.reload')}
                </Button>
              )}
              {pod && containerName && (
                <Button
                  component="a"
                  variant="default"
                  href={logUrl(projectId, versionId, pod.name, { ...params, tailLines: undefined, download: true })}
                  download
                  leftSection={<IconDownload size={16} aria-hidden />}
                >
                  {lt('logs.download')}
                </Button>
              )}
              {container?.externalLogUrl && (
                <Button component="a" variant="default" href={container.externalLogUrl} target="_blank" rel="noreferrer" leftSection={<IconExternalLink size={16} aria-hidden />}>
                  {lt('logs.external')}
                </Button>
              )}
            </Group>
          </Group>
          <StateNotice state={log.state} onRetry={log.reload} />
          <LogView lines={log.lines} filter={filter} label={lt('logs.view', { pod: podName, container: containerName })} empty={empty} />
          <Group justify="space-between">
            <Text size="sm" c="dimmed" data-testid="log-count">
              {filter.active ? lt('logs.countFiltered', { shown: shownCount, count: log.lines.length }) : lt('logs.count', { count: log.lines.length })}
              {log.dropped > 0 && ` · ${lt('logs.dropped', { count: log.dropped })}`}
            </Text>
            {follow && log.state.kind === 'open' && (
              <Text size="sm" c="dimmed">
                {lt('logs.live')}
              </Text>
            )}
          </Group>
        </>
      )}
    </Stack>
  );
}
