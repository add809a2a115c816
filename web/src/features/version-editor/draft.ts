// The version editor's model: a draft of a version's overrides, how it stands against the
// project's settings (what is inherited, what is overridden), and the PATCH that saves only
// what changed. Pure functions, tested in draft.test.ts.
import type { Lifetime, Project, Version } from '../../shared/api/models';
import type { components } from '../../shared/api/schema';

export type ConfigurationTemplate = components['schemas']['ConfigurationTemplate'];
export type VersionPatch = components['schemas']['VersionPatch'];
export type Behaviour = Version['deploymentBehaviour'];

/** Draft is what the editor edits: the version's overrides. An empty namespace or URL
 * template list inherits the project's; a lifetime of type INHERIT inherits its default. */
export interface Draft {
  namespace: string;
  urlTemplates: string[];
  /** overrideUrls: the version has URL templates of its own (else the project's apply). */
  overrideUrls: boolean;
  templates: ConfigurationTemplate[];
  variables: Record<string, string>;
  lifetime: Lifetime;
  behaviour: Behaviour;
}

export function draftOf(v: Version): Draft {
  return {
    namespace: v.namespace ?? '',
    urlTemplates: [...(v.urlTemplates ?? [])],
    overrideUrls: (v.urlTemplates ?? []).length > 0,
    templates: (v.configurationTemplates ?? []).map((t) => ({ ...t })),
    variables: { ...(v.templateVariables ?? {}) },
    lifetime: v.lifetimeBehaviour?.type ? { ...v.lifetimeBehaviour } : { type: 'INHERIT' },
    behaviour: v.deploymentBehaviour,
  };
}

function sameLifetime(a: Lifetime, b: Lifetime): boolean {
  return a.type === b.type && (a.type !== 'DAYS' || (a.value ?? 0) === (b.value ?? 0));
}

function sameTemplates(a: ConfigurationTemplate[], b: ConfigurationTemplate[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((t, i) => {
    const o = b[i];
    return (
      !!o &&
      t.name === o.name &&
      (t.content ?? '') === (o.content ?? '') &&
      (t.chartName ?? '') === (o.chartName ?? '') &&
      (t.chartVersion ?? '') === (o.chartVersion ?? '') &&
      (t.helmRegistryId ?? '') === (o.helmRegistryId ?? '') &&
      (t.description ?? '') === (o.description ?? '')
    );
  });
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && a[k] === b[k]);
}

/** urlsOf is the draft's URL templates as saved: none when the project's apply, else the
 * non-empty lines. */
function urlsOf(d: Draft): string[] {
  return d.overrideUrls ? d.urlTemplates.map((u) => u.trim()).filter(Boolean) : [];
}

/** patchOf is the PATCH body that turns v into the draft: only the fields that differ. */
export function patchOf(v: Version, d: Draft): VersionPatch {
  const base = draftOf(v);
  const p: VersionPatch = {};
  if (d.namespace.trim() !== base.namespace) p.namespace = d.namespace.trim();
  const urls = urlsOf(d);
  if (urls.join('\n') !== (v.urlTemplates ?? []).join('\n')) p.urlTemplates = urls;
  if (!sameTemplates(d.templates, base.templates)) p.configurationTemplates = d.templates;
  if (!sameMap(d.variables, base.variables)) p.templateVariables = d.variables;
  const lifetime: Lifetime = d.lifetime.type === 'DAYS' ? { type: 'DAYS', value: d.lifetime.value ?? 1 } : { type: d.lifetime.type };
  if (!sameLifetime(lifetime, base.lifetime)) p.lifetimeBehaviour = lifetime;
  if (d.behaviour !== base.behaviour) p.deploymentBehaviour = d.behaviour;
  return p;
}

export function isDirty(v: Version, d: Draft): boolean {
  return Object.keys(patchOf(v, d)).length > 0;
}

/** TemplateRow is one template the version deploys (or a project template it overrides). */
export interface TemplateRow {
  name: string;
  /** inherited: the project's, unchanged; overridden: the version's replaces the project's;
   * own: the version's only. */
  kind: 'inherited' | 'overridden' | 'own';
  project?: ConfigurationTemplate;
  version?: ConfigurationTemplate;
}

/** templateRows lists the effective templates the way the server merges them: the project's
 * in their order, each replaced by the version's of the same name, then the version's own. */
export function templateRows(project: ConfigurationTemplate[], version: ConfigurationTemplate[]): TemplateRow[] {
  const own = new Map(version.map((t) => [t.name ?? '', t]));
  const rows: TemplateRow[] = project.map((pt) => {
    const vt = own.get(pt.name ?? '');
    return vt ? { name: pt.name ?? '', kind: 'overridden', project: pt, version: vt } : { name: pt.name ?? '', kind: 'inherited', project: pt };
  });
  const names = new Set(project.map((t) => t.name ?? ''));
  for (const vt of version) {
    if (!names.has(vt.name ?? '')) rows.push({ name: vt.name ?? '', kind: 'own', version: vt });
  }
  return rows;
}

/** overrideTemplate adds a copy of the project's template to the version (to be edited). */
export function overrideTemplate(d: Draft, pt: ConfigurationTemplate): Draft {
  const copy: ConfigurationTemplate = {
    name: pt.name,
    description: pt.description,
    content: pt.content,
    chartName: pt.chartName,
    chartVersion: pt.chartVersion,
    helmRegistryId: pt.helmRegistryId,
  };
  return { ...d, templates: [...d.templates.filter((t) => t.name !== pt.name), copy] };
}

/** newTemplateProblem says what is wrong with the name of a template to add to the version:
 * empty, or taken (a project's template of that name is overridden, not added). */
export function newTemplateProblem(project: ConfigurationTemplate[], d: Draft, name: string): 'required' | 'taken' | null {
  const n = name.trim();
  if (n === '') return 'required';
  if ([...project, ...d.templates].some((t) => t.name === n)) return 'taken';
  return null;
}

/** addTemplate adds a template of the version's own (not the project's), with empty values. */
export function addTemplate(d: Draft, t: Pick<ConfigurationTemplate, 'name' | 'helmRegistryId' | 'chartName' | 'chartVersion'>): Draft {
  const tpl: ConfigurationTemplate = {
    name: (t.name ?? '').trim(),
    description: '',
    content: '',
    chartName: t.chartName,
    chartVersion: t.chartVersion,
    helmRegistryId: t.helmRegistryId,
  };
  return { ...d, templates: [...d.templates, tpl] };
}

/** revertTemplate removes the version's template of that name (the project's applies again). */
export function revertTemplate(d: Draft, name: string): Draft {
  return { ...d, templates: d.templates.filter((t) => t.name !== name) };
}

export function setTemplateContent(d: Draft, name: string, content: string): Draft {
  return { ...d, templates: d.templates.map((t) => (t.name === name ? { ...t, content } : t)) };
}

/** VariableRow is one variable: the project's declaration (if any) and the version's value. */
export interface VariableRow {
  name: string;
  label: string;
  /** The project's default; undefined for an override of a variable the project does not declare. */
  inherited?: string;
  values: string[];
  useValues: boolean;
  /** The version's override, if it has one. */
  override?: string;
  /** The value in effect: the override, else the project's default. */
  effective: string;
}

export function variableRows(p: Pick<Project, 'templateVariables'>, vars: Record<string, string>): VariableRow[] {
  const rows: VariableRow[] = (p.templateVariables ?? []).map((tv) => {
    const name = tv.name ?? '';
    const override = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
    const inherited = tv.defaultValue ?? '';
    return {
      name,
      label: tv.label || name,
      inherited,
      values: tv.values ?? [],
      useValues: !!tv.useValues,
      override,
      effective: override ?? inherited,
    };
  });
  const declared = new Set(rows.map((r) => r.name));
  for (const [name, value] of Object.entries(vars).sort(([a], [b]) => a.localeCompare(b))) {
    if (!declared.has(name)) rows.push({ name, label: name, values: [], useValues: false, override: value, effective: value });
  }
  return rows;
}

export function setVariable(d: Draft, name: string, value: string): Draft {
  return { ...d, variables: { ...d.variables, [name]: value } };
}

/** revertVariable drops the version's override: the project's default applies again. */
export function revertVariable(d: Draft, name: string): Draft {
  const variables = { ...d.variables };
  delete variables[name];
  return { ...d, variables };
}
