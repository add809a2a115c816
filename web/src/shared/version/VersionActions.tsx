// Deploy / Redeploy / Stop of one version, with a toast for the outcome of each.
import { Button } from '@mantine/core';
import { IconPlayerPlay, IconPlayerStop, IconRefresh } from '@tabler/icons-react';
import type { Version } from '../api/models';
import { useCan } from '../auth/session';
import { useT } from '../i18n';
import { notifyFailure, notifySuccess } from '../ui/notify';
import { useDeploy, useStop } from './api';
import classes from './version.module.css';

export function VersionActions({ v, projectName }: { v: Version; projectName?: string }) {
  const t = useT();
  const mayDeploy = useCan('deploy');
  const mayStop = useCan('stop');
  const deploy = useDeploy();
  const stop = useStop();
  const name = projectName ? `${projectName} ${v.name}` : v.name;
  const ref = { projectId: v.projectId, id: v.id, name };
  const deployed = v.desiredState === 'Deployed';
  // mutateAsync, not mutate with callbacks: the toast must show even when the row is gone
  // by then (a live event may remove it before the answer arrives).
  const doDeploy = async () => {
    try {
      await deploy.mutateAsync(ref);
      notifySuccess(t('toast.deployed', { name }));
    } catch (e) {
      notifyFailure(t('toast.deployFailed', { name }), e);
    }
  };
  const doStop = async () => {
    try {
      await stop.mutateAsync(ref);
      notifySuccess(t('toast.stopped', { name }));
    } catch (e) {
      notifyFailure(t('toast.stopFailed', { name }), e);
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
          loading={deploy.isPending || undefined}
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
          loading={stop.isPending || undefined}
          onClick={() => void doStop()}
          aria-label={`${t('action.stop')} ${name}`}
        >
          {t('action.stop')}
        </Button>
      )}
    </div>
  );
}
