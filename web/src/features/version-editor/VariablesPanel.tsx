// The version's template variables: per variable the project's value (inherited) next to the
// version's override, which a DOER sets (a select for listed values) or reverts.
import { ActionIcon, Badge, Group, Select, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconArrowBackUp, IconPencil } from '@tabler/icons-react';
import type { Project } from '../../shared/api/models';
import { useT } from '../../shared/i18n';
import { useVT } from './messages';
import { EmptyState } from '../../shared/ui/EmptyState';
import { badgeStyle } from '../../shared/version/StatusBadge';
import { revertVariable, setVariable, variableRows, type Draft, type VariableRow } from './draft';

function OverrideInput({ row, onSet }: { row: VariableRow; onSet: (value: string) => void }) {
  const vt = useVT();
  const label = vt('versionEditor.variables.valueOf', { name: row.label });
  if (row.useValues && row.values.length > 0) {
    const data = [...new Set([...row.values, ...(row.override !== undefined ? [row.override] : [])])];
    return (
      <Select
        aria-label={label}
        data={data}
        value={row.override ?? null}
        placeholder={vt('versionEditor.variables.useInherited')}
        onChange={(x) => x !== null && onSet(x)}
        allowDeselect={false}
        w={200}
        comboboxProps={{ withinPortal: true }}
      />
    );
  }
  return <TextInput aria-label={label} value={row.override ?? ''} onChange={(e) => onSet(e.currentTarget.value)} w={240} />;
}

export function VariablesPanel({ project, draft, onChange }: { project: Project; draft: Draft; onChange: (d: Draft) => void }) {
  const t = useT();
  const vt = useVT();
  const rows = variableRows(project, draft.variables);
  if (rows.length === 0) return <EmptyState title={vt('versionEditor.variables.none')} />;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {vt('versionEditor.variables.hint')}
      </Text>
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="xs" aria-label={vt('versionEditor.tab.variables')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{vt('versionEditor.variables.name')}</Table.Th>
              <Table.Th>{vt('versionEditor.variables.inherited')}</Table.Th>
              <Table.Th>{vt('versionEditor.variables.override')}</Table.Th>
              <Table.Th>
                <span className="visually-hidden">{t('version.actions')}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.name} data-variable={r.name}>
                <Table.Th scope="row">
                  <Text fw={600} size="sm">
                    {r.label}
                  </Text>
                  {r.label !== r.name && (
                    <Text size="xs" c="dimmed" ff="monospace">
                      {r.name}
                    </Text>
                  )}
                </Table.Th>
                <Table.Td>
                  {r.inherited === undefined ? (
                    <Badge color="orange" variant="light" className="oneko-badge" style={badgeStyle('orange')}>
                      {vt('versionEditor.variables.undeclared')}
                    </Badge>
                  ) : (
                    <Text size="sm" ff="monospace" td={r.override !== undefined ? 'line-through' : undefined} c={r.override !== undefined ? 'dimmed' : undefined}>
                      {r.inherited || vt('versionEditor.variables.empty')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {r.override === undefined ? (
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm" c="dimmed">
                        {vt('versionEditor.variables.notOverridden')}
                      </Text>
                      <Tooltip label={vt('versionEditor.variables.overrideOf', { name: r.label })}>
                        <ActionIcon
                          variant="subtle"
                          aria-label={vt('versionEditor.variables.overrideOf', { name: r.label })}
                          onClick={() => onChange(setVariable(draft, r.name, r.inherited ?? ''))}
                        >
                          <IconPencil size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  ) : (
                    <OverrideInput row={r} onSet={(value) => onChange(setVariable(draft, r.name, value))} />
                  )}
                </Table.Td>
                <Table.Td>
                  {r.override !== undefined && (
                    <Tooltip label={vt('versionEditor.variables.revert', { name: r.label })}>
                      <ActionIcon variant="subtle" color="orange" aria-label={vt('versionEditor.variables.revert', { name: r.label })} onClick={() => onChange(revertVariable(draft, r.name))}>
                        <IconArrowBackUp size={16} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
