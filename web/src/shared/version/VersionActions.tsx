// Deploy / Redeploy / Stop of one version, with a toast for the outcome of each. The busy state
// is the row's own (no mutation observer per row: lists show a hundred of these).
import { Button } from '@mantine/core';
import { IconPlayerPlay, IconPlayerStop, IconRefresh } from '@tabler/icons-react';
import type { Version } from '../api/models';
import { useCan } from '../auth/session';
import { useT } from '../i18n';
import { notifyFailure, notifySuccess } from '../ui/notify';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { deployVersion, stopVersion } from './api';
import classes from './version.module.css';

export function VersionActions({ v, projectName }: { v: Version; projectName?: string }) {
  const t = useT();
  const mayDeploy = useCan('deploy');
  const mayStop = useCan('stop');
  const qc = useQueryClient();
  const [busy, setBusy] = useState<'deploy' | 'stop' | null>(null);
  const name = projectName ? `${projectName} ${v.name}` : v.name;
  const ref = { projectId: v.projectId, id: v.id, name };
  const deployed = v.desiredState === 'Deployed';
  // The toast shows even when the row is gone by then (a live event may remove it before the
  // answer arrives); setting the busy state of a row that is gone does nothing.
  const doDeploy = async () => {
    setBusy('deploy');
    try {
      await deployVersion(qc, ref);
      notifySuccess(t('toast.deployed', { name }));
    } catch (e) {
      notifyFailure(t('toast.deployFailed', { name }), e);
    } finally {
      setBusy(null);
    }
  };
  const doStop = async () => {
    setBusy('stop');
    try {
      await stopVersion(qc, ref);
      notifySuccess(t('toast.stopped', { name }));
    } catch (e) {
      notifyFailure(t('toast.stopFailed', { name }), e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className={classes.inline}>
      {mayDeploy && (
        <Button
          size="compact-sm"
          variant={deployed ? 'default' : 'filled'}
          leftSection={deployed ? <IconRefresh size={14} aria-hidden /> : <IconPlayerPlay size={14} aria-hidden />}
          // loading only while busy: a boolean mounts Mantine's loader transition on every button
          loading={busy === 'deploy' || undefined}
          onClick={() => void doDeploy()}
          aria-label={`${deployed ? t('action.redeploy') : t('action.deploy')} ${name}`}
        >
          {deployed ? t('action.redeploy') : t('action.deploy')}
        </Button>
      )}
      {mayStop && (deployed || v.deployment.status !== 'NotDeployed') && (
        <Button
          size="compact-sm"
          color="red"
          variant="light"
          leftSection={<IconPlayerStop size={14} aria-hidden />}
          loading={busy === 'stop' || undefined}
          onClick={() => void doStop()}
          aria-label={`${t('action.stop')} ${name}`}
        >
          {t('action.stop')}
        </Button>
      )}
    </div>
  );
}
