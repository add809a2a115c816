import { Button, Menu } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { useRef, useState, type ComponentPropsWithRef } from 'react';
import { useT } from '../i18n';
import classes from './version.module.css';

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
      <span className={`${classes.sm} ${classes.dimmed}`}>{t('version.noUrls')}</span>
    );
  }
  if (safe.length === 1) {
    const u = safe[0] as string;
    return (
      <a className={`mantine-focus-auto ${classes.link}`} href={u} target="_blank" rel="noopener noreferrer">
        {u.replace(/^https?:\/\//, '')}
      </a>
    );
  }
  return <UrlMenu urls={safe} />;
}

/** UrlsButton opens the menu; Menu.Target passes its ref and ARIA attributes through. */
function UrlsButton({ count, open, ...rest }: { count: number; open: boolean } & ComponentPropsWithRef<'button'>) {
  const t = useT();
  return (
    <Button {...rest} variant="subtle" size="compact-sm" rightSection={<IconExternalLink size={14} aria-hidden />} aria-haspopup="menu" aria-expanded={open}>
      {t('version.openUrls', { count })}
    </Button>
  );
}

/** UrlMenu is a button until its first click; only then does it mount the Menu (a list of a
 * hundred rows would otherwise mount a hundred floating-UI instances). */
function UrlMenu({ urls }: { urls: string[] }) {
  const [armed, setArmed] = useState(false);
  const [open, setOpen] = useState(false);
  const target = useRef<HTMLButtonElement>(null);
  const dropdown = useRef<HTMLDivElement>(null);
  // Focus goes back to the button when the menu closes with the focus in it or nowhere: the
  // button the first click pressed was replaced when the menu mounted, so Mantine's returnFocus
  // would not know it.
  const onClose = () => {
    const a = document.activeElement;
    if (!a || a === document.body || dropdown.current?.contains(a)) target.current?.focus();
  };
  if (!armed) {
    return (
      <UrlsButton
        count={urls.length}
        open={false}
        onClick={() => {
          setArmed(true);
          setOpen(true);
        }}
      />
    );
  }
  return (
    <Menu position="bottom-start" opened={open} onChange={setOpen} onClose={onClose}>
      <Menu.Target>
        <UrlsButton ref={target} count={urls.length} open={open} />
      </Menu.Target>
      <Menu.Dropdown ref={dropdown}>
        {urls.map((u) => (
          <Menu.Item key={u} component="a" href={u} target="_blank" rel="noopener noreferrer">
            {u}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
