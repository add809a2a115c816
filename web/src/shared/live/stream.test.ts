import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { LiveStream } from './stream';
import { qk } from '../api/queryKeys';
import type { Page, Version } from '../api/models';

/** FakeSource is an EventSource the test drives. */
class FakeSource {
  static all: FakeSource[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  private handlers = new Map<string, ((m: MessageEvent) => void)[]>();
  constructor(readonly url: string) {
    FakeSource.all.push(this);
  }
  addEventListener(type: string, h: (m: MessageEvent) => void) {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), h]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: unknown) {
    this.handlers.get(type)?.forEach((h) => h(new MessageEvent(type, { data: JSON.stringify(data) })));
  }
}

describe('LiveStream', () => {
  beforeEach(() => {
    FakeSource.all = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  function start(qc = new QueryClient()) {
    const delays: number[] = [];
    const s = new LiveStream(qc, {
      makeSource: (u) => new FakeSource(u) as unknown as EventSource,
      backoff: (n) => {
        const d = 1000 * 2 ** (n - 1);
        delays.push(d);
        return d;
      },
    });
    s.start();
    return { s, qc, delays };
  }

  it('applies events to the cache', () => {
    const { qc } = start();
    qc.setQueryData<Page<Version>>(qk.deployments, {
      items: [{ id: 'a', desiredState: 'Deployed', deployment: { status: 'Pending' } } as Version],
      total: 1,
    });
    FakeSource.all[0]!.onopen?.();
    FakeSource.all[0]!.emit('version.status', { id: 'a', deployment: { status: 'Running', readyPods: 1, desiredPods: 1, releases: [] } });
    expect(qc.getQueryData<Page<Version>>(qk.deployments)?.items[0]?.deployment.status).toBe('Running');
  });

  it('reports disconnection, reconnects with growing delays and refetches after reconnecting', () => {
    const { s, qc, delays } = start();
    const states: string[] = [];
    s.subscribe(() => states.push(s.getState()));
    FakeSource.all[0]!.onopen?.();
    qc.setQueryData(['x'], 1);

    FakeSource.all[0]!.onerror?.();
    expect(FakeSource.all[0]!.closed).toBe(true);
    expect(s.getState()).toBe('disconnected');
    vi.advanceTimersByTime(999);
    expect(FakeSource.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSource.all).toHaveLength(2);

    FakeSource.all[1]!.onerror?.();
    vi.advanceTimersByTime(2000);
    expect(FakeSource.all).toHaveLength(3);
    expect(delays).toEqual([1000, 2000]);

    FakeSource.all[2]!.onopen?.();
    expect(s.getState()).toBe('open');
    expect(qc.getQueryState(['x'])?.isInvalidated).toBe(true);
    expect(states).toEqual(['open', 'disconnected', 'open']);
  });

  it('stops reconnecting once stopped', () => {
    const { s } = start();
    FakeSource.all[0]!.onerror?.();
    s.stop();
    vi.advanceTimersByTime(60_000);
    expect(FakeSource.all).toHaveLength(1);
  });
});
