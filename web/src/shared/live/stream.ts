// The event stream: one EventSource on GET /api/v1/events for the signed-in app. On an error
// it closes and reconnects with exponential backoff (1 s doubling to 30 s, with jitter), and
// after a reconnect it invalidates every query, since events may have been missed meanwhile.
// Its connection state is observable (useLiveState) for the "disconnected" notice.
import type { QueryClient } from '@tanstack/react-query';
import { applyEvent, parseEvent } from './applyEvent';

export type LiveState = 'connecting' | 'open' | 'disconnected';

const eventTypes = ['version.status', 'version.created', 'version.removed', 'activity', 'cluster.status', 'webhook.delivery'] as const;

export interface StreamOptions {
  url?: string;
  /** makeSource builds the EventSource (tests pass a fake). */
  makeSource?: (url: string) => EventSource;
  /** backoff returns the delay before attempt n (n ≥ 1). */
  backoff?: (attempt: number) => number;
}

export function defaultBackoff(attempt: number): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return base / 2 + Math.random() * (base / 2);
}

/** LiveStream connects the query cache to the server's events. */
export class LiveStream {
  private source: EventSource | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private everOpened = false;
  private stopped = true;
  private state: LiveState = 'connecting';
  private listeners = new Set<() => void>();
  private readonly url: string;
  private readonly makeSource: (url: string) => EventSource;
  private readonly backoff: (attempt: number) => number;

  constructor(
    private readonly qc: QueryClient,
    opts: StreamOptions = {},
  ) {
    this.url = opts.url ?? '/api/v1/events';
    this.makeSource = opts.makeSource ?? ((u) => new EventSource(u, { withCredentials: true }));
    this.backoff = opts.backoff ?? defaultBackoff;
  }

  getState = (): LiveState => this.state;

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  private setState(s: LiveState) {
    if (s === this.state) return;
    this.state = s;
    this.listeners.forEach((l) => l());
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.source?.close();
    this.source = null;
  }

  private connect() {
    if (this.stopped) return;
    const es = this.makeSource(this.url);
    this.source = es;
    es.onopen = () => {
      if (this.everOpened && this.attempt > 0) {
        // Events may have been missed while disconnected.
        void this.qc.invalidateQueries();
      }
      this.everOpened = true;
      this.attempt = 0;
      this.setState('open');
    };
    es.onerror = () => {
      es.close();
      if (this.source !== es || this.stopped) return;
      this.source = null;
      this.attempt++;
      this.setState('disconnected');
      this.timer = setTimeout(() => this.connect(), this.backoff(this.attempt));
    };
    for (const type of eventTypes) {
      es.addEventListener(type, (m) => {
        const e = parseEvent(type, (m as MessageEvent<string>).data);
        if (e) applyEvent(this.qc, e);
      });
    }
  }
}
