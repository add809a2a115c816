// ANSI SGR escape codes (colours, bold, italic, underline, inverse) → styled text spans for the
// log view. The style state carries from one line to the next, as in a terminal. Other escape
// sequences (cursor movement, erase, OSC titles and links) are dropped. Basic and bright colours
// become classes (their palette has AA contrast in both themes, logs.css); 256-colour and
// true-colour codes become inline colours.

export interface AnsiStyle {
  /** A basic colour 0–15 (8–15 bright) as a class, or a CSS colour. */
  fg?: number | string;
  bg?: number | string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strike?: boolean;
}

export interface Span {
  text: string;
  style: AnsiStyle;
}

// CSI … final byte, OSC … BEL or ST, and lone two-byte escapes.
// eslint-disable-next-line no-control-regex
const escapeRe = /\x1b\[([0-9;:?]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?/g;

/** xterm256 is the CSS colour of a 256-colour palette index (16–255; 0–15 are classes). */
function xterm256(n: number): string {
  if (n >= 232) {
    const g = 8 + (n - 232) * 10;
    return `rgb(${g}, ${g}, ${g})`;
  }
  const i = n - 16;
  const level = (x: number) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(i / 36))}, ${level(Math.floor(i / 6) % 6)}, ${level(i % 6)})`;
}

function clamp(n: number): number {
  return Math.max(0, Math.min(255, Number.isFinite(n) ? n : 0));
}

/** applySgr applies the parameters of one SGR sequence (ESC [ … m) to a style. */
export function applySgr(style: AnsiStyle, params: string): AnsiStyle {
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  let s: AnsiStyle = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] ?? 0;
    if (c === 0) s = {};
    else if (c === 1) s.bold = true;
    else if (c === 2) s.dim = true;
    else if (c === 3) s.italic = true;
    else if (c === 4) s.underline = true;
    else if (c === 7) s.inverse = true;
    else if (c === 9) s.strike = true;
    else if (c === 22) s.bold = s.dim = undefined;
    else if (c === 23) s.italic = undefined;
    else if (c === 24) s.underline = undefined;
    else if (c === 27) s.inverse = undefined;
    else if (c === 29) s.strike = undefined;
    else if (c >= 30 && c <= 37) s.fg = c - 30;
    else if (c === 39) s.fg = undefined;
    else if (c >= 40 && c <= 47) s.bg = c - 40;
    else if (c === 49) s.bg = undefined;
    else if (c >= 90 && c <= 97) s.fg = c - 90 + 8;
    else if (c >= 100 && c <= 107) s.bg = c - 100 + 8;
    else if (c === 38 || c === 48) {
      const key = c === 38 ? 'fg' : 'bg';
      const mode = codes[i + 1];
      if (mode === 5) {
        const n = clamp(codes[i + 2] ?? 0);
        s[key] = n < 16 ? n : xterm256(n);
        i += 2;
      } else if (mode === 2) {
        s[key] = `rgb(${clamp(codes[i + 2] ?? 0)}, ${clamp(codes[i + 3] ?? 0)}, ${clamp(codes[i + 4] ?? 0)})`;
        i += 4;
      } else {
        break; // malformed: ignore the rest
      }
    }
  }
  return s;
}

/** AnsiConverter turns lines with escape codes into spans, carrying the style between lines. */
export class AnsiConverter {
  private style: AnsiStyle = {};

  line(text: string): Span[] {
    const spans: Span[] = [];
    let last = 0;
    const push = (t: string) => {
      if (!t) return;
      const prev = spans[spans.length - 1];
      if (prev && prev.style === this.style) prev.text += t;
      else spans.push({ text: t, style: this.style });
    };
    escapeRe.lastIndex = 0;
    for (let m = escapeRe.exec(text); m; m = escapeRe.exec(text)) {
      push(text.slice(last, m.index));
      last = m.index + m[0].length;
      if (m[2] === 'm' && !(m[1] ?? '').startsWith('?')) this.style = applySgr(this.style, m[1] ?? '');
    }
    push(text.slice(last));
    return spans;
  }
}

/** stripAnsi is the text of a line without its escape codes (what the filter searches). */
export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(escapeRe, '') : text;
}

/** spanClass and spanStyle render a span's style as classes and inline CSS. */
export function spanClass(s: AnsiStyle): string {
  let fg = s.fg;
  let bg = s.bg;
  if (s.inverse) [fg, bg] = [bg ?? 'default', fg ?? 'default'];
  const c: string[] = [];
  if (typeof fg === 'number') c.push(`ansi-fg-${fg}`);
  else if (fg === 'default') c.push('ansi-fg-inverse');
  if (typeof bg === 'number') c.push(`ansi-bg-${bg}`);
  else if (bg === 'default') c.push('ansi-bg-inverse');
  if (s.bold) c.push('ansi-bold');
  if (s.dim) c.push('ansi-dim');
  if (s.italic) c.push('ansi-italic');
  if (s.underline) c.push('ansi-underline');
  if (s.strike) c.push('ansi-strike');
  return c.join(' ');
}

export function spanStyle(s: AnsiStyle): { color?: string; backgroundColor?: string } | undefined {
  let fg = s.fg;
  let bg = s.bg;
  if (s.inverse) [fg, bg] = [bg, fg];
  const out: { color?: string; backgroundColor?: string } = {};
  if (typeof fg === 'string' && fg !== 'default') out.color = fg;
  if (typeof bg === 'string' && bg !== 'default') out.backgroundColor = bg;
  return out.color || out.backgroundColor ? out : undefined;
}
