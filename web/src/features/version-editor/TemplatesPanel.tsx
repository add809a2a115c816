// The version's configuration templates: each of the project's templates is inherited (shown
// read-only) or overridden by the version's own copy (edited here, with "revert to the
// project's"); a new template of the version's own is added with its chart (picked as in the
// project editor) and can be removed again.
import { Badge, Button, Card, Group, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconArrowBackUp, IconCopy, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useT } from '../../shared/i18n';
import { useHelmRegistries } from '../project-editor/api';
import { ChartPicker, type Chart } from '../project-editor/ChartPicker';
import type { Project } from '../../shared/api/models';
import { useVT, type Key } from './messages';
import { EmptyState } from '../../shared/ui/EmptyState';
import { badgeStyle } from '../../shared/version/StatusBadge';
import { YamlView } from './CodeView';
import { addTemplate, newTemplateProblem, overrideTemplate, revertTemplate, setTemplateContent, templateRows, type Draft, type TemplateRow } from './draft';

const kindColor: Record<TemplateRow['kind'], string> = { inherited: 'gray', overridden: 'blue', own: 'violet' };
const kindLabel: Record<TemplateRow['kind'], Key> = {
  inherited: 'versionEditor.templates.inherited',
  overridden: 'versionEditor.templates.overridden',
  own: 'versionEditor.templates.own',
};

export function TemplatesPanel({ project, draft, onChange }: { project: Project; draft: Draft; onChange: (d: Draft) => void }) {
  const vt = useVT();
  const rows = templateRows(project.defaultConfigurationTemplates ?? [], draft.templates);
  const add = <AddTemplate project={project} draft={draft} onChange={onChange} />;
  if (rows.length === 0)
    return (
      <Stack>
        <EmptyState title={vt('versionEditor.templates.none')} />
        {add}
      </Stack>
    );
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {vt('versionEditor.templates.hint')}
      </Text>
      {rows.map((r) => {
        const tpl = r.version ?? r.project;
        const chart = [tpl?.chartName, tpl?.chartVersion].filter(Boolean).join(' @ ');
        const headingId = `tpl-${r.name.replace(/\W+/g, '-')}`;
        return (
          <Card key={r.name} withBorder component="section" aria-labelledby={headingId} data-template={r.name}>
            <Group justify="space-between" mb="xs">
              <Group gap="xs">
                <Title order={2} size="h4" id={headingId}>
                  {r.name}
                </Title>
                <Badge color={kindColor[r.kind]} variant="light" className="oneko-badge" style={badgeStyle(kindColor[r.kind])}>
                  {vt(kindLabel[r.kind])}
                </Badge>
                {chart && (
                  <Text size="sm" c="dimmed">
                    {vt('versionEditor.templates.chart', { chart })}
                  </Text>
                )}
              </Group>
              {r.kind === 'inherited' && r.project && (
                <Button size="compact-sm" variant="light" leftSection={<IconCopy size={14} aria-hidden />} onClick={() => onChange(overrideTemplate(draft, r.project!))}>
                  {vt('versionEditor.templates.override', { name: r.name })}
                </Button>
              )}
              {r.kind === 'overridden' && (
                <Button size="compact-sm" variant="light" color="orange" leftSection={<IconArrowBackUp size={14} aria-hidden />} onClick={() => onChange(revertTemplate(draft, r.name))}>
                  {vt('versionEditor.templates.revert', { name: r.name })}
                </Button>
              )}
              {r.kind === 'own' && (
                <Button size="compact-sm" variant="light" color="red" leftSection={<IconTrash size={14} aria-hidden />} onClick={() => onChange(revertTemplate(draft, r.name))}>
                  {vt('versionEditor.templates.remove', { name: r.name })}
                </Button>
              )}
            </Group>
            {r.kind === 'inherited' ? (
              <YamlView text={r.project?.content ?? ''} label={vt('versionEditor.templates.content', { name: r.name })} />
            ) : (
              <Textarea
                label={vt('versionEditor.templates.content', { name: r.name })}
                autosize
                minRows={4}
                maxRows={30}
                spellCheck={false}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
                value={r.version?.content ?? ''}
                onChange={(e) => onChange(setTemplateContent(draft, r.name, e.currentTarget.value))}
              />
            )}
          </Card>
        );
      })}
      {add}
    </Stack>
  );
}

const noChart: Chart = { helmRegistryId: '', chartName: '', chartVersion: '' };

/** AddTemplate adds a template of the version's own: a name no template has, and its chart. */
function AddTemplate({ project, draft, onChange }: { project: Project; draft: Draft; onChange: (d: Draft) => void }) {
  const vt = useVT();
  const t = useT();
  const helm = useHelmRegistries();
  const registries = helm.data?.items ?? [];
  const [form, setForm] = useState<(Chart & { name: string }) | null>(null);
  const [tried, setTried] = useState(false);
  const projectTemplates = project.defaultConfigurationTemplates ?? [];
  if (!form) {
    // The registry the project's charts come from, else the only one there is.
    const helmRegistryId = projectTemplates[0]?.helmRegistryId || (registries.length === 1 ? registries[0]!.id : '');
    return (
      <Group>
        <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setForm({ ...noChart, helmRegistryId, name: '' })}>
          {vt('versionEditor.templates.add')}
        </Button>
      </Group>
    );
  }
  const nameProblem = newTemplateProblem(projectTemplates, draft, form.name);
  const errors = {
    name: nameProblem === 'required' ? vt('versionEditor.templates.nameRequired') : nameProblem === 'taken' ? vt('versionEditor.templates.nameTaken') : undefined,
    helmRegistryId: form.helmRegistryId ? undefined : vt('versionEditor.templates.required'),
    chartName: form.chartName ? undefined : vt('versionEditor.templates.required'),
  };
  const close = () => {
    setForm(null);
    setTried(false);
  };
  const submit = () => {
    setTried(true);
    if (errors.name || errors.helmRegistryId || errors.chartName) return;
    onChange(addTemplate(draft, form));
    close();
  };
  return (
    <Card withBorder component="section" aria-labelledby="new-template">
      <Stack gap="sm">
        <Title order={2} size="h4" id="new-template">
          {vt('versionEditor.templates.newTitle')}
        </Title>
        <Text size="sm" c="dimmed">
          {vt('versionEditor.templates.newHint')}
        </Text>
        <TextInput
          label={vt('versionEditor.templates.name')}
          required
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
          error={tried || nameProblem === 'taken' ? errors.name : undefined}
          maw={420}
          data-autofocus
        />
        <ChartPicker
          value={form}
          onChange={(patch) => setForm({ ...form, ...patch })}
          helmRegistries={registries}
          errors={tried ? { helmRegistryId: errors.helmRegistryId, chartName: errors.chartName } : undefined}
        />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={close}>
            {t('action.cancel')}
          </Button>
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={submit}>
            {vt('versionEditor.templates.addSubmit')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
