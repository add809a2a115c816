import { describe, expect, it } from 'vitest';
import { diffStats, parseDiff } from './diff';
import { highlightLine } from './yaml';

describe('parseDiff', () => {
  it('classifies the lines of a unified diff', () => {
    const d = '--- deployed\n+++ now\n@@ -1,2 +1,2 @@\n-replicas: 1\n+replicas: 3\n image: x\n\\ No newline at end of file\n';
    const lines = parseDiff(d);
    expect(lines.map((l) => l.kind)).toEqual(['file', 'file', 'hunk', 'del', 'add', 'ctx', 'note']);
    expect(diffStats(lines)).toEqual({ added: 1, removed: 1 });
  });
  it('an empty diff has no lines', () => {
    expect(parseDiff('')).toEqual([]);
  });
});

describe('highlightLine', () => {
  const join = (l: string) => highlightLine(l).map((t) => t.text).join('');
  it('gives the line back', () => {
    for (const l of ['a: 1', '  - name: "x" # c', 'url: http://a:8080/b', '# only', '', '   ', "k: 'it''s'", 'x: {{A}}-{{B}}']) {
      expect(join(l)).toBe(l);
    }
  });
  it('marks keys, strings, literals, comments and placeholders', () => {
    expect(highlightLine('replicas: 3')).toEqual([
      { kind: 'key', text: 'replicas' },
      { kind: 'plain', text: ':' },
      { kind: 'plain', text: ' ' },
      { kind: 'literal', text: '3' },
    ]);
    const t = highlightLine('  tag: "{{IMAGE_TAG}}" # pinned');
    expect(t.filter((x) => x.kind !== 'plain').map((x) => [x.kind, x.text])).toEqual([
      ['key', 'tag'],
      ['string', '"'],
      ['placeholder', '{{IMAGE_TAG}}'],
      ['string', '"'],
      ['comment', '# pinned'],
    ]);
  });
  it('a # inside quotes or a URL is no comment', () => {
    expect(highlightLine('a: "x # y"').some((t) => t.kind === 'comment')).toBe(false);
    expect(highlightLine('u: http://h/#frag').some((t) => t.kind === 'comment')).toBe(false);
  });
});
