// The project's template variables: name, label, default value, listed values, whether it is
// a select variable (choose one of the listed values) and whether the dashboard shows it.
import { ActionIcon, Button, Checkbox, Fieldset, Group, Select, SimpleGrid, Stack, TagsInput, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useEditorT } from './messages';
import { emptyVariable, type DraftVariable, type Problems } from './draft';
import { mono, useProblemText } from './problems';

export interface VariablesEditorProps {
  variables: DraftVariable[];
  onChange: (variables: DraftVariable[]) => void;
  problems: Problems;
}

export function VariablesEditor({ variables, onChange, problems }: VariablesEditorProps) {
  const t = useEditorT();
  const text = useProblemText();
  const set = (i: number, patch: Partial<DraftVariable>) => onChange(variables.map((v, k) => (k === i ? { ...v, ...patch } : v)));
  const remove = (i: number) => onChange(variables.filter((_, k) => k !== i));
  return (
    <Stack gap="sm">
      {variables.length === 0 && (
        <Text c="dimmed" size="sm">
          {t('editor.variables.none')}
        </Text>
      )}
      {variables.map((v, i) => {
        const f = `templateVariables[${i}]`;
        const title = v.name || t('editor.variables.unnamed', { n: i + 1 });
        return (
          <Fieldset key={v.key} legend={t('editor.variables.legend', { name: title })} variant="filled" p="sm">
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <TextInput
                label={t('editor.variables.name')}
                description={t('editor.variables.nameHint')}
                value={v.name}
                onChange={(e) => set(i, { name: e.currentTarget.value })}
                error={text(problems[`${f}.name`])}
                required
                styles={mono}
              />
              <TextInput label={t('editor.variables.label')} description={t('editor.variables.labelHint')} value={v.label} onChange={(e) => set(i, { label: e.currentTarget.value })} />
              {v.useValues ? (
                <Select
                  label={t('editor.variables.default')}
                  description={t('editor.variables.defaultHint')}
                  data={[...new Set(v.values)]}
                  value={v.defaultValue || null}
                  onChange={(x) => set(i, { defaultValue: x ?? '' })}
                  error={text(problems[`${f}.defaultValue`])}
                  clearable
                  clearButtonProps={{ 'aria-label': t('action.clear') }}
                />
              ) : (
                <TextInput
                  label={t('editor.variables.default')}
                  description={t('editor.variables.defaultHint')}
                  value={v.defaultValue}
                  onChange={(e) => set(i, { defaultValue: e.currentTarget.value })}
                  error={text(problems[`${f}.defaultValue`])}
                />
              )}
            </SimpleGrid>
            <TagsInput
              mt="sm"
              label={t('editor.variables.values')}
              description={t('editor.variables.valuesHint')}
              value={v.values}
              onChange={(values) => set(i, { values })}
              error={text(problems[`${f}.values`])}
              clearable
              clearButtonProps={{ 'aria-label': t('action.clear') }}
            />
            <Group mt="sm" justify="space-between" wrap="wrap">
              <Group gap="lg">
                <Checkbox
                  label={t('editor.variables.select')}
                  description={t('editor.variables.selectHint')}
                  checked={v.useValues}
                  onChange={(e) => set(i, { useValues: e.currentTarget.checked })}
                />
                <Checkbox
                  label={t('editor.variables.dashboard')}
                  description={t('editor.variables.dashboardHint')}
                  checked={v.showOnDashboard}
                  onChange={(e) => set(i, { showOnDashboard: e.currentTarget.checked })}
                />
              </Group>
              <Tooltip label={t('editor.variables.remove', { name: title })}>
                <ActionIcon variant="subtle" color="red" onClick={() => remove(i)} aria-label={t('editor.variables.remove', { name: title })}>
                  <IconTrash size={18} aria-hidden />
                </ActionIcon>
              </Tooltip>
            </Group>
          </Fieldset>
        );
      })}
      <Group>
        <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => onChange([...variables, emptyVariable()])}>
          {t('editor.variables.add')}
        </Button>
      </Group>
    </Stack>
  );
}
