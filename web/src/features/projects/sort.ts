import type { Project } from '../../shared/api/models';

export type SortKey = 'name' | 'status' | 'image' | 'versions' | 'deployed';
export interface Row {
  project: Project;
  deployed: number;
}

const statusOrder: Record<string, number> = { Error: 0, Pending: 1, Ok: 2, NotDeployed: 3 };

/** filterSort filters rows by a case-insensitive substring of name or image and sorts them by
 * a column; ties are broken by name. */
export function filterSort(rows: Row[], q: string, key: SortKey, desc: boolean): Row[] {
  const needle = q.trim().toLowerCase();
  const out = needle
    ? rows.filter((r) => (r.project.name ?? '').toLowerCase().includes(needle) || (r.project.imageName ?? '').toLowerCase().includes(needle))
    : [...rows];
  const byName = (a: Row, b: Row) => (a.project.name ?? '').localeCompare(b.project.name ?? '');
  const cmp: Record<SortKey, (a: Row, b: Row) => number> = {
    name: byName,
    status: (a, b) => (statusOrder[a.project.status] ?? 9) - (statusOrder[b.project.status] ?? 9),
    image: (a, b) => (a.project.imageName ?? '').localeCompare(b.project.imageName ?? ''),
    versions: (a, b) => (a.project.versionCount ?? 0) - (b.project.versionCount ?? 0),
    deployed: (a, b) => a.deployed - b.deployed,
  };
  out.sort((a, b) => {
    const c = cmp[key](a, b);
    return (desc ? -c : c) || byName(a, b);
  });
  return out;
}
