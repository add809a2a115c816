// When a deployment expires, and the extend action: restart the lifetime clock, or pick
// another lifetime. A server without the extend route answers 404; the toast says so.
// The popover (and its mutation) mounts on the first click only: a list of a hundred rows
// shows a hundred cheap buttons, not a hundred floating-UI instances.
import { Button, Popover, Radio, Stack, TextInput } from '@mantine/core';
import { IconClockPlus } from '@tabler/icons-react';
import { useState, type ComponentPropsWithRef } from 'react';
import type { Lifetime, Version } from '../api/models';
import { isApiError } from '../api/problem';
import { useCan } from '../auth/session';
import { useT } from '../i18n';
import { RelativeTime } from '../ui/RelativeTime';
import { notifyFailure, notifySuccess } from '../ui/notify';
import { useExtend } from './api';
import classes from './version.module.css';

type Choice = 'restart' | Exclude<Lifetime['type'], 'INHERIT'>;

/** ExtendButton opens the popover; Popover.Target passes its ref and ARIA attributes through. */
function ExtendButton({ v, open, onClick, ...rest }: { v: Version; open: boolean; onClick: () => void } & ComponentPropsWithRef<'button'>) {
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

function ExtendPopover({ v, open, setOpen }: { v: Version; open: boolean; setOpen: (o: boolean | ((o: boolean) => boolean)) => void }) {
  const t = useT();
  const extend = useExtend();
  const [choice, setChoice] = useState<Choice>('restart');
  const [days, setDays] = useState<number>(3);
  const submit = () => {
    const lifetime: Lifetime | undefined = choice === 'restart' ? undefined : choice === 'DAYS' ? { type: 'DAYS', value: days } : { type: choice };
    extend.mutate(
      { v: { projectId: v.projectId, id: v.id, name: v.name }, lifetime },
      {
        onSuccess: () => {
          setOpen(false);
          notifySuccess(t('toast.extended', { name: v.name }));
        },
        onError: (e) => {
          if (isApiError(e) && e.status === 404 && (e.problem.detail ?? '').startsWith('no route')) {
            notifyFailure(t('toast.extendFailed', { name: v.name }), new Error(t('toast.extendMissing')));
          } else {
            notifyFailure(t('toast.extendFailed', { name: v.name }), e);
          }
        },
      },
    );
  };
  return (
    <Popover opened={open} onChange={setOpen} trapFocus returnFocus position="bottom-end" withArrow>
      <Popover.Target>
        <ExtendButton v={v} open={open} onClick={() => setOpen((o) => !o)} />
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="sm" w={240}>
          <Radio.Group value={choice} onChange={(c) => setChoice(c as Choice)} label={t('extend.title', { name: v.name })}>
            <Stack gap={6} mt="xs">
              <Radio value="restart" label={t('extend.restart')} />
              <Radio value="UNTIL_TONIGHT" label={t('extend.UNTIL_TONIGHT')} />
              <Radio value="UNTIL_WEEKEND" label={t('extend.UNTIL_WEEKEND')} />
              <Radio value="DAYS" label={t('extend.DAYS')} />
              <Radio value="INFINITE" label={t('extend.INFINITE')} />
            </Stack>
          </Radio.Group>
          {choice === 'DAYS' && (
            <TextInput type="number" label={t('extend.days')} min={1} max={365} value={days} onChange={(e) => setDays(Math.min(365, Math.max(1, Number(e.currentTarget.value) || 1)))} />
          )}
          <Button onClick={submit} loading={extend.isPending}>
            {t('extend.submit')}
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
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
          <ExtendPopover v={v} open={open} setOpen={setOpen} />
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
