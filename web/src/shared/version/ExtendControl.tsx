// When a deployment expires, and the extend action: restart the lifetime clock, or pick
// another lifetime. A server without the extend route answers 404; the toast says so.
import { Button, Group, Popover, Radio, Stack, Text, TextInput } from '@mantine/core';
import { IconClockPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { Lifetime, Version } from '../api/models';
import { isApiError } from '../api/problem';
import { useCan } from '../auth/session';
import { useT } from '../i18n';
import { RelativeTime } from '../ui/RelativeTime';
import { notifyFailure, notifySuccess } from '../ui/notify';
import { useExtend } from './api';

type Choice = 'restart' | Exclude<Lifetime['type'], 'INHERIT'>;

export function ExtendControl({ v }: { v: Version }) {
  const t = useT();
  const may = useCan('extend');
  const extend = useExtend();
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState<Choice>('restart');
  const [days, setDays] = useState<number>(3);
  const expires = v.deployment.expiresAt;
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
    <Group gap={6} wrap="nowrap">
      <Text size="sm">{expires ? <RelativeTime value={expires} /> : t('version.neverExpires')}</Text>
      {may && v.desiredState === 'Deployed' && (
        <Popover opened={open} onChange={setOpen} trapFocus position="bottom-end" withArrow>
          <Popover.Target>
            <Button
              size="compact-xs"
              variant="subtle"
              leftSection={<IconClockPlus size={14} aria-hidden />}
              onClick={() => setOpen((o) => !o)}
              aria-label={t('extend.title', { name: v.name })}
            >
              {t('action.extend')}
            </Button>
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
      )}
    </Group>
  );
}
