// The lines of a log: ANSI colours, a line number, the filter applied, and auto-scroll that
// follows new lines until the reader scrolls up (then a button jumps back to the end and
// resumes it).
import { Button, Group, Text } from '@mantine/core';
import { IconArrowDown } from '@tabler/icons-react';
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { spanClass, spanStyle } from './ansi';
import type { LogLine } from './buffer';
import type { LineFilter } from './filter';
import { useLT } from './messages';
import './logs.css';

const Line = memo(function Line({ line }: { line: LogLine }) {
  return (
    <div className="ln" data-line={line.n}>
      <span className="n" aria-hidden>
        {line.n}
      </span>
      <span className="tx">
        {line.spans.map((s, i) => {
          const cls = spanClass(s.style);
          const st = spanStyle(s.style);
          return cls || st ? (
            <span key={i} className={cls || undefined} style={st}>
              {s.text}
            </span>
          ) : (
            s.text
          );
        })}
      </span>
    </div>
  );
});

/** isAtBottom tells whether a scrolled box shows its end (within a few pixels). */
export function isAtBottom(el: { scrollHeight: number; scrollTop: number; clientHeight: number }): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight < 24;
}

export function LogView({ lines, filter, label, empty }: { lines: LogLine[]; filter: LineFilter; label: string; empty: string }) {
  const lt = useLT();
  const box = useRef<HTMLDivElement>(null);
  const [stick, setStick] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const lastCount = useRef(0);
  const shown = useMemo(() => (filter.active ? lines.filter((l) => filter.test(l.raw)) : lines), [lines, filter]);
  const lastN = shown.length > 0 ? (shown[shown.length - 1]?.n ?? 0) : 0;

  useLayoutEffect(() => {
    const el = box.current;
    const grown = lastN - lastCount.current;
    lastCount.current = lastN;
    if (!el) return;
    if (stick) {
      el.scrollTop = el.scrollHeight;
      setUnseen(0);
    } else if (grown > 0) {
      setUnseen((u) => u + grown);
    }
  }, [lastN, stick, shown.length]);

  const jump = () => {
    setStick(true);
    setUnseen(0);
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  };

  return (
    <div style={{ position: 'relative' }}>
      <div
        ref={box}
        className="oneko-log"
        role="log"
        aria-live="off"
        aria-label={label}
        tabIndex={0}
        onScroll={(e) => {
          const at = isAtBottom(e.currentTarget);
          if (at !== stick) setStick(at);
          if (at) setUnseen(0);
        }}
      >
        {shown.length === 0 ? (
          <Text size="sm" c="dimmed" px="md" py="xs">
            {empty}
          </Text>
        ) : (
          shown.map((l) => <Line key={l.n} line={l} />)
        )}
      </div>
      {!stick && (
        <Group justify="center" style={{ position: 'absolute', bottom: 12, left: 0, right: 0, pointerEvents: 'none' }}>
          <Button size="compact-sm" leftSection={<IconArrowDown size={14} aria-hidden />} onClick={jump} style={{ pointerEvents: 'auto' }}>
            {unseen > 0 ? lt('logs.newLines', { count: unseen }) : lt('logs.toEnd')}
          </Button>
        </Group>
      )}
    </div>
  );
}
