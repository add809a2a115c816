// The search page: the query in the URL (?q=), results with status and actions, paged, and
// several versions deployed or stopped at once.
import { Stack, TextInput, Title, Text, Divider } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { Version } from '../../shared/api/models';
import { useCan } from '../../shared/auth/session';
import { useT } from '../../shared/i18n';
import { Pager } from '../../shared/ui/Pager';
import { QueryState } from '../../shared/ui/QueryState';
import { useUrlState } from '../../shared/ui/useUrlState';
import { BulkBar } from '../../shared/version/BulkBar';
import { useSearch } from './api';
import { useProjectNames } from '../../shared/api/queries';
import { HitRow } from './CommandPalette';
import { hits, page as pageOf } from './results';

const pageSize = 20;

export function SearchPage() {
  const t = useT();
  const [url, setUrl] = useUrlState({ q: '', page: '1' });
  const [q, setQ] = useState(url.q);
  const [debounced] = useDebouncedValue(q, 250);
  useEffect(() => {
    if (debounced.trim() !== url.q) setUrl({ q: debounced.trim(), page: '1' });
  }, [debounced, url.q, setUrl]);
  const search = useSearch(url.q);
  const mayDeploy = useCan('deploy');
  const [selected, setSelected] = useState<Map<string, Version>>(new Map());
  const names = useProjectNames(search.data?.versions.map((v) => v.projectId) ?? []);
  const all = hits(search.data, names);
  const page = Math.max(1, Number(url.page) || 1);
  const shown = pageOf(all, page, pageSize);
  const toggle = (v: Version) => {
    const n = new Map(selected);
    if (n.has(v.id)) n.delete(v.id);
    else n.set(v.id, v);
    setSelected(n);
  };
  return (
    <Stack>
      <Title order={1}>{t('search.title')}</Title>
      <TextInput
        leftSection={<IconSearch size={16} aria-hidden />}
        placeholder={t('search.placeholder')}
        aria-label={t('search.label')}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        maw={520}
      />
      {mayDeploy && selected.size > 0 && <BulkBar versions={[...selected.values()]} onDone={() => setSelected(new Map())} />}
      {url.q && <QueryState q={search} />}
      {!url.q && <Text c="dimmed">{t('search.hint')}</Text>}
      {url.q && search.data && all.length === 0 && <Text>{t('search.none', { q: url.q })}</Text>}
      {shown.length > 0 && (
        <Stack gap={0} role="list" aria-label={t('search.count', { count: all.length })}>
          {shown.map((h) => (
            <div role="listitem" key={h.kind === 'project' ? `p-${h.project.id}` : `v-${h.version.id}`}>
              <HitRow hit={h} selected={h.kind === 'version' && selected.has(h.version.id)} onSelect={mayDeploy ? toggle : undefined} />
              <Divider />
            </div>
          ))}
        </Stack>
      )}
      {all.length > 0 && <Pager total={all.length} page={page} pageSize={pageSize} onPage={(p) => setUrl({ page: String(p) })} />}
    </Stack>
  );
}
