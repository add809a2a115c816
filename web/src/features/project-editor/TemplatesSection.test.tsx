// Template linting in the editor: an unknown {{…}} variable and broken YAML are flagged (in
// the CodeMirror editor and in the list under it) before anything is saved, and defining the
// variable clears the flag. CodeMirror itself runs here, in jsdom.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { renderWithProviders } from '../../test/render';
import { emptyTemplate, emptyVariable, type DraftTemplate, type DraftVariable } from './draft';
import { TemplatesSection } from './TemplatesSection';

// jsdom does not lay text out; CodeMirror measures ranges.
const noRects = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
Range.prototype.getClientRects ??= noRects;
Range.prototype.getBoundingClientRect ??= () => new DOMRect();

let latest: DraftTemplate[] = [];

const variable = (name: string): DraftVariable => ({ ...emptyVariable(), name });

/** Harness holds the templates and variables as the editor page does; a button defines HOSTNAME. */
function Harness({ content, initial }: { content: string; initial: DraftVariable[] }) {
  const [templates, setTemplates] = useState<DraftTemplate[]>(() => [{ ...emptyTemplate('web', 'h1'), chartName: 'hello', content }]);
  const [variables, setVariables] = useState(initial);
  latest = templates;
  return (
    <>
      <button type="button" onClick={() => setVariables((v) => [...v, variable('HOSTNAME')])}>
        define HOSTNAME
      </button>
      <TemplatesSection templates={templates} onChange={setTemplates} variables={variables} helmRegistries={[{ id: 'h1', name: 'charts' }]} problems={{}} />
    </>
  );
}

describe('template linting', { timeout: 30_000 }, () => {
  it('flags an unknown variable in the list and in the editor, until it is defined', async () => {
    const content = 'replicas: {{REPLICAS}}\nhost: {{HOSTNAME}}\n';
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Harness content={content} initial={[variable('REPLICAS')]} />);
    const list = await screen.findByRole('list', { name: '1 problem' });
    expect(within(list).getByText(/Line 2: unknown variable HOSTNAME/)).toBeTruthy();
    // The editor (loaded lazily) marks the same range with a CodeMirror diagnostic.
    const editor = await screen.findByRole('textbox', { name: 'Values of template web' }, { timeout: 20_000 });
    expect(editor.getAttribute('aria-describedby')).toBeTruthy();
    await waitFor(() => expect(document.querySelector('.cm-lintRange-error')?.textContent).toBe('HOSTNAME'), { timeout: 5000 });

    await user.click(screen.getByRole('button', { name: 'define HOSTNAME' }));
    await screen.findByText('No problems found');
    await waitFor(() => expect(document.querySelector('.cm-lintRange-error')).toBeNull(), { timeout: 5000 });
  });

  it('flags YAML that does not parse once the placeholders are filled in', async () => {
    renderWithProviders(<Harness content={'a: {{IMAGE}}\nb: [1, 2\n'} initial={[]} />);
    const list = await screen.findByRole('list', { name: /problem/ });
    expect(within(list).getAllByText(/YAML:/).length).toBeGreaterThan(0);
  });

  it('renames, downloads nothing broken, and deletes a template after confirming', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Harness content="a: 1\n" initial={[]} />);
    await user.click(screen.getByRole('button', { name: 'Rename' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rename template web' });
    const input = within(dialog).getByLabelText('New name');
    await user.clear(input);
    expect(within(dialog).getByText('Required')).toBeTruthy();
    await user.type(input, 'api');
    await user.click(within(dialog).getByRole('button', { name: 'Rename' }));
    await screen.findByRole('tab', { name: 'api' });
    expect(latest[0]?.name).toBe('api');
    await user.click(screen.getByRole('button', { name: 'Delete template' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete template api?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete template' }));
    await screen.findByText(/No configuration templates yet/);
    expect(latest).toEqual([]);
  });
});
