// The chart browser's logic: charts sorted by name and filtered, versions newest first.
import type { ChartList } from './api';

export type ChartVersion = ChartList['charts'][string][number];

export interface Chart {
  name: string;
  versions: ChartVersion[];
}

/** compareVersions orders semantic versions (numeric parts, then a pre-release before its
 * release); what is not a version sorts by text. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(v);
    return m ? { nums: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], pre: m[4] } : null;
  };
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return pa ? 1 : pb ? -1 : a.localeCompare(b);
  for (let i = 0; i < 3; i++) if (pa.nums[i] !== pb.nums[i]) return pa.nums[i]! - pb.nums[i]!;
  if (pa.pre === pb.pre) return 0;
  if (!pa.pre) return 1;
  if (!pb.pre) return -1;
  return pa.pre.localeCompare(pb.pre, undefined, { numeric: true });
}

/** chartsOf lists the charts whose name contains filter (any case), by name, each with its
 * versions newest first. */
export function chartsOf(list: ChartList | undefined, filter: string): Chart[] {
  const f = filter.trim().toLowerCase();
  return Object.entries(list?.charts ?? {})
    .filter(([name]) => name.toLowerCase().includes(f))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, versions]) => ({ name, versions: [...versions].sort((x, y) => compareVersions(y.version, x.version)) }));
}
