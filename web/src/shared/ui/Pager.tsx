import { Group, Pagination, Text } from '@mantine/core';
import { useT } from '../i18n';

/** Pager shows "from–to of total" and page buttons; page is 1-based. */
export function Pager({ total, page, pageSize, onPage }: { total: number; page: number; pageSize: number; onPage: (p: number) => void }) {
  const t = useT();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed" aria-live="polite">
        {t('pager.range', { from, to, total })}
      </Text>
      {pages > 1 && (
        <nav aria-label={t('pager.label')}>
          <Pagination total={pages} value={page} onChange={onPage} size="sm" />
        </nav>
      )}
    </Group>
  );
}
