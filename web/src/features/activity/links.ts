import { paths } from '../../app/paths';
import type { Activity } from '../../shared/api/models';

/** entityLink is where an activity's entity is shown, or null when the dashboard has no
 * screen for it (or the caller may not see it). Version ids carry their project's id
 * (<projectId>-<20 hex digits>, see store.VersionID). */
export function entityLink(a: Pick<Activity, 'entityType' | 'entityId'>, isAdmin: boolean): string | null {
  switch (a.entityType) {
    case 'project':
      return paths.project(a.entityId);
    case 'version': {
      const m = /^(.+)-[0-9a-f]{20}$/.exec(a.entityId);
      return m ? paths.project(m[1] as string) : null;
    }
    case 'dockerRegistry':
    case 'helmRegistry':
    case 'namespace':
    case 'user':
      return isAdmin ? paths.admin() : null;
    default:
      return null;
  }
}
