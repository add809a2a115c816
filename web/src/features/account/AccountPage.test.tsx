// The account screen against a fake API: token roles never above one's own, the secret shown
// once, the password change reporting what it ended, and a conflicting save (412) offering reload.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithProviders, testUser } from '../../test/render';
import { fakeApi, type Seen } from '../../test/fakeApi';
import { AccountPage } from './AccountPage';

let stop = () => {};
afterEach(() => stop());

function server(opts: { profileConflict?: boolean } = {}) {
  let revision = 3;
  const tokens: unknown[] = [];
  const user = () => ({ id: 'u-DOER', username: 'doer', email: 'doer@example.test', role: 'DOER', firstName: '', lastName: '', createdAt: '2026-01-01T00:00:00Z', updatedAt: '' });
  const f = fakeApi((r: Seen) => {
    if (r.method === 'GET' && r.path === '/api/v1/users/u-DOER') return { body: user(), headers: { ETag: `"${revision}"` } };
    if (r.method === 'PUT' && r.path === '/api/v1/users/u-DOER') {
      if (r.headers.get('If-Match') !== `"${revision}"` || opts.profileConflict) {
        revision++;
        opts.profileConflict = false;
        return { status: 412, body: { title: 'Precondition Failed', detail: 'the document changed since you read it' } };
      }
      revision++;
      const pw = (r.body as { password?: string }).password;
      return { body: { ...user(), ...(pw ? { sessionsEnded: 2, tokensRevoked: 1 } : {}) } };
    }
    if (r.method === 'GET' && r.path === '/api/v1/tokens') return { body: { items: tokens, total: tokens.length } };
    if (r.method === 'POST' && r.path === '/api/v1/tokens') {
      const b = r.body as { name: string; role: string; expiresAt?: string };
      const tok = { id: `t${tokens.length}`, name: b.name, role: b.role, expiresAt: b.expiresAt, userId: 'u-DOER', createdAt: '2026-12-01T00:00:00Z' };
      tokens.push(tok);
      return { status: 201, body: { ...tok, secret: 'onk_the-secret-shown-once' } };
    }
    return undefined;
  });
  stop = f.stop;
  return f;
}

describe('account', { timeout: 30_000 }, () => {
  it('creates a token with a role up to one’s own and shows its secret exactly once', async () => {
    const { seen } = server();
    renderWithProviders(<AccountPage />, { user: testUser('DOER') });
    await userEvent.click(await screen.findByRole('button', { name: 'Create token' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create token' });
    const role = within(dialog).getByLabelText('Role') as HTMLSelectElement;
    expect([...role.options].map((o) => o.value)).toEqual(['VIEWER', 'DOER']);
    fireEvent.change(within(dialog).getByLabelText(/^Name/), { target: { value: 'ci' } });
    fireEvent.change(role, { target: { value: 'VIEWER' } });
    fireEvent.change(within(dialog).getByLabelText('Expires after'), { target: { value: '7' } });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    const shown = await screen.findByRole('dialog', { name: 'Your new API token' });
    expect((within(shown).getByLabelText('Token') as HTMLInputElement).value).toBe('onk_the-secret-shown-once');
    const post = seen.find((r) => r.method === 'POST')!;
    expect(post.body).toMatchObject({ name: 'ci', role: 'VIEWER' });
    const days = (new Date((post.body as { expiresAt: string }).expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    await userEvent.click(within(shown).getByRole('button', { name: 'I have copied it' }));
    await waitFor(() => expect(screen.queryByDisplayValue('onk_the-secret-shown-once')).toBeNull());
    // The token is listed, its secret is not; a new dialog starts empty.
    await screen.findByRole('cell', { name: 'ci' });
    await userEvent.click(screen.getByRole('button', { name: 'Create token' }));
    await screen.findByRole('dialog', { name: 'Create token' });
    expect(screen.queryByDisplayValue('onk_the-secret-shown-once')).toBeNull();
  });

  it('a VIEWER may only make VIEWER tokens', async () => {
    server();
    renderWithProviders(<AccountPage />, { user: { ...testUser('VIEWER'), id: 'u-DOER' } });
    await userEvent.click(await screen.findByRole('button', { name: 'Create token' }));
    const role = within(await screen.findByRole('dialog', { name: 'Create token' })).getByLabelText('Role') as HTMLSelectElement;
    expect([...role.options].map((o) => o.value)).toEqual(['VIEWER']);
  });

  it('changes the password with the current one and If-Match, and says what it ended', async () => {
    const { seen } = server();
    renderWithProviders(<AccountPage />, { user: testUser('DOER') });
    const current = await screen.findByLabelText(/^Current password/);
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findAllByText('Required')).toHaveLength(1);
    expect(seen.some((r) => r.method === 'PUT')).toBe(false);
    fireEvent.change(current, { target: { value: 'old-password-1' } });
    fireEvent.change(screen.getByLabelText(/^New password/), { target: { value: 'new-password-1' } });
    fireEvent.change(screen.getByLabelText(/^Repeat the new password/), { target: { value: 'new-password-1' } });
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await screen.findByText('Password changed: 2 other session(s) ended, 1 API token(s) revoked.');
    const put = seen.find((r) => r.method === 'PUT')!;
    expect(put.headers.get('If-Match')).toBe('"3"');
    expect(put.body).toMatchObject({ username: 'doer', role: 'DOER', password: 'new-password-1', currentPassword: 'old-password-1' });
  });

  it('a save that lost a race (412) says so and reloads on request', async () => {
    const { seen } = server({ profileConflict: true });
    renderWithProviders(<AccountPage />, { user: testUser('DOER') });
    const email = await screen.findByLabelText('E-mail');
    fireEvent.change(email, { target: { value: 'new@example.test' } });
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Someone else changed this');
    await userEvent.click(within(alert).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(screen.queryByText('Someone else changed this')).toBeNull());
    expect(seen.filter((r) => r.method === 'GET' && r.path === '/api/v1/users/u-DOER')).toHaveLength(2);
    // The reloaded form saves with the new ETag.
    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: 'new@example.test' } });
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(seen.filter((r) => r.method === 'PUT')).toHaveLength(2));
    expect(seen.filter((r) => r.method === 'PUT')[1]!.headers.get('If-Match')).toBe('"4"');
  });
});
