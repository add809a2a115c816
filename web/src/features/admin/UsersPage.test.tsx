// The users screen against a fake API: one's own account cannot be deleted from it, and an edit
// reads the user with its ETag and saves the whole user with If-Match.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { renderWithProviders, testUser } from '../../test/render';
import { fakeApi, type Seen } from '../../test/fakeApi';
import { RequireRole } from '../../shared/auth/RequireRole';
import { UsersPage } from './UsersPage';

let stop = () => {};
afterEach(() => stop());

const users = [
  { id: 'u-ADMIN', username: 'admin', email: '', role: 'ADMIN', createdAt: '2026-01-01T00:00:00Z', updatedAt: '' },
  { id: 'u2', username: 'ursula', email: 'u@example.test', firstName: 'Ursula', lastName: 'K', role: 'DOER', createdAt: '2026-01-01T00:00:00Z', updatedAt: '' },
];

describe('users', { timeout: 30_000 }, () => {
  it('edits a role with If-Match and the whole user; one’s own row has no delete', async () => {
    const f = fakeApi((r: Seen) => {
      if (r.method === 'GET' && r.path === '/api/v1/users') return { body: { items: users, total: 2 } };
      if (r.method === 'GET' && r.path === '/api/v1/users/u2') return { body: users[1], headers: { ETag: '"7"' } };
      if (r.method === 'PUT' && r.path === '/api/v1/users/u2') return { body: { ...users[1], ...(r.body as object) } };
      return undefined;
    });
    stop = f.stop;
    renderWithProviders(<UsersPage />, { user: testUser('ADMIN') });
    await screen.findByRole('cell', { name: 'u@example.test' });
    expect(screen.getByRole('button', { name: 'Delete ursula' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Delete admin' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Edit ursula' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit ursula' });
    const role = await within(dialog).findByLabelText('Role');
    fireEvent.change(role, { target: { value: 'ADMIN' } });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(f.seen.some((r) => r.method === 'PUT')).toBe(true));
    const put = f.seen.find((r) => r.method === 'PUT')!;
    expect(put.headers.get('If-Match')).toBe('"7"');
    expect(put.body).toEqual({ username: 'ursula', email: 'u@example.test', firstName: 'Ursula', lastName: 'K', role: 'ADMIN' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Edit ursula' })).toBeNull());
  });

  it('is "not found" for anyone but an ADMIN', async () => {
    const ui = (
      <Routes>
        <Route element={<RequireRole ability="admin" />}>
          <Route path="/admin/users" element={<UsersPage />} />
        </Route>
      </Routes>
    );
    renderWithProviders(ui, { user: testUser('DOER'), path: '/admin/users' });
    await screen.findByRole('heading', { name: 'Page not found' });
    expect(screen.queryByRole('button', { name: 'Create user' })).toBeNull();
  });
});
