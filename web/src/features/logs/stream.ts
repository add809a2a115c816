// Following a container's log: GET …/pods/{pod}/logs?follow=1 answers Server-Sent Events, one
// event per line with the line's time as its id, and an "end" event when the container stops.
// The follower reads the stream with fetch (so it sees the answer's status and problem: a 429
// says too many logs are followed), reconnects after a drop with backoff and resumes with
// Last-Event-ID where it stopped, and stops for good on an end event or an answer that a retry
// cannot change (400, 401, 403, 404).

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** SseParser splits a text/event-stream into events; chunks may end anywhere. */
export class SseParser {
  private buf = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;

  push(chunk: string): SseEvent[] {
    this.buf += chunk;
    const out: SseEvent[] = [];
    for (;;) {
      const nl = this.buf.search(/\r\n|\r|\n/);
      if (nl < 0) break;
      // A lone \r at the end of a chunk may be the first half of \r\n: wait for more.
      if (this.buf[nl] === '\r' && nl === this.buf.length - 1) break;
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + (this.buf.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        if (this.data.length > 0 || this.event) out.push({ event: this.event || 'message', data: this.data.join('\n'), id: this.id });
        this.data = [];
        this.event = '';
        continue;
      }
      if (line.startsWith(':')) continue; // a comment
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.event = value;
      else if (field === 'id' && !value.includes('\0')) this.id = value;
    }
    return out;
  }
}

export type FollowState =
  | { kind: 'connecting' }
  | { kind: 'open' }
  /** The stream dropped, or the server could not read the log now (detail: its problem); the
   * next attempt is in `retryIn` ms. */
  | { kind: 'reconnecting'; retryIn: number; attempt: number; detail?: string }
  /** The server follows too many logs (429); retried with backoff. */
  | { kind: 'limited'; detail: string; retryIn: number }
  /** The container stopped (the server's end event). */
  | { kind: 'ended'; detail: string }
  /** An answer a retry cannot change (unknown pod, no access, bad input). */
  | { kind: 'failed'; status: number; detail: string };

export interface FollowOptions {
  url: string;
  onLines: (lines: string[]) => void;
  onState: (s: FollowState) => void;
  fetch?: typeof fetch;
  /** backoff is the delay before reconnect attempt n (n ≥ 1). */
  backoff?: (attempt: number) => number;
  setTimer?: (f: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

export function followBackoff(attempt: number): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/** problemDetail reads a problem+json answer's detail, or says what the status means. */
export async function problemDetail(r: Response): Promise<string> {
  try {
    const text = await r.text();
    try {
      const p = JSON.parse(text) as { detail?: string; title?: string };
      return p.detail || p.title || `HTTP ${r.status}`;
    } catch {
      return text.trim() || `HTTP ${r.status}`;
    }
  } catch {
    return `HTTP ${r.status}`;
  }
}

/** LogFollower follows one container's log until stopped. */
export class LogFollower {
  private lastId: string | undefined;
  private attempt = 0;
  private abort: AbortController | null = null;
  private timer: unknown = null;
  private stopped = false;
  private readonly fetchFn: typeof fetch;
  private readonly backoff: (n: number) => number;
  private readonly setTimer: (f: () => void, ms: number) => unknown;
  private readonly clearTimer: (t: unknown) => void;

  constructor(private readonly o: FollowOptions) {
    this.fetchFn = o.fetch ?? ((...a) => fetch(...a));
    this.backoff = o.backoff ?? followBackoff;
    this.setTimer = o.setTimer ?? ((f, ms) => setTimeout(f, ms));
    this.clearTimer = o.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  }

  /** lastEventId is the id of the last line received (where a reconnect resumes). */
  get lastEventId(): string | undefined {
    return this.lastId;
  }

  start(): void {
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private retry(state: (retryIn: number) => FollowState) {
    if (this.stopped) return;
    this.attempt++;
    const ms = this.backoff(this.attempt);
    this.o.onState(state(ms));
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.connect();
    }, ms);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const abort = new AbortController();
    this.abort = abort;
    this.o.onState({ kind: 'connecting' });
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (this.lastId) headers['Last-Event-ID'] = this.lastId;
    let r: Response;
    try {
      r = await this.fetchFn(this.o.url, { headers, credentials: 'same-origin', signal: abort.signal });
    } catch {
      if (!abort.signal.aborted) this.retry((retryIn) => ({ kind: 'reconnecting', retryIn, attempt: this.attempt }));
      return;
    }
    if (this.stopped) return;
    if (r.status === 429) {
      const detail = await problemDetail(r);
      this.retry((retryIn) => ({ kind: 'limited', detail, retryIn }));
      return;
    }
    if (!r.ok || !r.body) {
      const detail = await problemDetail(r);
      if (r.status >= 500 || r.status === 408) {
        this.retry((retryIn) => ({ kind: 'reconnecting', retryIn, attempt: this.attempt, detail }));
      } else {
        this.stopped = true;
        this.o.onState({ kind: 'failed', status: r.status, detail });
      }
      return;
    }
    this.o.onState({ kind: 'open' });
    const parser = new SseParser();
    const reader = r.body.getReader();
    const decoder = new TextDecoder();
    let ended: string | null = null;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const lines: string[] = [];
        for (const e of parser.push(decoder.decode(value, { stream: true }))) {
          if (e.event === 'end') {
            ended = e.data;
            continue;
          }
          if (e.event !== 'message') continue;
          if (e.id) this.lastId = e.id;
          lines.push(e.data);
        }
        if (lines.length > 0) {
          this.attempt = 0; // lines flow again: the next drop starts the backoff anew
          this.o.onLines(lines);
        }
      }
    } catch {
      // dropped (or stopped): handled below
    }
    if (this.stopped || abort.signal.aborted) return;
    if (ended !== null) {
      this.stopped = true;
      this.o.onState({ kind: 'ended', detail: ended });
      return;
    }
    this.retry((retryIn) => ({ kind: 'reconnecting', retryIn, attempt: this.attempt }));
  }
}
