// The variable editor: add, name, make a select variable with listed values, see the problems
// the browser finds before saving, remove.
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { renderWithProviders } from '../../test/render';
import { emptyDraft, toBody, validate, type DraftVariable } from './draft';
import { VariablesEditor } from './VariablesEditor';

let latest: DraftVariable[] = [];

function Harness({ initial = [] as DraftVariable[] }) {
  const [variables, setVariables] = useState(initial);
  latest = variables;
  const problems = validate({ ...emptyDraft(), variables });
  return <VariablesEditor variables={variables} onChange={setVariables} problems={problems} />;
}

describe('VariablesEditor', { timeout: 30_000 }, () => {
  it('adds a select variable and shows what is wrong until it is right', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Harness />);
    expect(screen.getByText('No variables yet.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Add variable' }));
    const fresh = screen.getByRole('group', { name: 'Variable new variable 1' });
    await user.type(within(fresh).getByLabelText(/Variable name/), '1 bad');
    expect(await screen.findByText('Starts with a letter or _, then letters, digits and _')).toBeTruthy();

    const name = within(screen.getByRole('group', { name: 'Variable 1 bad' })).getByLabelText(/Variable name/);
    await user.clear(name);
    await user.type(name, 'REPLICAS');
    const group = screen.getByRole('group', { name: 'Variable REPLICAS' });
    expect(within(group).queryByText(/Starts with a letter/)).toBeNull();

    await user.click(within(group).getByLabelText('Select variable'));
    expect(within(group).getByText('A select variable needs at least one listed value')).toBeTruthy();
    await user.type(within(group).getByLabelText('Listed values'), '1{enter}2{enter}');
    expect(within(group).queryByText(/needs at least one listed value/)).toBeNull();
    await user.click(within(group).getByLabelText('Show on the dashboard'));
    await user.type(within(group).getByLabelText('Label'), 'Replicas');

    expect(latest).toHaveLength(1);
    expect(toBody({ ...emptyDraft(), variables: latest }).templateVariables).toEqual([
      { name: 'REPLICAS', label: 'Replicas', defaultValue: '', values: ['1', '2'], useValues: true, showOnDashboard: true },
    ]);
  });

  it('flags a duplicate name and a default that is not listed', () => {
    const v = (name: string, patch: Partial<DraftVariable> = {}): DraftVariable => ({
      key: name + Math.random(),
      name,
      label: '',
      defaultValue: '',
      values: [],
      useValues: false,
      showOnDashboard: false,
      ...patch,
    });
    renderWithProviders(<Harness initial={[v('A'), v('A'), v('B', { useValues: true, values: ['x'], defaultValue: 'y' })]} />);
    expect(screen.getAllByText('This name is used twice')).toHaveLength(1);
    expect(within(screen.getByRole('group', { name: 'Variable B' })).getByText('The default must be one of the listed values')).toBeTruthy();
  });

  it('removes a variable by its named button', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Harness initial={[{ key: 'k', name: 'GONE', label: '', defaultValue: '', values: [], useValues: false, showOnDashboard: false }]} />);
    await user.click(screen.getByRole('button', { name: 'Remove variable GONE' }));
    expect(screen.queryByRole('group', { name: 'Variable GONE' })).toBeNull();
    expect(latest).toEqual([]);
  });
});
