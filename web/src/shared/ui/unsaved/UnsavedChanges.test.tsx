// The unsaved-changes warning in a data router: leaving a screen with changes asks first (the
// dialog has the focus; Escape stays, "Leave" goes), reloading asks the browser to confirm, and
// nothing asks when nothing changed, after a release (a save that navigates), or when only the
// query string changes (a tab of the same screen).
import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { Link, Route, Routes, useNavigate } from 'react-router';
import { renderWithProviders } from '../../../test/render';
import { UnsavedChangesGuard, useUnsavedChanges } from './UnsavedChanges';

function Form() {
  const [value, setValue] = useState('');
  const release = useUnsavedChanges(value !== '');
  const navigate = useNavigate();
  return (
    <>
      <label>
        Name
        <input value={value} onChange={(e) => setValue(e.currentTarget.value)} />
      </label>
      <Link to="/elsewhere">Elsewhere</Link>
      <Link to="/form?tab=other">Other tab</Link>
      <button
        onClick={() => {
          release();
          navigate('/elsewhere');
        }}
      >
        Save and go
      </button>
    </>
  );
}

function app() {
  return renderWithProviders(
    <Routes>
      <Route
        path="/form"
        element={
          <UnsavedChangesGuard>
            <Form />
          </UnsavedChangesGuard>
        }
      />
      <Route path="/elsewhere" element={<h1>Elsewhere</h1>} />
    </Routes>,
    { path: '/form' },
  );
}

function beforeUnloadPrevented(): boolean {
  const e = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(e);
  return e.defaultPrevented;
}

describe('unsaved changes', { timeout: 30_000 }, () => {
  it('lets the user leave a screen without changes, without asking', async () => {
    const { router } = app();
    expect(beforeUnloadPrevented()).toBe(false);
    await userEvent.click(screen.getByRole('link', { name: 'Elsewhere' }));
    await screen.findByRole('heading', { name: 'Elsewhere' }, { timeout: 10_000 });
    expect(router.state.location.pathname).toBe('/elsewhere');
  });

  it('asks before changes are lost: Escape stays, Leave goes; a reload asks the browser', async () => {
    const { router } = app();
    await userEvent.type(screen.getByRole('textbox', { name: 'Name' }), 'x');
    expect(beforeUnloadPrevented()).toBe(true);

    // A tab of the same screen (only the query string) keeps the form: no question.
    await userEvent.click(screen.getByRole('link', { name: 'Other tab' }));
    await waitFor(() => expect(router.state.location.search).toBe('?tab=other'), { timeout: 10_000 });
    expect(screen.queryByRole('dialog')).toBeNull();

    await userEvent.click(screen.getByRole('link', { name: 'Elsewhere' }));
    const dialog = await screen.findByRole('dialog', { name: 'Leave without saving?' }, { timeout: 10_000 });
    const stay = screen.getByRole('button', { name: 'Stay and keep editing' });
    await waitFor(() => expect(document.activeElement).toBe(stay), { timeout: 10_000 });
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull(), { timeout: 10_000 });
    expect(router.state.location.pathname).toBe('/form');
    expect((screen.getByRole('textbox', { name: 'Name' }) as HTMLInputElement).value).toBe('x');
    expect(dialog).toBeTruthy();

    await userEvent.click(screen.getByRole('link', { name: 'Elsewhere' }));
    await screen.findByRole('dialog', { name: 'Leave without saving?' }, { timeout: 10_000 });
    await userEvent.click(screen.getByRole('button', { name: 'Leave and discard changes' }));
    await screen.findByRole('heading', { name: 'Elsewhere' }, { timeout: 10_000 });
    expect(beforeUnloadPrevented()).toBe(false);
  });

  it('does not ask when a save released the changes before navigating', async () => {
    const { router } = app();
    await userEvent.type(screen.getByRole('textbox', { name: 'Name' }), 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Save and go' }));
    await screen.findByRole('heading', { name: 'Elsewhere' }, { timeout: 10_000 });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(router.state.location.pathname).toBe('/elsewhere');
  });
});
