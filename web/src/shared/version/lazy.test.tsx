// The extend popover and the URL menu mount on first use (cheap rows in long lists) and then
// work as before: the first click opens them, then they open and close as Mantine's do. (jsdom has
// no layout, so floating UI hides what it positions: the queries include hidden elements.)
import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithProviders, testUser } from '../../test/render';
import type { Version } from '../api/models';
import { ExtendControl } from './ExtendControl';
import { UrlLinks } from './UrlLinks';

const v = {
  id: 'v1',
  projectId: 'p1',
  name: '1.1.0',
  desiredState: 'Deployed',
  templateVariables: {},
  urls: [],
  deployment: { status: 'Running', expiresAt: '2099-01-01T00:00:00Z', readyPods: 1, desiredPods: 1, releases: [] },
} as unknown as Version;

describe('lazily mounted version controls', () => {
  it('extend: no dialog until the first click; then the button opens and closes it', async () => {
    const user = userEvent.setup();
    renderWithProviders(<ExtendControl v={v} />, { user: testUser('VIEWER') });
    const name = 'Extend the lifetime of 1.1.0';
    const button = await screen.findByRole('button', { name });
    expect(button.getAttribute('aria-haspopup')).toBe('dialog');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('dialog', { hidden: true })).toBeNull();
    await user.click(button);
    // The first open loads the popover's module: allow for a slow machine.
    const dialog = await screen.findByRole('dialog', { hidden: true }, { timeout: 15_000 });
    expect(screen.getByRole('radio', { name: 'Restart the lifetime clock', hidden: true })).toBeTruthy();
    const target = screen.getByRole('button', { name });
    expect(target.getAttribute('aria-expanded')).toBe('true');
    expect(target.getAttribute('aria-controls')).toBe(dialog.id);
    await user.click(target);
    await waitFor(() => expect(screen.queryByRole('dialog', { hidden: true })).toBeNull(), { timeout: 15_000 });
    // Mounted now: the same button opens it again from the keyboard.
    screen.getByRole('button', { name }).focus();
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('dialog', { hidden: true }, { timeout: 15_000 })).toBeTruthy();
  }, 30_000);

  it('several URLs: no menu until the first click; then a menu of links', async () => {
    const user = userEvent.setup();
    renderWithProviders(<UrlLinks urls={['https://a.example', 'https://b.example', 'javascript:alert(1)']} />);
    const button = screen.getByRole('button', { name: 'Open URLs (2)' });
    expect(button.getAttribute('aria-haspopup')).toBe('menu');
    expect(screen.queryByRole('menu', { hidden: true })).toBeNull();
    await user.click(button);
    const items = await screen.findAllByRole('menuitem', { hidden: true }, { timeout: 15_000 });
    expect(items.map((a) => a.getAttribute('href'))).toEqual(['https://a.example', 'https://b.example']);
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('menu', { hidden: true })).toBeNull(), { timeout: 15_000 });
  }, 30_000);

  it('one URL is a plain link', () => {
    renderWithProviders(<UrlLinks urls={['https://a.example/x']} />);
    expect(screen.getByRole('link', { name: 'a.example/x' }).getAttribute('href')).toBe('https://a.example/x');
  });
});
