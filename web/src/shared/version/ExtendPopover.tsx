// The extend popover of ExtendControl (loaded on its first click): restart the lifetime clock,
// or pick another lifetime. A server without the extend route answers 404; the toast says so.
import { Button, Popover, Radio, Stack, TextInput } from '@mantine/core';
import { useRef, useState } from 'react';
import type { Lifetime, Version } from '../api/models';
import { isApiError } from '../api/problem';
import { useT } from '../i18n';
import { notifyFailure, notifySuccess } from '../ui/notify';
import { useExtend } from './api';
import { ExtendButton } from './ExtendControl';

type Choice = 'restart' | Exclude<Lifetime['type'], 'INHERIT'>;

export default function ExtendPopover({ v, open, setOpen }: { v: Version; open: boolean; setOpen: (o: boolean | ((o: boolean) => boolean)) => void }) {
  const t = useT();
  const extend = useExtend();
  const [choice, setChoice] = useState<Choice>('restart');
  const [days, setDays] = useState<number>(3);
  const target = useRef<HTMLButtonElement>(null);
  const dropdown = useRef<HTMLDivElement>(null);
  // Focus goes back to the Extend button when the popover closes with the focus in it (Escape,
  // or after the extend) or nowhere: the button the first click pressed was replaced when this
  // mounted, so Mantine's returnFocus would not know it.
  const onClose = () => {
    const a = document.activeElement;
    if (!a || a === document.body || dropdown.current?.contains(a)) target.current?.focus();
  };
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
    <Popover opened={open} onChange={setOpen} onClose={onClose} trapFocus position="bottom-end" withArrow>
      <Popover.Target>
        <ExtendButton ref={target} v={v} open={open} onClick={() => setOpen((o) => !o)} />
      </Popover.Target>
      <Popover.Dropdown ref={dropdown}>
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
