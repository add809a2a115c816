// oneko's template language (O-Neko's), as the server's internal/render implements it, for
// the editor: parse a template into tags, name the variables it reads, and render URL
// templates for the live preview. The server stays the judge: it checks every template again
// when the project is saved and renders at deploy time.
//
// A template is text with tags between "{{" and "}}": placeholders (expressions), and the
// control tags if/elseif/else/end and for … in …/end. Expressions have string, number,
// boolean and null literals, variables, fn.name(…) calls, [index], the unary ! - +, the
// binary * / % + - < <= > >= == != && || ^ and the ?: operator (see internal/render/doc.go).

/** The built-in variables every configuration template sees (internal/render/builtins.go). */
export const builtinVariables = [
  'PROJECT_NAME',
  'ONEKO_PROJECT',
  'VERSION_NAME',
  'ONEKO_VERSION',
  'SAFE_VERSION_NAME',
  'DNS_VERSION_NAME',
  'IMAGE',
  'IMAGE_TAG',
  'IMAGE_DIGEST',
  'IMAGE_REF',
  'NAMESPACE',
  'RELEASE_NAME',
  'URLS',
] as const;

/** URL templates see the built-ins without RELEASE_NAME and URLS. */
export const urlTemplateVariables: readonly string[] = builtinVariables.filter((v) => v !== 'RELEASE_NAME' && v !== 'URLS');

/** The fn.* functions and their argument counts. */
export const functionArities: Record<string, number[]> = {
  lowerCase: [1],
  upperCase: [1],
  trim: [1],
  replace: [3, 4],
  truncate: [2],
  removeStart: [2],
  removeEnd: [2],
  suffixWithMaxLength: [3],
};

/** A problem in a template, by offsets into its text. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly from: number,
    readonly to: number,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

export type Value = string | number | boolean | null | Value[];

interface Span {
  from: number;
  to: number;
}
export type Expr = Span &
  (
    | { k: 'lit'; v: Value; float?: boolean }
    | { k: 'var'; name: string }
    | { k: 'call'; name: string; args: Expr[] }
    | { k: 'index'; x: Expr; i: Expr }
    | { k: 'unary'; op: string; x: Expr }
    | { k: 'binary'; op: string; l: Expr; r: Expr }
    | { k: 'cond'; c: Expr; a: Expr; b: Expr }
  );

export type Node =
  | { k: 'text'; text: string }
  | ({ k: 'expr'; e: Expr } & Span)
  | { k: 'if'; branches: { cond: Expr; body: Node[] }[]; orElse: Node[] }
  | { k: 'for'; index?: string; value: string; list: Expr; body: Node[] };

/** The result of parsing: the tree (complete only when there are no errors) and every
 * problem found; a problem in one tag does not hide those of the others. */
export interface Parsed {
  nodes: Node[];
  errors: TemplateError[];
}

const controlWords = new Set(['if', 'elseif', 'else', 'end', 'for']);
const unsupported = new Set(['while', 'break', 'continue', 'macro', 'include', 'return']);

const isIdentStart = (c: string) => /[A-Za-z_]/.test(c);
const isIdent = (c: string) => /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';

/** The tag parser: reads one tag's contents from src starting after "{{". */
class TagParser {
  pos: number;
  constructor(
    readonly src: string,
    start: number,
  ) {
    this.pos = start;
  }

  fail(message: string, from = this.pos, to = from + 1): never {
    throw new TemplateError(message, from, Math.min(Math.max(to, from + 1), this.src.length));
  }

  skipSpace() {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos] as string)) this.pos++;
  }

  peekWord(): string {
    this.skipSpace();
    let end = this.pos;
    if (end < this.src.length && isIdentStart(this.src[end] as string)) {
      while (end < this.src.length && isIdent(this.src[end] as string)) end++;
    }
    return this.src.slice(this.pos, end);
  }

  peekToken(): string {
    this.skipSpace();
    if (this.pos >= this.src.length) return 'the end of the template';
    if (this.src.startsWith('}}', this.pos)) return '}}';
    const w = this.peekWord();
    return w || (this.src[this.pos] as string);
  }

  eat(s: string): boolean {
    this.skipSpace();
    if (this.src.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  /** closeTag consumes the "}}" ending the tag. */
  closeTag() {
    this.skipSpace();
    if (this.src.startsWith('}}', this.pos)) {
      this.pos += 2;
      return;
    }
    if (this.src[this.pos] === '=' && this.src[this.pos + 1] !== '=') this.fail('assignments are not supported');
    this.fail(`expected }} but found "${this.peekToken()}"`);
  }

  expression(): Expr {
    const c = this.binary(0);
    this.skipSpace();
    if (this.src[this.pos] === '?') {
      this.pos++;
      const a = this.expression();
      if (!this.eat(':')) this.fail(`expected : of the ?: operator but found "${this.peekToken()}"`);
      const b = this.expression();
      return { k: 'cond', c, a, b, from: c.from, to: b.to };
    }
    return c;
  }

  static levels = [['||', '&&', '^'], ['==', '!='], ['<=', '>=', '<', '>'], ['+', '-'], ['*', '/', '%']];

  operator(ops: string[]): string {
    this.skipSpace();
    for (const op of ops) {
      if (!this.src.startsWith(op, this.pos)) continue;
      // "<" must not take the "<" of "<=" and "!" is not "!=": ops are ordered longest first.
      return op;
    }
    return '';
  }

  binary(level: number): Expr {
    if (level >= TagParser.levels.length) return this.unary();
    let l = this.binary(level + 1);
    for (;;) {
      const op = this.operator(TagParser.levels[level] as string[]);
      if (!op) return l;
      this.pos += op.length;
      const r = this.binary(level + 1);
      l = { k: 'binary', op, l, r, from: l.from, to: r.to };
    }
  }

  unary(): Expr {
    this.skipSpace();
    const c = this.src[this.pos];
    if ((c === '!' && this.src[this.pos + 1] !== '=') || c === '-' || c === '+') {
      const from = this.pos++;
      const x = this.unary();
      return { k: 'unary', op: c, x, from, to: x.to };
    }
    return this.postfix();
  }

  postfix(): Expr {
    let x = this.primary();
    while (this.eat('[')) {
      const i = this.expression();
      if (!this.eat(']')) this.fail(`expected ] but found "${this.peekToken()}"`);
      x = { k: 'index', x, i, from: x.from, to: this.pos };
    }
    return x;
  }

  primary(): Expr {
    this.skipSpace();
    const from = this.pos;
    const c = this.src[this.pos];
    if (c === undefined || this.src.startsWith('}}', this.pos)) this.fail(`expected an expression but found "${this.peekToken()}"`);
    if (c === '(') {
      this.pos++;
      const e = this.expression();
      if (!this.eat(')')) this.fail(`expected ) but found "${this.peekToken()}"`);
      return { ...e, from, to: this.pos };
    }
    if (c === '"') return this.string();
    if (isDigit(c as string)) return this.number();
    if (c === "'") this.fail('single-quoted literals are not supported; use double quotes');
    if (!isIdentStart(c as string)) this.fail(`expected an expression but found "${c}"`);
    const name = this.peekWord();
    this.pos += name.length;
    switch (name) {
      case 'true':
      case 'false':
        return { k: 'lit', v: name === 'true', from, to: this.pos };
      case 'null':
        return { k: 'lit', v: null, from, to: this.pos };
      case 'fn':
        return this.call(from);
    }
    if (controlWords.has(name) || unsupported.has(name) || name === 'in') this.fail(`"${name}" cannot be used as a variable`, from, this.pos);
    this.skipSpace();
    if (this.src[this.pos] === '.' || this.src[this.pos] === '(') this.fail('only fn.name(…) functions can be called; member access is not supported');
    return { k: 'var', name, from, to: this.pos };
  }

  call(from: number): Expr {
    if (!this.eat('.')) this.fail('expected . after fn, as in fn.lowerCase(NAME)');
    this.skipSpace();
    const nameFrom = this.pos;
    const name = this.peekWord();
    this.pos += name.length;
    const arities = functionArities[name];
    if (!arities) this.fail(`unknown function fn.${name}; there are ${Object.keys(functionArities).join(', ')}`, nameFrom, this.pos);
    if (!this.eat('(')) this.fail(`expected ( after fn.${name}`);
    const args: Expr[] = [];
    if (!this.eat(')')) {
      do args.push(this.expression());
      while (this.eat(','));
      if (!this.eat(')')) this.fail(`expected ) or , but found "${this.peekToken()}"`);
    }
    if (!arities.includes(args.length)) this.fail(`fn.${name} takes ${arities.join(' or ')} arguments, not ${args.length}`, from, this.pos);
    return { k: 'call', name, args, from, to: this.pos };
  }

  string(): Expr {
    const from = this.pos++;
    let out = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos++] as string;
      if (c === '"') return { k: 'lit', v: out, from, to: this.pos };
      if (c === '\\' && this.pos < this.src.length) {
        const e = this.src[this.pos++] as string;
        out += ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' } as Record<string, string>)[e] ?? '\\' + e;
      } else out += c;
    }
    this.fail('unterminated string literal', from, this.src.length);
  }

  number(): Expr {
    const from = this.pos;
    while (isDigit(this.src[this.pos] ?? '')) this.pos++;
    let float = false;
    if (this.src[this.pos] === '.' && isDigit(this.src[this.pos + 1] ?? '')) {
      float = true;
      this.pos++;
      while (isDigit(this.src[this.pos] ?? '')) this.pos++;
    }
    const text = this.src.slice(from, this.pos);
    const suffix = this.src[this.pos] ?? '';
    if ('bslfd'.includes(suffix) && suffix !== '') {
      this.pos++;
      if (suffix === 'f' || suffix === 'd') float = true;
    }
    return { k: 'lit', v: Number(text), float, from, to: this.pos };
  }

  loopVariable(): string {
    const w = this.peekWord();
    if (!w || controlWords.has(w) || w === 'in') this.fail('expected a loop variable name, as in {{for url in URLS}}');
    this.pos += w.length;
    return w;
  }
}

type Tag =
  | { k: 'expr'; e: Expr }
  | { k: 'if' | 'elseif'; cond: Expr }
  | { k: 'else' | 'end' }
  | { k: 'for'; index?: string; value: string; list: Expr };

/** parseTag parses the tag whose "{{" is at start; it returns the tag and where it ends. */
function parseTag(src: string, start: number): { tag: Tag; end: number } {
  const p = new TagParser(src, start + 2);
  const word = p.peekWord();
  let tag: Tag;
  if (unsupported.has(word)) p.fail(`{{${word}}} of O-Neko's template engine is not supported; use if, for, expressions and fn functions`, start, p.pos + word.length);
  // A control word is one only when it is not the start of a longer expression: {{end}}.
  if (controlWords.has(word)) {
    p.pos += word.length;
    if (word === 'if' || word === 'elseif') tag = { k: word, cond: p.expression() };
    else if (word === 'for') {
      let value = p.loopVariable();
      let index: string | undefined;
      if (p.eat(',')) {
        index = value;
        value = p.loopVariable();
      }
      if (p.peekWord() !== 'in') p.fail('expected in after the loop variable, as in {{for url in URLS}}');
      p.pos += 2;
      tag = { k: 'for', index, value, list: p.expression() };
    } else tag = { k: word as 'else' | 'end' };
  } else tag = { k: 'expr', e: p.expression() };
  p.closeTag();
  return { tag, end: p.pos };
}

interface Frame {
  kind: 'root' | 'if' | 'for';
  from: number;
  body: Node[];
  node?: Node;
  sawElse?: boolean;
}

/** parseTemplate parses a whole template. Every tag is parsed on its own, so one bad tag
 * does not hide the problems of the others; the tree is only complete without errors. */
export function parseTemplate(src: string): Parsed {
  const errors: TemplateError[] = [];
  const root: Frame = { kind: 'root', from: 0, body: [] };
  const stack: Frame[] = [root];
  const top = () => stack[stack.length - 1] as Frame;
  let pos = 0;
  while (pos < src.length) {
    const open = src.indexOf('{{', pos);
    if (open < 0) {
      top().body.push({ k: 'text', text: unescapeText(src.slice(pos)) });
      break;
    }
    if (open > pos) top().body.push({ k: 'text', text: unescapeText(src.slice(pos, open)) });
    if (src.indexOf('}}', open + 2) < 0) {
      errors.push(new TemplateError('{{ without a matching }} before the end of the template', open, src.length));
      pos = src.length;
      break;
    }
    let parsed: { tag: Tag; end: number };
    try {
      parsed = parseTag(src, open);
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      errors.push(e);
      // Resume after the tag: its "}}" (or the first after the error).
      const close = src.indexOf('}}', Math.max(e.from, open + 2));
      pos = close < 0 ? src.length : close + 2;
      continue;
    }
    const { tag, end } = parsed;
    const frame = top();
    switch (tag.k) {
      case 'expr':
        frame.body.push({ k: 'expr', e: tag.e, from: open, to: end });
        break;
      case 'if': {
        const node: Node = { k: 'if', branches: [{ cond: tag.cond, body: [] }], orElse: [] };
        frame.body.push(node);
        stack.push({ kind: 'if', from: open, body: node.branches[0]!.body, node });
        break;
      }
      case 'for': {
        const node: Node = { k: 'for', index: tag.index, value: tag.value, list: tag.list, body: [] };
        frame.body.push(node);
        stack.push({ kind: 'for', from: open, body: node.body, node });
        break;
      }
      case 'elseif':
      case 'else':
        if (frame.kind !== 'if') {
          errors.push(new TemplateError(`{{${tag.k}}} without a matching {{if}}`, open, end));
          break;
        }
        if (frame.sawElse) {
          errors.push(new TemplateError(`{{${tag.k}}} after {{else}}`, open, end));
          break;
        }
        if (frame.node?.k === 'if') {
          if (tag.k === 'elseif') {
            const b = { cond: tag.cond, body: [] as Node[] };
            frame.node.branches.push(b);
            frame.body = b.body;
          } else {
            frame.sawElse = true;
            frame.body = frame.node.orElse;
          }
        }
        break;
      case 'end':
        if (stack.length === 1) errors.push(new TemplateError('{{end}} without a matching {{if}} or {{for}}', open, end));
        else stack.pop();
        break;
    }
    pos = end;
  }
  for (const f of stack.slice(1)) errors.push(new TemplateError(`{{${f.kind}}} without a matching {{end}}`, f.from, f.from + 2 + f.kind.length));
  return { nodes: root.body, errors };
}

function unescapeText(s: string): string {
  return s.replace(/\\([{}])/g, '$1');
}

/** A variable read by a template, with where. */
export interface VariableUse extends Span {
  name: string;
}

/** variableUses lists every variable a parsed template reads, other than loop variables. */
export function variableUses(nodes: Node[]): VariableUse[] {
  const out: VariableUse[] = [];
  const expr = (e: Expr, locals: Set<string>) => {
    switch (e.k) {
      case 'var':
        if (!locals.has(e.name)) out.push({ name: e.name, from: e.from, to: e.to });
        break;
      case 'call':
        e.args.forEach((a) => expr(a, locals));
        break;
      case 'index':
        expr(e.x, locals);
        expr(e.i, locals);
        break;
      case 'unary':
        expr(e.x, locals);
        break;
      case 'binary':
        expr(e.l, locals);
        expr(e.r, locals);
        break;
      case 'cond':
        expr(e.c, locals);
        expr(e.a, locals);
        expr(e.b, locals);
        break;
    }
  };
  const walk = (body: Node[], locals: Set<string>) => {
    for (const n of body) {
      if (n.k === 'expr') expr(n.e, locals);
      else if (n.k === 'if') {
        for (const b of n.branches) {
          expr(b.cond, locals);
          walk(b.body, locals);
        }
        walk(n.orElse, locals);
      } else if (n.k === 'for') {
        expr(n.list, locals);
        const inner = new Set(locals);
        inner.add(n.value);
        if (n.index) inner.add(n.index);
        walk(n.body, inner);
      }
    }
  };
  walk(nodes, new Set());
  return out;
}

// ---- rendering (for the URL preview) ----

/** What a render reads: string variables and, for configuration templates, URLS. */
export interface Scope {
  vars: Record<string, string>;
  urls?: string[];
}

interface Num {
  n: number;
  float: boolean;
}

function text(v: RValue): string {
  if (v === null) return '';
  if (Array.isArray(v)) return '[' + v.map(text).join(', ') + ']';
  if (typeof v === 'object') return v.float && Number.isInteger(v.n) ? v.n.toFixed(1) : String(v.n);
  return String(v);
}

type RValue = string | boolean | null | Num | RValue[];

/** renderTemplate renders a template the way the server does; it throws a TemplateError on
 * the first problem (a syntax error, an undefined variable, a wrong kind). */
export function renderTemplate(src: string, scope: Scope): string {
  const parsed = parseTemplate(src);
  if (parsed.errors.length > 0) throw parsed.errors[0];
  let out = '';
  const lookup = (name: string, locals: Map<string, RValue>, e: Span): RValue => {
    if (locals.has(name)) return locals.get(name) as RValue;
    if (name === 'URLS' && scope.urls) return scope.urls;
    const v = scope.vars[name];
    if (v === undefined) throw new TemplateError(`variable ${name} is not defined`, e.from, e.to);
    return v;
  };
  const num = (v: RValue, e: Span, op: string): Num => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v;
    throw new TemplateError(`${op} needs numbers`, e.from, e.to);
  };
  const bool = (v: RValue, e: Span, what: string): boolean => {
    if (typeof v === 'boolean') return v;
    throw new TemplateError(`${what} must be a boolean`, e.from, e.to);
  };
  const str = (v: RValue, e: Span, what: string): string | null => {
    if (v === null || typeof v === 'string') return v;
    throw new TemplateError(`${what} must be a string`, e.from, e.to);
  };
  const int = (v: RValue, e: Span, what: string): number => {
    const n = num(v, e, what);
    if (n.float) throw new TemplateError(`${what} must be an integer`, e.from, e.to);
    return n.n;
  };
  const equal = (a: RValue, b: RValue): boolean => {
    if (a === null || b === null) return a === b;
    if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a)) return a.length === (b as RValue[]).length && a.every((x, i) => equal(x, (b as RValue[])[i] as RValue));
    if (typeof a === 'object') return a.float === (b as Num).float && a.n === (b as Num).n;
    return a === b;
  };
  const evalExpr = (e: Expr, locals: Map<string, RValue>): RValue => {
    switch (e.k) {
      case 'lit':
        return typeof e.v === 'number' ? { n: e.v, float: !!e.float } : (e.v as RValue);
      case 'var':
        return lookup(e.name, locals, e);
      case 'index': {
        const x = evalExpr(e.x, locals);
        if (!Array.isArray(x)) throw new TemplateError('only lists such as URLS can be indexed', e.from, e.to);
        const i = int(evalExpr(e.i, locals), e.i, 'an index');
        if (i < 0 || i >= x.length) throw new TemplateError(`index ${i} is out of range: the list has ${x.length} elements`, e.from, e.to);
        return x[i] as RValue;
      }
      case 'unary': {
        const x = evalExpr(e.x, locals);
        if (e.op === '!') return !bool(x, e.x, 'the operand of !');
        const n = num(x, e.x, e.op);
        return { n: e.op === '-' ? -n.n : n.n, float: n.float };
      }
      case 'cond':
        return bool(evalExpr(e.c, locals), e.c, 'the condition of ?:') ? evalExpr(e.a, locals) : evalExpr(e.b, locals);
      case 'binary': {
        if (e.op === '&&' || e.op === '||') {
          const l = bool(evalExpr(e.l, locals), e.l, `the operands of ${e.op}`);
          if (e.op === '&&' ? !l : l) return l;
          return bool(evalExpr(e.r, locals), e.r, `the operands of ${e.op}`);
        }
        const l = evalExpr(e.l, locals);
        const r = evalExpr(e.r, locals);
        switch (e.op) {
          case '^':
            return bool(l, e.l, 'the operands of ^') !== bool(r, e.r, 'the operands of ^');
          case '==':
            return equal(l, r);
          case '!=':
            return !equal(l, r);
          case '+':
            if (typeof l === 'string' || typeof r === 'string') return text(l) + text(r);
            break;
        }
        const a = num(l, e.l, e.op);
        const b = num(r, e.r, e.op);
        const float = a.float || b.float;
        switch (e.op) {
          case '<':
            return a.n < b.n;
          case '<=':
            return a.n <= b.n;
          case '>':
            return a.n > b.n;
          case '>=':
            return a.n >= b.n;
          case '+':
            return { n: a.n + b.n, float };
          case '-':
            return { n: a.n - b.n, float };
          case '*':
            return { n: a.n * b.n, float };
          case '/':
            if (!float && b.n === 0) throw new TemplateError('division by zero', e.from, e.to);
            return { n: float ? a.n / b.n : Math.trunc(a.n / b.n), float };
          case '%':
            if (!float && b.n === 0) throw new TemplateError('division by zero', e.from, e.to);
            return { n: a.n % b.n, float };
        }
        throw new TemplateError(`unknown operator ${e.op}`, e.from, e.to);
      }
      case 'call': {
        const args = e.args.map((a) => evalExpr(a, locals));
        const s = (i: number) => str(args[i] as RValue, e.args[i] as Expr, `argument ${i + 1} of fn.${e.name}`);
        const n = (i: number) => int(args[i] as RValue, e.args[i] as Expr, `argument ${i + 1} of fn.${e.name}`);
        const first = s(0);
        if (first === null) {
          if (e.name === 'suffixWithMaxLength') throw new TemplateError('fn.suffixWithMaxLength does not take null', e.from, e.to);
          return null;
        }
        const chars = [...first];
        switch (e.name) {
          case 'lowerCase':
            return first.toLowerCase();
          case 'upperCase':
            return first.toUpperCase();
          case 'trim':
            return first.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
          case 'replace': {
            const search = s(1);
            const repl = s(2);
            let limit = args.length === 4 ? n(3) : -1;
            if (!search || repl === null || limit === 0) return first;
            let out = '';
            let rest = first;
            for (let k = rest.indexOf(search); k >= 0 && limit !== 0; k = rest.indexOf(search), limit--) {
              out += rest.slice(0, k) + repl;
              rest = rest.slice(k + search.length);
            }
            return out + rest;
          }
          case 'truncate': {
            const w = n(1);
            if (w < 0) throw new TemplateError(`maxWidth ${w} is negative`, e.from, e.to);
            return chars.slice(0, w).join('');
          }
          case 'removeStart': {
            const p = s(1);
            return p && first.startsWith(p) ? first.slice(p.length) : first;
          }
          case 'removeEnd': {
            const p = s(1);
            return p && first.endsWith(p) ? first.slice(0, first.length - p.length) : first;
          }
          case 'suffixWithMaxLength': {
            const suffix = s(1) ?? '';
            const max = n(2);
            const k = [...suffix].length;
            return k >= max ? suffix : chars.slice(0, max - k).join('') + suffix;
          }
        }
        throw new TemplateError(`unknown function fn.${e.name}`, e.from, e.to);
      }
    }
  };
  const run = (body: Node[], locals: Map<string, RValue>) => {
    for (const n of body) {
      switch (n.k) {
        case 'text':
          out += n.text;
          break;
        case 'expr':
          out += text(evalExpr(n.e, locals));
          break;
        case 'if': {
          const b = n.branches.find((b) => bool(evalExpr(b.cond, locals), b.cond, 'the condition of if'));
          run(b ? b.body : n.orElse, locals);
          break;
        }
        case 'for': {
          const list = evalExpr(n.list, locals);
          if (!Array.isArray(list)) throw new TemplateError('for loops go over a list such as URLS', n.list.from, n.list.to);
          list.forEach((item, i) => {
            const inner = new Map(locals);
            inner.set(n.value, item);
            if (n.index) inner.set(n.index, { n: i, float: false });
            run(n.body, inner);
          });
          break;
        }
      }
    }
  };
  run(parsed.nodes, new Map());
  return out;
}

// ---- built-in values of a sample version (for the preview) ----

/** SAFE_VERSION_NAME: the tag lowercased, only [a-z0-9], at most 63 characters. */
export function safeVersionName(tag: string): string {
  return tag
    .replace(/[A-Z]/g, (c) => c.toLowerCase())
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 63);
}

/** DNS_VERSION_NAME: a DNS-1123 label made from the tag (the server falls back to a hash
 * for a tag without letters or digits; the preview shows "v…" then). */
export function dnsVersionName(tag: string): string {
  let label = [...tag]
    .map((c) => (/[A-Z]/.test(c) ? c.toLowerCase() : c))
    .map((c) => (/[a-z0-9-]/.test(c) ? c : '-'))
    .join('')
    .replace(/^-+|-+$/g, '');
  if (label.length > 63) label = label.slice(0, 63).replace(/-+$/, '');
  return label || 'v…';
}

export interface SampleVersion {
  projectName: string;
  projectId?: string;
  imageHost?: string;
  imageName: string;
  tag: string;
  namespace?: string;
}

/** sampleBuiltins returns the built-in variables of a sample version, as
 * internal/render.Builtins computes them (without a digest, which a sample does not have). */
export function sampleBuiltins(s: SampleVersion): Record<string, string> {
  const image = s.imageHost ? `${s.imageHost}/${s.imageName}` : s.imageName;
  return {
    PROJECT_NAME: s.projectName,
    ONEKO_PROJECT: s.projectId ?? '',
    VERSION_NAME: s.tag,
    ONEKO_VERSION: '',
    SAFE_VERSION_NAME: safeVersionName(s.tag),
    DNS_VERSION_NAME: dnsVersionName(s.tag),
    IMAGE: image,
    IMAGE_TAG: s.tag,
    IMAGE_DIGEST: '',
    IMAGE_REF: s.tag ? `${image}:${s.tag}` : image,
    NAMESPACE: s.namespace ?? '',
  };
}
