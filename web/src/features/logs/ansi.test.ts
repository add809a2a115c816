import { describe, expect, it } from 'vitest';
import { AnsiConverter, applySgr, spanClass, spanStyle, stripAnsi } from './ansi';

const E = '\x1b';

describe('AnsiConverter', () => {
  it('leaves plain text alone', () => {
    expect(new AnsiConverter().line('hello world')).toEqual([{ text: 'hello world', style: {} }]);
  });

  it('splits text at colour changes and resets', () => {
    const spans = new AnsiConverter().line(`a${E}[31mred${E}[0m b`);
    expect(spans.map((s) => [s.text, spanClass(s.style)])).toEqual([
      ['a', ''],
      ['red', 'ansi-fg-1'],
      [' b', ''],
    ]);
  });

  it('carries the style to the next line, as a terminal does', () => {
    const c = new AnsiConverter();
    c.line(`${E}[1;32mstart`);
    const next = c.line('still green');
    expect(spanClass(next[0]!.style)).toBe('ansi-fg-2 ansi-bold');
    expect(spanClass(c.line(`${E}[39mplain bold`)[0]!.style)).toBe('ansi-bold');
  });

  it('bright, background, 256 and true colours', () => {
    const [a, b, c, d] = [
      applySgr({}, '91;104'),
      applySgr({}, '38;5;196'),
      applySgr({}, '48;2;10;20;300'),
      applySgr({}, '38;5;3'),
    ];
    expect(spanClass(a)).toBe('ansi-fg-9 ansi-bg-12');
    expect(spanStyle(b)).toEqual({ color: 'rgb(255, 0, 0)' });
    expect(spanStyle(c)).toEqual({ backgroundColor: 'rgb(10, 20, 255)' });
    expect(spanClass(d)).toBe('ansi-fg-3');
    expect(spanStyle(applySgr({}, '38;5;240'))).toEqual({ color: 'rgb(88, 88, 88)' });
  });

  it('inverse swaps foreground and background', () => {
    expect(spanClass(applySgr({}, '7'))).toBe('ansi-fg-inverse ansi-bg-inverse');
    expect(spanClass(applySgr({}, '31;7'))).toBe('ansi-fg-inverse ansi-bg-1');
  });

  it('an empty SGR resets; attributes turn off one by one', () => {
    let s = applySgr({}, '1;3;4;9');
    expect(spanClass(s)).toBe('ansi-bold ansi-italic ansi-underline ansi-strike');
    s = applySgr(s, '23;24');
    expect(spanClass(s)).toBe('ansi-bold ansi-strike');
    expect(applySgr(s, '')).toEqual({});
  });

  it('drops other escape sequences (cursor, erase, OSC titles)', () => {
    const spans = new AnsiConverter().line(`${E}[2K${E}[1Gx${E}]0;title\x07y${E}[?25lz`);
    expect(spans.map((s) => s.text).join('')).toBe('xyz');
  });

  it('ignores a malformed extended colour without breaking', () => {
    expect(applySgr({ bold: true }, '38;9;1')).toEqual({ bold: true });
  });

  it('stripAnsi gives the text only', () => {
    expect(stripAnsi(`${E}[33mwarn${E}[0m: disk`)).toBe('warn: disk');
  });
});
