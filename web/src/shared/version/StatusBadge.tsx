import { Badge, Group, Tooltip } from '@mantine/core';
import type { DeploymentStatus, ProjectStatus, Version } from '../api/models';
import { useT } from '../i18n';

const colors: Record<DeploymentStatus | ProjectStatus, string> = {
  NotDeployed: 'gray',
  Pending: 'yellow',
  Running: 'green',
  Failed: 'red',
  Unknown: 'gray',
  Ok: 'green',
  Error: 'red',
};

/** StatusBadge shows a deployment or project status in words and colour. */
export function StatusBadge({ status }: { status: DeploymentStatus | ProjectStatus }) {
  const t = useT();
  return (
    <Badge color={colors[status] ?? 'gray'} variant="light" data-status={status}>
      {t(`status.${status}`)}
    </Badge>
  );
}

/** VersionStatus is a version's status, its pods, the outdated marker (with why) and the
 * failure message. */
export function VersionStatus({ v }: { v: Version }) {
  const t = useT();
  const d = v.deployment;
  const badge = <StatusBadge status={d.status} />;
  return (
    <Group gap={6} wrap="nowrap" aria-label={`${t('version.status')}: ${t(`status.${d.status}`)}`} role="group">
      {d.message ? (
        <Tooltip label={d.message} multiline w={320} withArrow>
          <span>{badge}</span>
        </Tooltip>
      ) : (
        badge
      )}
      {v.outdated && (
        <Tooltip label={t('status.outdatedWhy')} multiline w={280} withArrow>
          <Badge color="orange" variant="outline" tabIndex={0}>
            {t('status.outdated')}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}
