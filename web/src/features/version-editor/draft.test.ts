import { describe, expect, it } from 'vitest';
import type { Project, Version } from '../../shared/api/models';
import { addTemplate, draftOf, isDirty, newTemplateProblem, overrideTemplate, patchOf, revertTemplate, revertVariable, setTemplateContent, setVariable, templateRows, variableRows } from './draft';

function version(over: Partial<Version> = {}): Version {
  return {
    id: 'v1',
    projectId: 'p1',
    name: '1.0.0',
    digest: '',
    imageUpdatedAt: '2026-01-01T00:00:00Z',
    createdAt: '2026-01-01T00:00:00Z',
    deploymentBehaviour: 'automatically',
    templateVariables: {},
    urlTemplates: [],
    configurationTemplates: [],
    lifetimeBehaviour: { type: 'INHERIT' },
    namespace: '',
    desiredState: 'NotDeployed',
    outdated: false,
    urls: [],
    generation: 1,
    deployment: { status: 'NotDeployed', readyPods: 0, desiredPods: 0, releases: [] },
    ...over,
  };
}

const project = {
  templateVariables: [
    { name: 'REPLICAS', label: 'Replicas', defaultValue: '1', values: ['1', '2', '3'], useValues: true },
    { name: 'GREETING', label: '', defaultValue: 'hello' },
  ],
} as Pick<Project, 'templateVariables'>;

const hello = { name: 'hello', content: 'replicas: {{REPLICAS}}\n', chartName: 'hello', chartVersion: '1.0.0', helmRegistryId: 'h1' };
const extra = { name: 'db', content: 'a: 1\n', chartName: 'pg', helmRegistryId: 'h1' };

describe('patchOf', () => {
  it('is empty for an untouched draft', () => {
    const v = version({ templateVariables: { REPLICAS: '2' }, urlTemplates: ['http://x'], configurationTemplates: [{ ...hello, id: 't1' }] });
    expect(patchOf(v, draftOf(v))).toEqual({});
    expect(isDirty(v, draftOf(v))).toBe(false);
  });

  it('sends only what changed', () => {
    const v = version();
    const d = setVariable(draftOf(v), 'REPLICAS', '3');
    expect(patchOf(v, d)).toEqual({ templateVariables: { REPLICAS: '3' } });
  });

  it('reverting an override sends the map without it', () => {
    const v = version({ templateVariables: { REPLICAS: '3', GREETING: 'hi' } });
    expect(patchOf(v, revertVariable(draftOf(v), 'REPLICAS'))).toEqual({ templateVariables: { GREETING: 'hi' } });
  });

  it('inheriting the URL templates sends an empty list; empty lines are dropped', () => {
    const v = version({ urlTemplates: ['http://a'] });
    expect(patchOf(v, { ...draftOf(v), overrideUrls: false })).toEqual({ urlTemplates: [] });
    const w = version();
    expect(patchOf(w, { ...draftOf(w), overrideUrls: true, urlTemplates: [' http://b ', ''] })).toEqual({ urlTemplates: ['http://b'] });
    expect(patchOf(w, { ...draftOf(w), overrideUrls: true, urlTemplates: [''] })).toEqual({});
  });

  it('lifetime: days carry their value, inherit is a type of its own', () => {
    const v = version();
    expect(patchOf(v, { ...draftOf(v), lifetime: { type: 'DAYS', value: 5 } })).toEqual({ lifetimeBehaviour: { type: 'DAYS', value: 5 } });
    const w = version({ lifetimeBehaviour: { type: 'DAYS', value: 5 } });
    expect(patchOf(w, { ...draftOf(w), lifetime: { type: 'INHERIT' } })).toEqual({ lifetimeBehaviour: { type: 'INHERIT' } });
    expect(patchOf(w, { ...draftOf(w), lifetime: { type: 'DAYS', value: 6 } })).toEqual({ lifetimeBehaviour: { type: 'DAYS', value: 6 } });
  });

  it('a version without a lifetime inherits', () => {
    const v = version({ lifetimeBehaviour: undefined });
    expect(draftOf(v).lifetime).toEqual({ type: 'INHERIT' });
  });

  it('namespace and behaviour', () => {
    const v = version();
    expect(patchOf(v, { ...draftOf(v), namespace: ' team-a ', behaviour: 'manually' })).toEqual({ namespace: 'team-a', deploymentBehaviour: 'manually' });
  });
});

describe('templates', () => {
  it('lists the project templates in order, overridden ones replaced, then the version\'s own', () => {
    const rows = templateRows([hello, extra], [{ ...extra, content: 'a: 2\n' }, { name: 'cache', content: '' }]);
    expect(rows.map((r) => [r.name, r.kind])).toEqual([
      ['hello', 'inherited'],
      ['db', 'overridden'],
      ['cache', 'own'],
    ]);
    expect(rows[1]?.version?.content).toBe('a: 2\n');
    expect(rows[1]?.project?.content).toBe('a: 1\n');
  });

  it('override copies the project template (without its id), edit and revert', () => {
    const v = version();
    let d = overrideTemplate(draftOf(v), { ...hello, id: 'project-template-id' });
    expect(d.templates).toEqual([{ name: 'hello', description: undefined, content: hello.content, chartName: 'hello', chartVersion: '1.0.0', helmRegistryId: 'h1' }]);
    d = setTemplateContent(d, 'hello', 'replicas: 5\n');
    expect(patchOf(v, d).configurationTemplates?.[0]?.content).toBe('replicas: 5\n');
    d = revertTemplate(d, 'hello');
    expect(patchOf(v, d)).toEqual({});
  });

  it('adds a new template of the version’s own; its name must be new', () => {
    const v = version({ configurationTemplates: [extra] });
    const d0 = draftOf(v);
    expect(newTemplateProblem([hello], d0, ' ')).toBe('required');
    expect(newTemplateProblem([hello], d0, 'hello')).toBe('taken'); // the project's: override it instead
    expect(newTemplateProblem([hello], d0, 'db')).toBe('taken'); // the version has it already
    expect(newTemplateProblem([hello], d0, 'cache')).toBeNull();
    const d = addTemplate(d0, { name: ' cache ', helmRegistryId: 'h1', chartName: 'redis', chartVersion: '' });
    expect(templateRows([hello], d.templates).map((r) => [r.name, r.kind])).toEqual([
      ['hello', 'inherited'],
      ['db', 'own'],
      ['cache', 'own'],
    ]);
    expect(patchOf(v, d)).toEqual({
      configurationTemplates: [extra, { name: 'cache', description: '', content: '', chartName: 'redis', chartVersion: '', helmRegistryId: 'h1' }],
    });
  });
});

describe('variableRows', () => {
  it('shows the inherited value next to the override', () => {
    const rows = variableRows(project, { REPLICAS: '3' });
    expect(rows[0]).toMatchObject({ name: 'REPLICAS', label: 'Replicas', inherited: '1', override: '3', effective: '3', useValues: true });
    expect(rows[1]).toMatchObject({ name: 'GREETING', label: 'GREETING', inherited: 'hello', override: undefined, effective: 'hello' });
  });

  it('lists overrides of variables the project does not declare', () => {
    const rows = variableRows(project, { ZED: 'z', ALPHA: 'a' });
    expect(rows.slice(2).map((r) => [r.name, r.inherited, r.effective])).toEqual([
      ['ALPHA', undefined, 'a'],
      ['ZED', undefined, 'z'],
    ]);
  });

  it('an override of an empty string still counts', () => {
    const rows = variableRows(project, { GREETING: '' });
    expect(rows[1]).toMatchObject({ override: '', effective: '' });
  });
});
