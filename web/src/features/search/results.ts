import type { Project, SearchResult, Version } from '../../shared/api/models';

/** A search hit: a project, or a version with its project's name. */
export type Hit = { kind: 'project'; project: Project } | { kind: 'version'; version: Version; projectName: string };

/** hits orders a search answer for display: projects first (by name), then versions (newest
 * image first, as the server answers them), each version named with its project. */
export function hits(r: SearchResult | undefined, projectNames: Map<string, string>): Hit[] {
  if (!r) return [];
  const projects = [...r.projects].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  const names = new Map(projectNames);
  for (const p of r.projects) if (p.name) names.set(p.id, p.name);
  return [
    ...projects.map((project) => ({ kind: 'project' as const, project })),
    ...r.versions.map((version) => ({ kind: 'version' as const, version, projectName: names.get(version.projectId) ?? '' })),
  ];
}

/** page returns the hits of a 1-based page. */
export function page<T>(items: T[], n: number, size: number): T[] {
  return items.slice((n - 1) * size, n * size);
}

/** searchPage is what the search page asks the server for page n (1-based; anything else is
 * page 1) of size versions. */
export function searchPage(n: string | number, size: number): { page: number; limit: number; offset: number } {
  const p = Math.max(1, Math.floor(Number(n)) || 1);
  return { page: p, limit: size, offset: (p - 1) * size };
}

/** pageHits is what one server page shows: the matching projects on the first page only (the
 * server answers the first ones with every page), then that page's versions. */
export function pageHits(r: SearchResult | undefined, projectNames: Map<string, string>, n: number): Hit[] {
  const all = hits(r, projectNames);
  return n === 1 ? all : all.filter((h) => h.kind === 'version');
}
