// A small YAML highlighter for read-only views: splits each line into tokens (key, string,
// number/boolean, comment, template placeholder, plain) that CodeView colours. It does not
// parse YAML; it only marks what a reader scans for.

export type TokenKind = 'key' | 'string' | 'literal' | 'comment' | 'placeholder' | 'plain';

export interface Token {
  kind: TokenKind;
  text: string;
}

const keyRe = /^(\s*(?:-\s+)?)((?:"[^"]*"|'[^']*'|[^\s#'"][^:#]*?)):(?=\s|$)/;
const literalRe = /^(?:true|false|yes|no|null|~|-?\d+(?:\.\d+)?)$/i;

/** splitPlaceholders marks {{…}} placeholders inside a piece of text. */
function splitPlaceholders(text: string, kind: TokenKind): Token[] {
  const out: Token[] = [];
  let rest = text;
  for (;;) {
    const i = rest.indexOf('{{');
    const j = i < 0 ? -1 : rest.indexOf('}}', i + 2);
    if (i < 0 || j < 0) break;
    if (i > 0) out.push({ kind, text: rest.slice(0, i) });
    out.push({ kind: 'placeholder', text: rest.slice(i, j + 2) });
    rest = rest.slice(j + 2);
  }
  if (rest) out.push({ kind, text: rest });
  return out;
}

/** commentStart finds a # that starts a comment (at the line start or after a space, outside quotes). */
function commentStart(s: string): number {
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(s[i - 1] ?? ''))) {
      return i;
    }
  }
  return -1;
}

function valueTokens(v: string): Token[] {
  const trimmed = v.trim();
  if (!trimmed) return v ? [{ kind: 'plain', text: v }] : [];
  const lead = v.slice(0, v.indexOf(trimmed));
  const tail = v.slice(lead.length + trimmed.length);
  let kind: TokenKind = 'plain';
  if (/^(["']).*\1$/.test(trimmed)) kind = 'string';
  else if (literalRe.test(trimmed)) kind = 'literal';
  const out: Token[] = [];
  if (lead) out.push({ kind: 'plain', text: lead });
  out.push(...splitPlaceholders(trimmed, kind));
  if (tail) out.push({ kind: 'plain', text: tail });
  return out;
}

/** highlightLine splits one YAML line into tokens; joined, they give the line back. */
export function highlightLine(line: string): Token[] {
  const c = commentStart(line);
  const code = c < 0 ? line : line.slice(0, c);
  const comment = c < 0 ? '' : line.slice(c);
  const out: Token[] = [];
  const m = keyRe.exec(code);
  if (m) {
    const [all, indent = '', key = ''] = m;
    if (indent) out.push({ kind: 'plain', text: indent });
    out.push({ kind: 'key', text: key });
    out.push({ kind: 'plain', text: ':' });
    out.push(...valueTokens(code.slice(all.length)));
  } else {
    const dash = /^(\s*-\s+)/.exec(code);
    if (dash) {
      out.push({ kind: 'plain', text: dash[1] ?? '' });
      out.push(...valueTokens(code.slice((dash[1] ?? '').length)));
    } else {
      out.push(...splitPlaceholders(code, 'plain').filter((t) => t.text));
    }
  }
  if (comment) out.push({ kind: 'comment', text: comment });
  return out;
}
