import { describe, expect, it } from 'vitest';
import { hits, page, pageHits, searchPage } from './results';
import type { Project, SearchResult, Version } from '../../shared/api/models';

describe('search hits', () => {
  const r = {
    projects: [{ id: 'p2', name: 'zeta' }, { id: 'p1', name: 'hello' }] as Project[],
    versions: [{ id: 'v1', projectId: 'p1', name: '1.1.0' }, { id: 'v2', projectId: 'p3', name: '1.0.0' }] as Version[],
  } as SearchResult;

  it('lists projects by name, then versions named with their project', () => {
    const h = hits(r, new Map([['p3', 'other']]));
    expect(h.map((x) => (x.kind === 'project' ? x.project.name : `${x.projectName} ${x.version.name}`))).toEqual(['hello', 'zeta', 'hello 1.1.0', 'other 1.0.0']);
  });

  it('is empty without an answer and pages the hits', () => {
    expect(hits(undefined, new Map())).toEqual([]);
    expect(page([1, 2, 3, 4, 5], 2, 2)).toEqual([3, 4]);
  });

  it('asks the server for the page in the URL, page 1 for anything else', () => {
    expect(searchPage('3', 20)).toEqual({ page: 3, limit: 20, offset: 40 });
    expect(searchPage('', 20)).toEqual({ page: 1, limit: 20, offset: 0 });
    expect(searchPage('-2', 20)).toEqual({ page: 1, limit: 20, offset: 0 });
    expect(searchPage('x', 20)).toEqual({ page: 1, limit: 20, offset: 0 });
  });

  it('shows the matching projects on the first page only', () => {
    expect(pageHits(r, new Map(), 1).map((h) => h.kind)).toEqual(['project', 'project', 'version', 'version']);
    expect(pageHits(r, new Map(), 2).map((h) => h.kind)).toEqual(['version', 'version']);
  });
});
