// The project editor's draft: the project as the form holds it, how it is made from the
// server's document and back, and the checks that can be made before saving. Problems are
// keyed by the server's field paths ("templateVariables[0].name"), so that the 422 answer's
// fields land on the same inputs.
import type { components } from '../../shared/api/schema';
import type { Project, TemplateVariable } from '../../shared/api/models';
import type { EditorKey } from './messages';
import { lintTemplate, lintUrlTemplate } from './template/lint';

export type ConfigurationTemplate = components['schemas']['ConfigurationTemplate'];
export type LifetimeType = 'UNTIL_TONIGHT' | 'UNTIL_WEEKEND' | 'DAYS' | 'INFINITE';
export type AutoDeployMode = 'none' | 'tagPattern' | 'semver';

/** A list item with a key that stays while the user edits it (React keys). */
type Keyed<T> = T & { key: string };

export interface DraftVariable {
  key: string;
  id?: string;
  name: string;
  label: string;
  defaultValue: string;
  values: string[];
  useValues: boolean;
  showOnDashboard: boolean;
}

export type DraftTemplate = Keyed<Required<Pick<ConfigurationTemplate, 'name' | 'description' | 'content' | 'chartName' | 'chartVersion' | 'helmRegistryId'>> & { id?: string }>;

export interface Draft {
  name: string;
  dockerRegistryId: string;
  imageName: string;
  namespace: string;
  newVersionsDeploymentBehaviour: 'automatically' | 'manually';
  autoDeployMode: AutoDeployMode;
  autoDeployValue: string;
  lifetimeType: LifetimeType;
  lifetimeDays: number;
  urlTemplates: string[];
  templates: DraftTemplate[];
  variables: DraftVariable[];
}

let counter = 0;
/** newKey returns a key for a list item made in the browser. */
export function newKey(): string {
  counter += 1;
  return `new-${counter}`;
}

export function emptyDraft(): Draft {
  return {
    name: '',
    dockerRegistryId: '',
    imageName: '',
    namespace: '',
    newVersionsDeploymentBehaviour: 'manually',
    autoDeployMode: 'none',
    autoDeployValue: '',
    lifetimeType: 'UNTIL_TONIGHT',
    lifetimeDays: 7,
    urlTemplates: [],
    templates: [],
    variables: [],
  };
}

export function emptyVariable(): DraftVariable {
  return { key: newKey(), name: '', label: '', defaultValue: '', values: [], useValues: false, showOnDashboard: false };
}

export function emptyTemplate(name: string, helmRegistryId = ''): DraftTemplate {
  return { key: newKey(), name, description: '', content: '', chartName: '', chartVersion: '', helmRegistryId };
}

/** fromProject makes the draft of a stored project. */
export function fromProject(p: Project): Draft {
  const lt = p.defaultLifetimeBehaviour;
  const mode: AutoDeployMode = p.autoDeploy?.tagPattern ? 'tagPattern' : p.autoDeploy?.semver ? 'semver' : 'none';
  return {
    name: p.name ?? '',
    dockerRegistryId: p.dockerRegistryId ?? '',
    imageName: p.imageName ?? '',
    namespace: p.namespace ?? '',
    newVersionsDeploymentBehaviour: p.newVersionsDeploymentBehaviour ?? 'manually',
    autoDeployMode: mode,
    autoDeployValue: mode === 'tagPattern' ? (p.autoDeploy?.tagPattern ?? '') : mode === 'semver' ? (p.autoDeploy?.semver ?? '') : '',
    lifetimeType: lt?.type && lt.type !== 'INHERIT' ? lt.type : 'UNTIL_TONIGHT',
    lifetimeDays: lt?.type === 'DAYS' && lt.value ? lt.value : 7,
    urlTemplates: [...(p.urlTemplates ?? [])],
    templates: (p.defaultConfigurationTemplates ?? []).map((t) => ({
      key: t.id || newKey(),
      id: t.id,
      name: t.name ?? '',
      description: t.description ?? '',
      content: t.content ?? '',
      chartName: t.chartName ?? '',
      chartVersion: t.chartVersion ?? '',
      helmRegistryId: t.helmRegistryId ?? '',
    })),
    variables: (p.templateVariables ?? []).map((v) => ({
      key: v.id || newKey(),
      id: v.id,
      name: v.name ?? '',
      label: v.label ?? '',
      defaultValue: v.defaultValue ?? '',
      values: [...(v.values ?? [])],
      useValues: !!v.useValues,
      showOnDashboard: !!v.showOnDashboard,
    })),
  };
}

/** The fields of a project a client writes (POST and PUT). */
export type ProjectBody = Omit<Project, 'id' | 'status' | 'createdAt' | 'updatedAt' | 'deletingSince'>;

/** toBody makes the document sent to the server. */
export function toBody(d: Draft): ProjectBody {
  const variables: TemplateVariable[] = d.variables.map((v) => ({
    ...(v.id ? { id: v.id } : {}),
    name: v.name,
    label: v.label,
    defaultValue: v.defaultValue,
    values: v.values,
    useValues: v.useValues,
    showOnDashboard: v.showOnDashboard,
  }));
  return {
    name: d.name,
    dockerRegistryId: d.dockerRegistryId,
    imageName: d.imageName,
    namespace: d.namespace,
    newVersionsDeploymentBehaviour: d.newVersionsDeploymentBehaviour,
    ...(d.autoDeployMode !== 'none' ? { autoDeploy: { [d.autoDeployMode]: d.autoDeployValue.trim() } } : {}),
    defaultLifetimeBehaviour: d.lifetimeType === 'DAYS' ? { type: 'DAYS', value: d.lifetimeDays } : { type: d.lifetimeType },
    urlTemplates: d.urlTemplates,
    defaultConfigurationTemplates: d.templates.map(({ key: _key, id, ...t }) => ({ ...(id ? { id } : {}), ...t })),
    templateVariables: variables,
  };
}

/** sameDraft tells whether two drafts save the same project (the ids the server gave new
 * templates and variables aside). */
export function sameDraft(a: Draft, b: Draft): boolean {
  const plain = (d: Draft) => {
    const body = toBody(d);
    return JSON.stringify({
      ...body,
      defaultConfigurationTemplates: body.defaultConfigurationTemplates?.map(({ id: _id, ...t }) => t),
      templateVariables: body.templateVariables?.map(({ id: _id, ...v }) => v),
    });
  };
  return a === b || plain(a) === plain(b);
}

/** Problems by field path; the message is English only where it comes from the template
 * checks (they name the template language's terms), else a message key. */
export type Problems = Record<string, ProblemText>;
export type ProblemText = { key: ProblemKey; params?: Record<string, string | number> } | { text: string };
export type ProblemKey = Extract<EditorKey,
  | 'editor.problem.required'
  | 'editor.problem.spaces'
  | 'editor.problem.tooLong'
  | 'editor.problem.image'
  | 'editor.problem.variableName'
  | 'editor.problem.duplicate'
  | 'editor.problem.selectNeedsValues'
  | 'editor.problem.defaultNotListed'
  | 'editor.problem.lineBreak'
  | 'editor.problem.days'
  | 'editor.problem.template'
>;

const repositoryPattern = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const variableNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const maxNameLength = 100;

function displayName(name: string): ProblemText | null {
  if (name.trim() === '') return { key: 'editor.problem.required' };
  if (name !== name.trim()) return { key: 'editor.problem.spaces' };
  if ([...name].length > maxNameLength) return { key: 'editor.problem.tooLong', params: { max: maxNameLength } };
  return null;
}

/** validate checks what can be checked in the browser, the way the server will
 * (internal/model Project.Validate), including the templates' syntax and variables. */
export function validate(d: Draft): Problems {
  const p: Problems = {};
  const put = (field: string, problem: ProblemText | null) => {
    if (problem && !p[field]) p[field] = problem;
  };
  put('name', displayName(d.name));
  if (!d.dockerRegistryId) put('dockerRegistryId', { key: 'editor.problem.required' });
  if (!d.imageName) put('imageName', { key: 'editor.problem.required' });
  else if (d.imageName.length > 255 || !repositoryPattern.test(d.imageName)) put('imageName', { key: 'editor.problem.image' });
  if (d.autoDeployMode !== 'none' && d.autoDeployValue.trim() === '') put('autoDeploy', { key: 'editor.problem.required' });
  if (d.lifetimeType === 'DAYS' && !(Number.isInteger(d.lifetimeDays) && d.lifetimeDays >= 1 && d.lifetimeDays <= 365)) {
    put('defaultLifetimeBehaviour', { key: 'editor.problem.days' });
  }
  d.urlTemplates.forEach((u, i) => {
    const first = lintUrlTemplate(u)[0];
    if (first) put(`urlTemplates[${i}]`, { text: first.message });
  });
  const names = d.variables.map((v) => v.name);
  d.variables.forEach((v, i) => {
    const f = `templateVariables[${i}]`;
    if (!variableNamePattern.test(v.name) || v.name.length > 100) put(`${f}.name`, { key: 'editor.problem.variableName' });
    else if (names.indexOf(v.name) !== i) put(`${f}.name`, { key: 'editor.problem.duplicate' });
    if (v.useValues && v.values.length === 0) put(`${f}.values`, { key: 'editor.problem.selectNeedsValues' });
    if (v.useValues && v.defaultValue !== '' && !v.values.includes(v.defaultValue)) put(`${f}.defaultValue`, { key: 'editor.problem.defaultNotListed' });
    if ([v.defaultValue, ...v.values].some((s) => /[\n\r\u0085\u2028\u2029]/.test(s))) put(`${f}.values`, { key: 'editor.problem.lineBreak' });
  });
  const templateNames = d.templates.map((t) => t.name);
  d.templates.forEach((t, i) => {
    const f = `defaultConfigurationTemplates[${i}]`;
    put(`${f}.name`, displayName(t.name));
    if (templateNames.indexOf(t.name) !== i) put(`${f}.name`, { key: 'editor.problem.duplicate' });
    if (!t.helmRegistryId) put(`${f}.helmRegistryId`, { key: 'editor.problem.required' });
    if (!t.chartName) put(`${f}.chartName`, { key: 'editor.problem.required' });
    const lint = lintTemplate(t.content, names).filter((x) => x.severity === 'error');
    if (lint.length > 0) put(`${f}.content`, { key: 'editor.problem.template', params: { count: lint.length } });
  });
  return p;
}

/** problemsFromServer turns a 422 answer's fields into problems by field path. */
export function problemsFromServer(fields: unknown): Problems {
  const p: Problems = {};
  if (!Array.isArray(fields)) return p;
  for (const f of fields as { field?: unknown; message?: unknown }[]) {
    if (typeof f?.field === 'string' && typeof f.message === 'string' && !p[f.field]) p[f.field] = { text: f.message };
  }
  return p;
}
