import { Badge } from '@mantine/core';
import type { CSSProperties } from 'react';
import type { DeploymentStatus, ProjectStatus, Version } from '../api/models';
import { useT, type Translate } from '../i18n';
import { LazyTooltip } from '../ui/LazyTooltip';
import classes from './version.module.css';

const colors: Record<DeploymentStatus | ProjectStatus, string> = {
  NotDeployed: 'gray',
  Pending: 'yellow',
  Running: 'green',
  Failed: 'red',
  Unknown: 'gray',
  Ok: 'green',
  Error: 'red',
};

/** badgeStyle gives a badge of a colour text with enough contrast in both themes (.oneko-badge). */
export function badgeStyle(color: string): CSSProperties {
  return { '--badge-fg-light': `color-mix(in srgb, var(--mantine-color-${color}-9) 70%, black)`, '--badge-fg-dark': `var(--mantine-color-${color}-2)` } as CSSProperties;
}

/** StatusBadge shows a deployment or project status in words and colour. */
export function StatusBadge({ status }: { status: DeploymentStatus | ProjectStatus }) {
  const t = useT();
  return (
    <Badge color={colors[status] ?? 'gray'} variant="light" data-status={status} className="oneko-badge" style={badgeStyle(colors[status] ?? 'gray')}>
      {t(`status.${status}`)}
    </Badge>
  );
}

/** outdatedReasons says what changed since the deploy ("variable SIZE, image digest"), or ""
 * when the server did not say. */
export function outdatedReasons(v: Version, t: Translate): string {
  const kinds = ['variable', 'template', 'namespace', 'urls', 'image', 'project'] as const;
  return (v.outdatedReasons ?? [])
    .map((r) => {
      const kind = kinds.find((k) => k === r.kind);
      return kind ? t(`status.changed.${kind}`, { name: r.name ?? '' }) : r.name || r.kind;
    })
    .join(', ');
}

/** VersionStatus is a version's status, its pods, the outdated marker (with why) and the
 * failure message. */
export function VersionStatus({ v }: { v: Version }) {
  const t = useT();
  const d = v.deployment;
  const badge = <StatusBadge status={d.status} />;
  const changed = outdatedReasons(v, t);
  return (
    <div className={classes.inline} aria-label={`${t('version.status')}: ${t(`status.${d.status}`)}`} role="group">
      {d.message ? (
        <LazyTooltip label={d.message} multiline w={320} withArrow>
          <span>{badge}</span>
        </LazyTooltip>
      ) : (
        badge
      )}
      {v.outdated && (
        <LazyTooltip label={changed ? t('status.outdatedChanged', { what: changed }) : t('status.outdatedWhy')} multiline w={280} withArrow>
          <Badge
            color="orange"
            variant="outline"
            tabIndex={0}
            className="oneko-badge"
            style={badgeStyle('orange')}
            aria-label={changed ? t('status.outdatedBadge', { what: changed }) : t('status.outdated')}
            data-outdated-reasons={changed || undefined}
          >
            {t('status.outdated')}
          </Badge>
        </LazyTooltip>
      )}
    </div>
  );
}
