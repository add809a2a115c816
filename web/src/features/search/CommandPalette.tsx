// The search palette: Ctrl/⌘+K from anywhere opens it; results show status and actions,
// Enter opens the first hit, several versions can be selected and deployed or stopped at once.
import { Anchor, Button, Checkbox, Group, Modal, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { Link, useNavigate } from 'react-router';
import { paths } from '../../app/paths';
import { useCan } from '../../shared/auth/session';
import { useT } from '../../shared/i18n';
import { StatusBadge, VersionStatus } from '../../shared/version/StatusBadge';
import { VersionActions } from '../../shared/version/VersionActions';
import { BulkBar } from '../../shared/version/BulkBar';
import type { Version } from '../../shared/api/models';
import { useSearch } from './api';
import { useProjectNames } from '../../shared/api/queries';
import { hits, type Hit } from './results';

// The palette's open state is a tiny store, so any component (the header's button) opens it.
let opened = false;
const listeners = new Set<() => void>();
function setOpened(v: boolean) {
  opened = v;
  listeners.forEach((l) => l());
}
export function openPalette() {
  setOpened(true);
}
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** HitRow is one search result: a project link, or a version with status and actions. */
export function HitRow({ hit, selected, onSelect, onNavigate }: { hit: Hit; selected?: boolean; onSelect?: (v: Version) => void; onNavigate?: () => void }) {
  const t = useT();
  if (hit.kind === 'project') {
    const p = hit.project;
    return (
      <Group justify="space-between" wrap="nowrap" py={4} data-hit="project">
        <Anchor component={Link} to={paths.project(p.id)} onClick={onNavigate} fw={600}>
          {p.name}
        </Anchor>
        <Group gap="xs" wrap="nowrap">
          <Text size="xs" c="dimmed">
            {p.imageName}
          </Text>
          <StatusBadge status={p.status} />
        </Group>
      </Group>
    );
  }
  const v = hit.version;
  const label = `${hit.projectName} ${v.name}`.trim();
  return (
    <Group justify="space-between" wrap="nowrap" py={4} data-hit="version">
      <Group gap="xs" wrap="nowrap">
        {onSelect && <Checkbox aria-label={t('action.select', { name: label })} checked={!!selected} onChange={() => onSelect(v)} />}
        <Anchor component={Link} to={`${paths.project(v.projectId)}?q=${encodeURIComponent(v.name)}`} onClick={onNavigate}>
          <Text span c="dimmed">
            {hit.projectName}
          </Text>{' '}
          <Text span fw={600}>
            {v.name}
          </Text>
        </Anchor>
      </Group>
      <Group gap="xs" wrap="nowrap">
        <VersionStatus v={v} />
        <VersionActions v={v} projectName={hit.projectName} />
      </Group>
    </Group>
  );
}

export function CommandPalette() {
  const t = useT();
  const isOpen = useSyncExternalStore(subscribe, () => opened);
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 150);
  const search = useSearch(isOpen ? debounced : '');
  const navigate = useNavigate();
  const mayDeploy = useCan('deploy');
  const [selected, setSelected] = useState<Map<string, Version>>(new Map());
  useHotkeys([['mod+K', () => setOpened(!opened)]], []);
  useEffect(() => {
    if (!isOpen) setSelected(new Map());
  }, [isOpen]);
  const names = useProjectNames(search.data?.versions.map((v) => v.projectId) ?? []);
  const list = hits(search.data, names).slice(0, 30);
  const close = () => setOpened(false);
  const toggle = (v: Version) => {
    const n = new Map(selected);
    if (n.has(v.id)) n.delete(v.id);
    else n.set(v.id, v);
    setSelected(n);
  };
  return (
    <Modal opened={isOpen} onClose={close} title={t('search.palette')} size="xl" yOffset="8vh" closeButtonProps={{ 'aria-label': t('action.close') }}>
      <Stack gap="sm">
        <TextInput
          data-autofocus
          leftSection={<IconSearch size={16} aria-hidden />}
          placeholder={t('search.placeholder')}
          aria-label={t('search.label')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && q.trim()) {
              const first = list[0];
              close();
              if (e.ctrlKey || e.metaKey || !first) navigate(paths.search(q.trim()));
              else if (first.kind === 'project') navigate(paths.project(first.project.id));
              else navigate(`${paths.project(first.version.projectId)}?q=${encodeURIComponent(first.version.name)}`);
            }
          }}
        />
        {mayDeploy && selected.size > 0 && <BulkBar versions={[...selected.values()]} onDone={() => setSelected(new Map())} />}
        {!q.trim() && (
          <Text size="sm" c="dimmed">
            {t('search.hint')}
          </Text>
        )}
        {q.trim() && search.data && list.length === 0 && <Text size="sm">{t('search.none', { q: q.trim() })}</Text>}
        {list.length > 0 && (
          <ScrollArea.Autosize mah="55vh">
            <Stack gap={0} role="list" aria-label={t('search.count', { count: list.length })}>
              {list.map((h) => (
                <div role="listitem" key={h.kind === 'project' ? `p-${h.project.id}` : `v-${h.version.id}`}>
                  <HitRow hit={h} onNavigate={close} selected={h.kind === 'version' && selected.has(h.version.id)} onSelect={mayDeploy ? toggle : undefined} />
                </div>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
        {q.trim() && (
          <Group justify="flex-end">
            <Button component={Link} to={paths.search(q.trim())} variant="subtle" onClick={close}>
              {t('search.openPage')}
            </Button>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}
