// The search page: the query and page in the URL (?q=&page=), results with status and actions,
// paged by the server (GET /search with limit and offset), and several versions deployed or
// stopped at once.
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
import { pageHits, searchPage } from './results';

const pageSize = 20;

export function SearchPage() {
  const t = useT();
  const [url, setUrl] = useUrlState({ q: '', page: '1' });
  const [q, setQ] = useState(url.q);
  const [debounced] = useDebouncedValue(q, 250);
  useEffect(() => {
    if (debounced.trim() !== url.q) setUrl({ q: debounced.trim(), page: '1' });
  }, [debounced, url.q, setUrl]);
  const { page, limit, offset } = searchPage(url.page, pageSize);
  const search = useSearch(url.q, { limit, offset });
  const mayDeploy = useCan('deploy');
  const [selected, setSelected] = useState<Map<string, Version>>(new Map());
  const names = useProjectNames(search.data?.versions.map((v) => v.projectId) ?? []);
  const shown = pageHits(search.data, names, page);
  const total = search.data?.total ?? 0;
  const found = total + (search.data?.projectsTotal ?? 0);
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
      {url.q && search.data && found === 0 && <Text>{t('search.none', { q: url.q })}</Text>}
      {shown.length > 0 && (
        <Stack gap={0} role="list" aria-label={t('search.count', { count: found })}>
          {shown.map((h) => (
            <div role="listitem" key={h.kind === 'project' ? `p-${h.project.id}` : `v-${h.version.id}`}>
              <HitRow hit={h} selected={h.kind === 'version' && selected.has(h.version.id)} onSelect={mayDeploy ? toggle : undefined} />
              <Divider />
            </div>
          ))}
        </Stack>
      )}
      {total > 0 && <Pager total={total} page={page} pageSize={pageSize} onPage={(p) => setUrl({ page: String(p) })} />}
    </Stack>
  );
}
