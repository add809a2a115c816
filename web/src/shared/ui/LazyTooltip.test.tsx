// LazyTooltip: no tooltip until the pointer rests on the target or the keyboard focuses it;
// the target stays the same element (focus is kept); Escape hides it; a click's focus shows
// nothing more than the hover does.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithProviders } from '../../test/render';
import { LazyTooltip } from './LazyTooltip';

describe('LazyTooltip', () => {
  it('shows its label on hover only, on the same target element', async () => {
    renderWithProviders(
      <LazyTooltip label="Open the logs">
        <button type="button">Logs</button>
      </LazyTooltip>,
    );
    const button = screen.getByRole('button', { name: 'Logs' });
    expect(screen.queryByText('Open the logs')).toBeNull();
    fireEvent.mouseEnter(button);
    // The first hover loads the tooltip's module: allow for a slow machine.
    expect(await screen.findByText('Open the logs', {}, { timeout: 15_000 })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Logs' })).toBe(button);
    fireEvent.mouseLeave(button);
    expect(screen.queryByText('Open the logs')).toBeNull();
  }, 30_000);

  it('shows on keyboard focus, hides on Escape and keeps the handlers of its target', async () => {
    let entered = 0;
    renderWithProviders(
      <LazyTooltip label="Why outdated">
        <span tabIndex={0} onMouseEnter={() => entered++}>
          Outdated
        </span>
      </LazyTooltip>,
    );
    const badge = screen.getByText('Outdated');
    await userEvent.tab();
    expect(document.activeElement).toBe(badge);
    expect(await screen.findByText('Why outdated', {}, { timeout: 15_000 })).toBeTruthy();
    fireEvent.keyDown(badge, { key: 'Escape' });
    expect(screen.queryByText('Why outdated')).toBeNull();
    expect(document.activeElement).toBe(badge);
    fireEvent.mouseEnter(badge);
    expect(entered).toBe(1);
  }, 30_000);

  it('shows nothing more for the focus of a click than for the hover before it', async () => {
    renderWithProviders(
      <LazyTooltip label="Open the logs">
        <button type="button">Logs</button>
      </LazyTooltip>,
    );
    const button = screen.getByRole('button', { name: 'Logs' });
    fireEvent.pointerDown(button);
    fireEvent.focus(button);
    expect(screen.queryByText('Open the logs')).toBeNull();
  }, 30_000);
});
