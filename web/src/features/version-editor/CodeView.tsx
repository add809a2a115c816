// Read-only views of rendered YAML and of unified diffs: a focusable, scrollable <pre> (keyboard
// users scroll it too) with highlighted tokens, or diff lines coloured and still marked by
// their + and - (colour is never the only sign).
import { useMemo } from 'react';
import { highlightLine } from './yaml';
import { parseDiff } from './diff';
import './codeview.css';

export function YamlView({ text, label }: { text: string; label: string }) {
  const lines = useMemo(() => text.replace(/\n$/, '').split('\n').map(highlightLine), [text]);
  return (
    <pre className="oneko-code" tabIndex={0} aria-label={label}>
      {lines.map((tokens, i) => (
        <span className="ln" key={i}>
          {tokens.map((tk, j) => (tk.kind === 'plain' ? tk.text : <span key={j} className={`t-${tk.kind}`}>{tk.text}</span>))}
        </span>
      ))}
    </pre>
  );
}

export function DiffView({ diff, label }: { diff: string; label: string }) {
  const lines = useMemo(() => parseDiff(diff), [diff]);
  return (
    <pre className="oneko-code" tabIndex={0} aria-label={label}>
      {lines.map((l, i) => (
        <span className={`ln d-${l.kind}`} key={i} data-kind={l.kind}>
          {l.text}
        </span>
      ))}
    </pre>
  );
}
