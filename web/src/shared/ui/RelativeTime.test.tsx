// RelativeTime: one shared clock for every time on the page, never stale for a time that
// mounts between two ticks, and every time moves on with the tick.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { renderWithProviders } from '../../test/render';
import { RelativeTime } from './RelativeTime';

/** Times shows one time, and a second one after the button is pressed. */
function Times() {
  const [second, setSecond] = useState(false);
  return (
    <>
      <RelativeTime value="2026-06-01T11:00:00Z" />
      {second && <RelativeTime value="2026-06-01T12:00:40Z" />}
      <button type="button" onClick={() => setSecond(true)}>
        more
      </button>
    </>
  );
}

describe('RelativeTime', () => {
  afterEach(() => vi.useRealTimers());

  it('measures a time mounted between two ticks against the present, and follows the tick', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const start = new Date('2026-06-01T12:00:00Z');
    vi.setSystemTime(start);
    renderWithProviders(<Times />);
    expect(screen.getByText('1 hour ago')).toBeTruthy();
    // 50 s later, before the clock ticks: a version deployed 10 s ago is not "in 40 seconds".
    vi.setSystemTime(new Date(start.getTime() + 50_000));
    fireEvent.click(screen.getByRole('button', { name: 'more' }));
    expect(screen.getByText('10 seconds ago')).toBeTruthy();
    // The clock ticks a minute later (setSystemTime moved the date, not the timers), and every
    // time shown moves with it: now 110 s after the start.
    act(() => vi.advanceTimersByTime(60_000));
    expect(screen.getByText('1 minute ago')).toBeTruthy();
  });
});
