// Template linting for the editors: syntax errors of the template language, variables that
// are not defined, and YAML that would not parse once rendered. Plain functions over the
// text, so that they are tested without an editor; the CodeMirror editor shows what they find.
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { builtinVariables, functionArities, parseTemplate, urlTemplateVariables, variableUses } from './language';

/** A problem found in a template, by offsets into its text. */
export interface Problem {
  from: number;
  to: number;
  severity: 'error' | 'warning';
  message: string;
}

/** The variables a configuration template may read: the built-ins and the project's own. */
export function knownVariables(projectVariables: readonly string[]): Set<string> {
  return new Set([...builtinVariables, ...projectVariables.filter(Boolean)]);
}

/** lintTemplate checks a configuration template: its tags, the variables it reads (each
 * must be a built-in or one of the project's variables) and, with the placeholders filled
 * in, that it is a YAML mapping (Helm values). */
export function lintTemplate(content: string, projectVariables: readonly string[]): Problem[] {
  const known = knownVariables(projectVariables);
  const parsed = parseTemplate(content);
  const problems: Problem[] = parsed.errors.map((e) => ({ from: e.from, to: e.to, severity: 'error', message: e.message }));
  for (const use of variableUses(parsed.nodes)) {
    if (!known.has(use.name)) {
      problems.push({ ...use, severity: 'error', message: unknownMessage(use.name, known) });
    }
  }
  if (parsed.errors.length === 0) problems.push(...lintYaml(maskTags(content)));
  return problems.sort((a, b) => a.from - b.from);
}

/** lintUrlTemplate checks a URL template: its tags, that it reads only the built-ins URL
 * templates see, and that it starts like an http(s) URL. */
export function lintUrlTemplate(url: string): Problem[] {
  if (url.trim() === '') return [{ from: 0, to: 0, severity: 'error', message: 'must not be empty' }];
  const known = new Set(urlTemplateVariables);
  const parsed = parseTemplate(url);
  const problems: Problem[] = parsed.errors.map((e) => ({ from: e.from, to: e.to, severity: 'error', message: e.message }));
  for (const use of variableUses(parsed.nodes)) {
    if (!known.has(use.name)) {
      problems.push({ ...use, severity: 'error', message: `${unknownMessage(use.name, known)} (URL templates see the built-ins only)` });
    }
  }
  const literal = (url.split('{{')[0] ?? '').trimStart();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(literal);
  if (scheme && !['http', 'https'].includes((scheme[1] as string).toLowerCase())) {
    problems.push({ from: 0, to: scheme[0].length, severity: 'error', message: 'must be an http:// or https:// URL' });
  }
  return problems;
}

function unknownMessage(name: string, known: Set<string>): string {
  const near = [...known].find((k) => k.toLowerCase() === name.toLowerCase());
  return near ? `unknown variable ${name}; did you mean ${near}?` : `unknown variable ${name}: define it under Variables or use a built-in`;
}

/** maskTags replaces every tag by filler of the same length (x for a placeholder, spaces for
 * a control tag), keeping line breaks, so that the YAML parser sees what a render would
 * produce and its positions stay those of the template. */
export function maskTags(content: string): string {
  return content.replace(/\{\{[\s\S]*?\}\}/g, (tag) => {
    const control = /^\{\{\s*(if|elseif|else|end|for)\b/.test(tag);
    return tag.replace(/[^\n]/g, control ? ' ' : 'x');
  });
}

/** lintYaml reports YAML syntax errors and a document that is not a mapping. */
export function lintYaml(text: string): Problem[] {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const problems: Problem[] = doc.errors.map((e) => ({
    from: e.pos[0],
    to: Math.max(e.pos[1], e.pos[0] + 1),
    severity: 'error',
    message: `YAML: ${(e.message.split('\n')[0] ?? '').trim()}`,
  }));
  const c = doc.contents;
  if (problems.length === 0 && c !== null && !isMap(c) && !(isScalar(c) && c.value === null)) {
    problems.push({ from: 0, to: Math.min(text.length, 1), severity: 'error', message: `YAML: Helm values must be a mapping, not ${isSeq(c) ? 'a list' : 'a scalar'}` });
  }
  return problems;
}

/** The words completed inside {{…}}: variables (built-ins and the project's), and functions after "fn.". */
export interface Completion {
  from: number;
  options: { label: string; detail: string; apply?: string }[];
}

/** completeAt offers completions at pos when it is inside a tag, else null. */
export function completeAt(content: string, pos: number, projectVariables: { name: string; label?: string }[]): Completion | null {
  const before = content.slice(0, pos);
  const open = before.lastIndexOf('{{');
  if (open < 0 || before.indexOf('}}', open) >= 0) return null;
  const fn = /fn\.([A-Za-z]*)$/.exec(before);
  if (fn) {
    return {
      from: pos - (fn[1] as string).length,
      options: Object.entries(functionArities).map(([name, ar]) => ({ label: name, detail: `fn, ${ar.join(' or ')} arguments`, apply: name + '(' })),
    };
  }
  const word = /[A-Za-z_][A-Za-z0-9_]*$/.exec(before);
  const from = word ? pos - word[0].length : pos;
  const own = projectVariables.filter((v) => v.name);
  return {
    from,
    options: [
      ...own.map((v) => ({ label: v.name, detail: v.label || 'variable' })),
      ...builtinVariables.filter((b) => !own.some((v) => v.name === b)).map((b) => ({ label: b, detail: 'built-in' })),
      { label: 'fn', detail: 'functions', apply: 'fn.' },
    ],
  };
}
