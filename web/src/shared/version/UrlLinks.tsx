import { Anchor, Button, Menu, Text } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { useT } from '../i18n';

/** httpOnly keeps http(s) URLs only: a URL rendered from a template never becomes a
 * javascript: or data: link. */
export function httpOnly(urls: string[] | undefined): string[] {
  return (urls ?? []).filter((u) => {
    try {
      const p = new URL(u).protocol;
      return p === 'http:' || p === 'https:';
    } catch {
      return false;
    }
  });
}

/** UrlLinks shows one URL as a link and several as a menu of links. */
export function UrlLinks({ urls }: { urls: string[] | undefined }) {
  const t = useT();
  const safe = httpOnly(urls);
  if (safe.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('version.noUrls')}
      </Text>
    );
  }
  if (safe.length === 1) {
    const u = safe[0] as string;
    return (
      <Anchor href={u} target="_blank" rel="noopener noreferrer" size="sm">
        {u.replace(/^https?:\/\//, '')}
      </Anchor>
    );
  }
  return (
    <Menu position="bottom-start">
      <Menu.Target>
        <Button variant="subtle" size="compact-sm" rightSection={<IconExternalLink size={14} aria-hidden />}>
          {t('version.openUrls', { count: safe.length })}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {safe.map((u) => (
          <Menu.Item key={u} component="a" href={u} target="_blank" rel="noopener noreferrer">
            {u}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
