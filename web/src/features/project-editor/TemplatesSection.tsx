// The project's configuration templates, one tab each: the chart (picked from the Helm
// registry's chart list, ChartPicker.tsx) and its version, the values YAML in the CodeMirror editor with its
// problems listed below it, and upload, download, rename and delete.
import { Alert, Button, FileButton, Group, List, Loader, Modal, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconDownload, IconPencil, IconPlus, IconTrash, IconUpload } from '@tabler/icons-react';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useEditorT } from './messages';
import { notifyFailure, notifySuccess } from '../../shared/ui/notify';
import { download } from './api';
import { ChartPicker } from './ChartPicker';
import { emptyTemplate, type DraftTemplate, type DraftVariable, type Problems } from './draft';
import { useProblemText } from './problems';
import { lintTemplate } from './template/lint';

const TemplateEditor = lazy(() => import('./template/TemplateEditor'));

export interface TemplatesSectionProps {
  templates: DraftTemplate[];
  onChange: (templates: DraftTemplate[]) => void;
  variables: DraftVariable[];
  helmRegistries: { id: string; name?: string }[];
  problems: Problems;
}

export function TemplatesSection({ templates, onChange, variables, helmRegistries, problems }: TemplatesSectionProps) {
  const t = useEditorT();
  const [active, setActive] = useState<string | null>(templates[0]?.key ?? null);
  const current = templates.find((x) => x.key === active) ?? templates[0];
  const set = (key: string, patch: Partial<DraftTemplate>) => onChange(templates.map((x) => (x.key === key ? { ...x, ...patch } : x)));
  const add = () => {
    let n = templates.length + 1;
    while (templates.some((x) => x.name === `values-${n}`)) n++;
    const tpl = emptyTemplate(templates.length === 0 ? 'values' : `values-${n}`, helmRegistries.length === 1 ? helmRegistries[0]!.id : '');
    onChange([...templates, tpl]);
    setActive(tpl.key);
  };
  const remove = (key: string) => {
    const rest = templates.filter((x) => x.key !== key);
    onChange(rest);
    setActive(rest[0]?.key ?? null);
  };
  return (
    <Stack gap="sm">
      {templates.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('editor.templates.none')}
        </Text>
      ) : (
        <Tabs value={current?.key ?? null} onChange={setActive} keepMounted={false}>
          <Tabs.List aria-label={t('editor.templates.tabs')}>
            {templates.map((x, i) => {
              const bad = Object.keys(problems).some((k) => k.startsWith(`defaultConfigurationTemplates[${i}]`));
              return (
                <Tabs.Tab
                  key={x.key}
                  value={x.key}
                  rightSection={bad ? <IconAlertTriangle size={14} color="var(--mantine-color-error)" aria-label={t('editor.templates.hasProblems')} /> : undefined}
                >
                  {x.name || t('editor.templates.unnamed', { n: i + 1 })}
                </Tabs.Tab>
              );
            })}
          </Tabs.List>
          {templates.map((x, i) => (
            <Tabs.Panel key={x.key} value={x.key} pt="sm">
              <TemplatePanel
                template={x}
                index={i}
                others={templates.filter((o) => o.key !== x.key).map((o) => o.name)}
                onChange={(patch) => set(x.key, patch)}
                onDelete={() => remove(x.key)}
                variables={variables}
                helmRegistries={helmRegistries}
                problems={problems}
              />
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
      <Group>
        <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={add}>
          {t('editor.templates.add')}
        </Button>
      </Group>
    </Stack>
  );
}

interface PanelProps {
  template: DraftTemplate;
  index: number;
  others: string[];
  onChange: (patch: Partial<DraftTemplate>) => void;
  onDelete: () => void;
  variables: DraftVariable[];
  helmRegistries: { id: string; name?: string }[];
  problems: Problems;
}

function TemplatePanel({ template: x, index, others, onChange, onDelete, variables, helmRegistries, problems }: PanelProps) {
  const t = useEditorT();
  const text = useProblemText();
  const f = `defaultConfigurationTemplates[${index}]`;
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const varNames = useMemo(() => variables.map((v) => ({ name: v.name, label: v.label })), [variables]);
  const lint = useMemo(() => lintTemplate(x.content, varNames.map((v) => v.name)), [x.content, varNames]);
  const problemsId = `template-problems-${x.key}`;
  const name = x.name || t('editor.templates.unnamed', { n: index + 1 });
  const renameError = renaming === null ? undefined : renaming.trim() === '' ? t('editor.problem.required') : others.includes(renaming) ? t('editor.problem.duplicate') : undefined;

  const upload = async (file: File | null) => {
    if (!file) return;
    try {
      onChange({ content: await file.text() });
      notifySuccess(t('editor.templates.uploaded', { file: file.name, name }));
    } catch (e) {
      notifyFailure(t('editor.templates.uploadFailed'), e);
    }
  };

  return (
    <Stack gap="sm">
      <Group gap="xs" wrap="wrap">
        <Button size="xs" variant="default" leftSection={<IconPencil size={14} aria-hidden />} onClick={() => setRenaming(x.name)}>
          {t('editor.templates.rename')}
        </Button>
        <FileButton onChange={(file) => void upload(file)} accept=".yaml,.yml,text/yaml,text/plain">
          {(props) => (
            <Button {...props} size="xs" variant="default" leftSection={<IconUpload size={14} aria-hidden />}>
              {t('editor.templates.upload')}
            </Button>
          )}
        </FileButton>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconDownload size={14} aria-hidden />}
          onClick={() => {
            download(`${x.name || 'values'}.yaml`, x.content, 'text/yaml');
            notifySuccess(t('editor.templates.downloaded', { name }));
          }}
        >
          {t('editor.templates.download')}
        </Button>
        <Button size="xs" variant="light" color="red" leftSection={<IconTrash size={14} aria-hidden />} onClick={() => setDeleting(true)}>
          {t('editor.templates.delete')}
        </Button>
      </Group>
      {problems[`${f}.name`] && (
        <Text c="red" size="sm" role="alert">
          {t('editor.templates.nameProblem', { problem: text(problems[`${f}.name`]) ?? '' })}
        </Text>
      )}
      <TextInput label={t('editor.templates.description')} value={x.description} onChange={(e) => onChange({ description: e.currentTarget.value })} />
      <ChartPicker
        value={x}
        onChange={onChange}
        helmRegistries={helmRegistries}
        errors={{ helmRegistryId: text(problems[`${f}.helmRegistryId`]), chartName: text(problems[`${f}.chartName`]), chartVersion: text(problems[`${f}.chartVersion`]) }}
      />
      <Stack gap={4}>
        <Text size="sm" fw={500} id={`template-label-${x.key}`}>
          {t('editor.templates.content')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('editor.templates.contentHint')}
        </Text>
        <Suspense fallback={<Loader size="sm" aria-label={t('editor.templates.loadingEditor')} />}>
          <TemplateEditor
            value={x.content}
            onChange={(content) => onChange({ content })}
            variables={varNames}
            label={t('editor.templates.contentOf', { name })}
            describedBy={problemsId}
            placeholder={t('editor.templates.contentPlaceholder')}
          />
        </Suspense>
        <div id={problemsId} aria-live="polite">
          {lint.length === 0 ? (
            <Text size="sm" c="dimmed">
              <IconCheck size={14} aria-hidden /> {t('editor.templates.noProblems')}
            </Text>
          ) : (
            <Alert color="red" p="xs" title={t('editor.templates.problems', { count: lint.length })}>
              <List size="sm" aria-label={t('editor.templates.problems', { count: lint.length })}>
                {lint.map((p, k) => (
                  <List.Item key={k}>{t('editor.templates.problemAt', { line: x.content.slice(0, p.from).split('\n').length, message: p.message })}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          {problems[`${f}.content`] && 'text' in (problems[`${f}.content`] as object) && (
            <Text c="red" size="sm">
              {text(problems[`${f}.content`])}
            </Text>
          )}
        </div>
      </Stack>

      <Modal opened={renaming !== null} onClose={() => setRenaming(null)} title={t('editor.templates.renameTitle', { name })} closeButtonProps={{ 'aria-label': t('action.close') }}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            e.stopPropagation(); // the editor's own form is around it in React's tree
            if (renaming === null || renameError) return;
            onChange({ name: renaming });
            setRenaming(null);
          }}
        >
          <Stack>
            <TextInput label={t('editor.templates.newName')} value={renaming ?? ''} onChange={(e) => setRenaming(e.currentTarget.value)} error={renameError} data-autofocus />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRenaming(null)}>
                {t('action.cancel')}
              </Button>
              <Button type="submit" disabled={!!renameError}>
                {t('editor.templates.rename')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <Modal opened={deleting} onClose={() => setDeleting(false)} title={t('editor.templates.deleteTitle', { name })} closeButtonProps={{ 'aria-label': t('action.close') }}>
        <Stack>
          <Text>{t('editor.templates.deleteText')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(false)}>
              {t('action.cancel')}
            </Button>
            <Button
              color="red"
              onClick={() => {
                setDeleting(false);
                onDelete();
                notifySuccess(t('editor.templates.deleted', { name }));
              }}
            >
              {t('editor.templates.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
