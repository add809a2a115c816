// useLog reads one container's log: once as plain text, or followed as a live stream
// (LogFollower) whose lines are applied once per animation frame, however fast they come.
import { useCallback, useEffect, useState } from 'react';
import { LogBuffer, splitText, type LogLine } from './buffer';
import { LogFollower, problemDetail, type FollowState } from './stream';

export type LogState = FollowState | { kind: 'idle' } | { kind: 'loaded' };

export interface LogSource {
  /** url of the log (plain text); the follow URL adds follow=true. */
  url: string;
  follow: boolean;
}

export function useLog(src: LogSource | null, max = 5000) {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [state, setState] = useState<LogState>({ kind: 'idle' });
  const [dropped, setDropped] = useState(0);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const url = src?.url ?? null;
  const follow = src?.follow ?? false;

  useEffect(() => {
    const live = { current: true }; // this run's; a new run's callbacks never see an old stream
    setLines([]);
    setDropped(0);
    if (!url) {
      setState({ kind: 'idle' });
      return;
    }
    const buf = new LogBuffer(max);
    let pending: string[] = [];
    let frame: number | null = null;
    const flush = () => {
      frame = null;
      if (!live.current || pending.length === 0) return;
      const add = pending;
      pending = [];
      setLines(buf.append(add));
      setDropped(buf.dropped);
    };
    const onLines = (ls: string[]) => {
      pending.push(...ls);
      if (frame === null) frame = requestAnimationFrame(flush);
    };
    if (follow) {
      const f = new LogFollower({
        url: url + (url.includes('?') ? '&' : '?') + 'follow=true',
        onLines,
        onState: (s) => live.current && setState(s),
      });
      f.start();
      return () => {
        live.current = false;
        f.stop();
        if (frame !== null) cancelAnimationFrame(frame);
      };
    }
    const abort = new AbortController();
    setState({ kind: 'connecting' });
    void (async () => {
      try {
        const r = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/plain' }, signal: abort.signal });
        if (!r.ok) {
          const detail = await problemDetail(r);
          if (live.current) setState({ kind: 'failed', status: r.status, detail });
          return;
        }
        const text = await r.text();
        if (!live.current) return;
        setLines(buf.append(splitText(text)));
        setDropped(buf.dropped);
        setState({ kind: 'loaded' });
      } catch (e) {
        if (live.current && !abort.signal.aborted) setState({ kind: 'failed', status: 0, detail: e instanceof Error ? e.message : String(e) });
      }
    })();
    return () => {
      live.current = false;
      abort.abort();
    };
  }, [url, follow, generation, max]);

  return { lines, state, dropped, reload };
}
