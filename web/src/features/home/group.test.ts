import { describe, expect, it } from 'vitest';
import { groupByProject } from './group';
import type { Project, Version } from '../../shared/api/models';

const p = (id: string, name: string) => ({ id, name }) as Project;
const v = (id: string, projectId: string, name: string) => ({ id, projectId, name }) as Version;

describe('groupByProject', () => {
  const projects = [p('b', 'beta'), p('a', 'alpha')];
  const versions = [v('1', 'b', '1.10.0'), v('2', 'a', 'x'), v('3', 'b', '1.9.0'), v('4', 'gone', 'y')];

  it('groups by project sorted by name, versions in natural tag order, drops unknown projects', () => {
    const g = groupByProject(versions, projects, []);
    expect(g.map((x) => x.project.name)).toEqual(['alpha', 'beta']);
    expect(g[1]?.versions.map((x) => x.name)).toEqual(['1.9.0', '1.10.0']);
  });

  it('keeps only the projects of the filter', () => {
    expect(groupByProject(versions, projects, ['b']).map((x) => x.project.name)).toEqual(['beta']);
  });
});
