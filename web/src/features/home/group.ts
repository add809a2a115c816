import type { Project, Version } from '../../shared/api/models';

export interface ProjectGroup {
  project: Project;
  versions: Version[];
}

/** groupByProject groups versions by their project, projects by name, versions by tag;
 * only the selected projects when the filter names any. */
export function groupByProject(versions: Version[], projects: Project[], filter: string[]): ProjectGroup[] {
  const byId = new Map(projects.map((p) => [p.id, p]));
  const groups = new Map<string, ProjectGroup>();
  for (const v of versions) {
    if (filter.length > 0 && !filter.includes(v.projectId)) continue;
    const project = byId.get(v.projectId);
    if (!project) continue;
    let g = groups.get(v.projectId);
    if (!g) {
      g = { project, versions: [] };
      groups.set(v.projectId, g);
    }
    g.versions.push(v);
  }
  const out = [...groups.values()];
  out.sort((a, b) => (a.project.name ?? '').localeCompare(b.project.name ?? ''));
  for (const g of out) g.versions.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  return out;
}
