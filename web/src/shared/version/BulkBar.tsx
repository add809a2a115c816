// Deploy or stop several selected versions at once; one toast sums up the outcome.
import { Button, Group, Paper, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Version } from '../api/models';
import { useT } from '../i18n';
import { notifyFailure, notifySuccess } from '../ui/notify';
import { deployVersion, runAll, stopVersion } from './api';

export function BulkBar({ versions, projectName, onDone }: { versions: Version[]; projectName?: string; onDone: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const [busy, setBusy] = useState<'deploy' | 'stop' | null>(null);
  const run = async (kind: 'deploy' | 'stop') => {
    setBusy(kind);
    const refs = versions.map((v) => ({ projectId: v.projectId, id: v.id, name: projectName ? `${projectName} ${v.name}` : v.name }));
    const r = await runAll(refs, (ref) => (kind === 'deploy' ? deployVersion(qc, ref) : stopVersion(qc, ref)));
    setBusy(null);
    const total = refs.length;
    if (r.failed.length === 0) {
      notifySuccess(t('toast.bulkDone', { ok: r.ok, total }));
      onDone();
    } else {
      notifyFailure(t('toast.bulkFailed', { failed: r.failed.length, total }), r.failed[0]?.error);
    }
  };
  return (
    <Paper withBorder p="xs" role="region" aria-label={t('action.deploySelected', { count: versions.length })}>
      <Group justify="space-between">
        <Text size="sm">{versions.map((v) => v.name).join(', ')}</Text>
        <Group gap="xs">
          <Button size="xs" loading={busy === 'deploy'} disabled={busy !== null} onClick={() => void run('deploy')}>
            {t('action.deploySelected', { count: versions.length })}
          </Button>
          <Button size="xs" color="red" variant="light" loading={busy === 'stop'} disabled={busy !== null} onClick={() => void run('stop')}>
            {t('action.stopSelected', { count: versions.length })}
          </Button>
          <Button size="xs" variant="subtle" onClick={onDone}>
            {t('action.clearSelection')}
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
