// The lines a log view holds: converted once (ANSI → spans, the style carried from line to
// line), numbered, and capped so that a long follow keeps memory bounded (the oldest go).
import { AnsiConverter, type Span } from './ansi';

export interface LogLine {
  /** n numbers the lines of one log from 1; it stays with a line when older ones are dropped. */
  n: number;
  raw: string;
  spans: Span[];
}

export class LogBuffer {
  private conv = new AnsiConverter();
  private next = 1;
  lines: LogLine[] = [];
  /** dropped counts the lines let go because of the cap. */
  dropped = 0;

  constructor(readonly max = 10_000) {}

  /** append adds lines and returns the new array (a new identity, for React state). */
  append(raw: string[]): LogLine[] {
    const added = raw.map((r) => ({ n: this.next++, raw: r, spans: this.conv.line(r) }));
    let all = this.lines.concat(added);
    if (all.length > this.max) {
      this.dropped += all.length - this.max;
      all = all.slice(all.length - this.max);
    }
    this.lines = all;
    return all;
  }
}

/** splitText splits a plain-text log answer into lines (no empty line for the final newline). */
export function splitText(text: string): string[] {
  if (!text) return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
