import { describe, expect, it } from 'vitest';
import { LogFollower, SseParser, type FollowState } from './stream';
import { LogBuffer, splitText } from './buffer';

describe('SseParser', () => {
  it('parses events split anywhere across chunks', () => {
    const text = ': following\n\nid: t1\ndata: one\n\nid: t2\r\ndata: two\r\n\r\nevent: end\ndata: the log ended\n\n';
    for (let size = 1; size <= text.length; size++) {
      const p = new SseParser();
      const out = [];
      for (let i = 0; i < text.length; i += size) out.push(...p.push(text.slice(i, i + size)));
      expect(out).toEqual([
        { event: 'message', data: 'one', id: 't1' },
        { event: 'message', data: 'two', id: 't2' },
        { event: 'end', data: 'the log ended', id: 't2' },
      ]);
    }
  });

  it('keeps leading spaces after the first and joins data lines', () => {
    const p = new SseParser();
    expect(p.push('data:  indented\ndata: more\n\n')).toEqual([{ event: 'message', data: ' indented\nmore', id: undefined }]);
  });
});

/** A server the test drives: each fetch gets the next scripted answer. */
type Answer = { status: number; body?: string; chunks?: string[]; keepOpen?: boolean; problem?: string };

function harness(answers: Answer[]) {
  const requests: { url: string; lastEventId?: string }[] = [];
  const states: FollowState[] = [];
  const lines: string[] = [];
  const timers: { f: () => void; ms: number }[] = [];
  const controllers: ReadableStreamDefaultController<Uint8Array>[] = [];
  const enc = new TextEncoder();
  const fetchFn = (async (url: string, init?: RequestInit) => {
    const h = (init?.headers ?? {}) as Record<string, string>;
    requests.push({ url, lastEventId: h['Last-Event-ID'] });
    const a = answers.shift();
    if (!a) throw new TypeError('network down');
    if (a.status !== 200) {
      return new Response(JSON.stringify({ title: 'x', detail: a.problem ?? 'failed' }), { status: a.status, headers: { 'Content-Type': 'application/problem+json' } });
    }
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controllers.push(c);
        for (const ch of a.chunks ?? []) c.enqueue(enc.encode(ch));
        if (!a.keepOpen) c.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
  }) as typeof fetch;
  const f = new LogFollower({
    url: '/logs?follow=true',
    fetch: fetchFn,
    onLines: (ls) => lines.push(...ls),
    onState: (s) => states.push(s),
    backoff: (n) => 1000 * n,
    setTimer: (fn, ms) => timers.push({ f: fn, ms }),
    clearTimer: () => {},
  });
  return { f, requests, states, lines, timers, controllers };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
async function until(cond: () => boolean) {
  for (let i = 0; i < 200 && !cond(); i++) await settle();
  expect(cond()).toBe(true);
}

describe('LogFollower', () => {
  it('reads lines, and after a drop reconnects with backoff and Last-Event-ID', async () => {
    const h = harness([
      { status: 200, chunks: [': following\n\n', 'id: 2026-01-01T00:00:01Z\ndata: one\n\nid: 2026-01-01T00:00:02Z\ndata: t', 'wo\n\n'] },
      { status: 200, chunks: ['id: 2026-01-01T00:00:03Z\ndata: three\n\n', 'event: end\ndata: the log ended (the container stopped)\n\n'] },
    ]);
    h.f.start();
    await until(() => h.timers.length === 1);
    expect(h.lines).toEqual(['one', 'two']);
    expect(h.states.at(-1)).toEqual({ kind: 'reconnecting', retryIn: 1000, attempt: 1 });
    expect(h.requests[0]?.lastEventId).toBeUndefined();
    h.timers[0]!.f();
    await until(() => h.states.at(-1)?.kind === 'ended');
    expect(h.requests[1]?.lastEventId).toBe('2026-01-01T00:00:02Z');
    expect(h.lines).toEqual(['one', 'two', 'three']);
    expect(h.states.at(-1)).toEqual({ kind: 'ended', detail: 'the log ended (the container stopped)' });
    expect(h.timers).toHaveLength(1); // no reconnect after the end
  });

  it('backs off more with every failed attempt and starts again once lines flow', async () => {
    const h = harness([{ status: 200, chunks: ['id: a\ndata: x\n\n'] }]);
    h.f.start();
    await until(() => h.timers.length === 1);
    expect(h.timers[0]!.ms).toBe(1000);
    h.timers[0]!.f(); // the network is down now
    await until(() => h.timers.length === 2);
    expect(h.timers[1]!.ms).toBe(2000);
    h.timers[1]!.f();
    await until(() => h.timers.length === 3);
    expect(h.timers[2]!.ms).toBe(3000);
    expect(h.requests.map((r) => r.lastEventId)).toEqual([undefined, 'a', 'a']);
  });

  it('a 429 shows the limit and retries', async () => {
    const h = harness([{ status: 429, problem: 'you follow 5 logs already: close one first' }, { status: 200, keepOpen: true, chunks: ['data: ok\n\n'] }]);
    h.f.start();
    await until(() => h.timers.length === 1);
    expect(h.states.at(-1)).toEqual({ kind: 'limited', detail: 'you follow 5 logs already: close one first', retryIn: 1000 });
    h.timers[0]!.f();
    await until(() => h.lines.length === 1);
    expect(h.states.at(-1)).toEqual({ kind: 'open' });
    h.f.stop();
  });

  it('a server that cannot read the log now (5xx) is retried, saying why', async () => {
    const h = harness([{ status: 503, problem: 'the cluster cannot be reached' }, { status: 200, keepOpen: true, chunks: ['data: back\n\n'] }]);
    h.f.start();
    await until(() => h.timers.length === 1);
    expect(h.states.at(-1)).toEqual({ kind: 'reconnecting', retryIn: 1000, attempt: 1, detail: 'the cluster cannot be reached' });
    h.timers[0]!.f();
    await until(() => h.lines.length === 1);
    h.f.stop();
  });

  it('an answer a retry cannot change stops for good', async () => {
    const h = harness([{ status: 404, problem: 'version 1.0.0 has no pod "x"' }]);
    h.f.start();
    await until(() => h.states.at(-1)?.kind === 'failed');
    expect(h.states.at(-1)).toEqual({ kind: 'failed', status: 404, detail: 'version 1.0.0 has no pod "x"' });
    await settle();
    expect(h.timers).toHaveLength(0);
  });

  it('stop ends an open stream without a reconnect', async () => {
    const h = harness([{ status: 200, keepOpen: true, chunks: ['data: a\n\n'] }]);
    h.f.start();
    await until(() => h.lines.length === 1);
    h.f.stop();
    await settle();
    expect(h.timers).toHaveLength(0);
    expect(h.requests).toHaveLength(1);
  });
});

describe('LogBuffer', () => {
  it('numbers lines, converts colours across lines and drops the oldest beyond the cap', () => {
    const b = new LogBuffer(3);
    b.append(['\x1b[31mred', 'still red']);
    const all = b.append(['x', 'y']);
    expect(all.map((l) => l.n)).toEqual([2, 3, 4]);
    expect(all[0]?.spans[0]?.style).toEqual({ fg: 1 });
    expect(b.dropped).toBe(1);
  });

  it('splitText drops only the final newline', () => {
    expect(splitText('a\r\nb\n\nc\n')).toEqual(['a', 'b', '', 'c']);
    expect(splitText('')).toEqual([]);
  });
});
