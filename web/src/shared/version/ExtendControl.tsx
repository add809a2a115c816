// When a deployment expires, and the extend action: restart the lifetime clock, or pick
// another lifetime. A server without the extend route answers 404; the toast says so.
// The popover (ExtendPopover, with its mutation) is loaded and mounted on the first click only:
// a list of a hundred rows shows a hundred cheap buttons, not a hundred floating-UI instances,
// and the first load of the app carries none of its code.
import { Button } from '@mantine/core';
import { IconClockPlus } from '@tabler/icons-react';
import { lazy, Suspense, useState, type ComponentPropsWithRef } from 'react';
import type { Version } from '../api/models';
import { useCan } from '../auth/session';
import { useT } from '../i18n';
import { RelativeTime } from '../ui/RelativeTime';
import classes from './version.module.css';

const ExtendPopover = lazy(() => import('./ExtendPopover'));

/** ExtendButton opens the popover; Popover.Target passes its ref and ARIA attributes through. */
export function ExtendButton({ v, open, onClick, ...rest }: { v: Version; open: boolean; onClick: () => void } & ComponentPropsWithRef<'button'>) {
  const t = useT();
  return (
    <Button
      {...rest}
      size="compact-xs"
      variant="subtle"
      leftSection={<IconClockPlus size={14} aria-hidden />}
      onClick={onClick}
      aria-label={t('extend.title', { name: v.name })}
      aria-haspopup="dialog"
      aria-expanded={open}
    >
      {t('action.extend')}
    </Button>
  );
}

export function ExtendControl({ v }: { v: Version }) {
  const t = useT();
  const may = useCan('extend');
  // armed: the popover has been opened once and stays mounted (closed) from then on.
  const [armed, setArmed] = useState(false);
  const [open, setOpen] = useState(false);
  const expires = v.deployment.expiresAt;
  return (
    <div className={classes.inline}>
      <span className={classes.sm}>{expires ? <RelativeTime value={expires} /> : t('version.neverExpires')}</span>
      {may &&
        v.desiredState === 'Deployed' &&
        (armed ? (
          <Suspense fallback={<ExtendButton v={v} open={false} onClick={() => {}} />}>
            <ExtendPopover v={v} open={open} setOpen={setOpen} />
          </Suspense>
        ) : (
          <ExtendButton
            v={v}
            open={false}
            onClick={() => {
              setArmed(true);
              setOpen(true);
            }}
          />
        ))}
    </div>
  );
}
