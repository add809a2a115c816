// The project editor (DOER): create a project (/projects/new) or change one
// (/projects/:id/edit). Saving checks in the browser what can be checked (validate in
// draft.ts, the templates with template/lint.ts), then POSTs or PUTs with If-Match set to
// the ETag the project was read with; a 412 says that someone else changed it and offers to
// reload. The server's 422 fields land on the same inputs as the browser's checks.
import '@mantine/core/styles/Tabs.css';
import '@mantine/core/styles/SimpleGrid.css';
import '@mantine/core/styles/NumberInput.css';
import '@mantine/core/styles/Fieldset.css';
import { Alert, Anchor, Button, Group, List, NumberInput, Paper, Radio, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconDeviceFloppy, IconFileExport, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { paths } from '../../app/paths';
import { isApiError } from '../../shared/api/problem';
import { useEditorT } from './messages';
import { notifyFailure, notifySuccess } from '../../shared/ui/notify';
import { QueryState } from '../../shared/ui/QueryState';
import { download, exportProject, useDockerRegistries, useEditedProject, useHelmRegistries, useNamespaces, useSaveProject } from './api';
import { isConflict, type Tagged } from '../../shared/api/etag';
import { DeleteProjectDialog } from './DeleteProjectDialog';
import { emptyDraft, fromProject, problemsFromServer, sameDraft, toBody, validate, type AutoDeployMode, type Draft, type LifetimeType, type Problems } from './draft';
import { mono, useProblemText } from './problems';
import { TemplatesSection } from './TemplatesSection';
import { UnsavedChangesGuard, useUnsavedChanges } from '../../shared/ui/unsaved/UnsavedChanges';
import { UrlTemplates } from './UrlTemplates';
import { VariablesEditor } from './VariablesEditor';
import type { Project } from '../../shared/api/models';

export function ProjectEditorPage() {
  const { projectId } = useParams();
  const loaded = useEditedProject(projectId);
  if (projectId && !loaded.data) return <QueryState q={loaded} />;
  return (
    <UnsavedChangesGuard>
      <Editor key={`${projectId ?? 'new'}-${loaded.dataUpdatedAt}`} projectId={projectId} initial={loaded.data} onReload={() => void loaded.refetch()} />
    </UnsavedChangesGuard>
  );
}

function Section({ title, children, description }: { title: string; description?: string; children: ReactNode }) {
  const id = `section-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <Paper withBorder p={{ base: 'sm', sm: 'md' }} component="section" aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb={description ? 2 : 'sm'}>
        {title}
      </Title>
      {description && (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      )}
      {children}
    </Paper>
  );
}

const lifetimeTypes: LifetimeType[] = ['UNTIL_TONIGHT', 'UNTIL_WEEKEND', 'DAYS', 'INFINITE'];

function Editor({ projectId, initial, onReload }: { projectId?: string; initial?: Tagged<Project>; onReload: () => void }) {
  const t = useEditorT();
  const text = useProblemText();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Draft>(() => (initial ? fromProject(initial.data) : emptyDraft()));
  // What was last read or saved: the form holds unsaved changes while it differs.
  const [saved, setSaved] = useState(draft);
  const dirty = useMemo(() => !sameDraft(draft, saved), [draft, saved]);
  const release = useUnsavedChanges(dirty);
  const [etag, setEtag] = useState(initial?.etag ?? null);
  const [savedName, setSavedName] = useState(initial?.data.name ?? '');
  const [attempted, setAttempted] = useState(false);
  const [server, setServer] = useState<{ detail: string; problems: Problems } | null>(null);
  const [conflict, setConflict] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [exporting, setExporting] = useState(false);
  const docker = useDockerRegistries();
  const helm = useHelmRegistries();
  const namespaces = useNamespaces();
  const save = useSaveProject();

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const local = useMemo(() => validate(draft), [draft]);
  const problems: Problems = { ...(server?.problems ?? {}), ...(attempted ? local : {}) };
  const count = Object.keys(local).length;

  const registry = docker.data?.items.find((r) => r.id === draft.dockerRegistryId);
  let imageHost = '';
  try {
    imageHost = registry?.url ? new URL(registry.url).host : '';
  } catch {
    imageHost = '';
  }
  const nsOptions = (namespaces.data?.items ?? []).map((n) => ({ value: n.kubeName, label: n.name === n.kubeName ? n.name : `${n.name} (${n.kubeName})` }));
  if (draft.namespace && !nsOptions.some((o) => o.value === draft.namespace)) nsOptions.unshift({ value: draft.namespace, label: draft.namespace });

  const submit = () => {
    setAttempted(true);
    if (count > 0) {
      notifyFailure(t('editor.saveFailed'), new Error(t('editor.fixProblems', { count })));
      return;
    }
    const sent = draft;
    save.mutate(
      { id: projectId, etag, body: toBody(sent) },
      {
        onSuccess: ({ data, etag: next }) => {
          setServer(null);
          setConflict(false);
          setSaved(sent);
          if (!projectId) {
            notifySuccess(t('editor.created', { name: data.name ?? '' }));
            release(); // saved: going to the new project loses nothing
            navigate(paths.project(data.id));
            return;
          }
          setEtag(next);
          setSavedName(data.name ?? '');
          // Keep the form (and its tabs) as it is; take the ids the server gave new items.
          setDraft((d) => ({
            ...d,
            templates: d.templates.map((x, i) => ({ ...x, id: x.id || data.defaultConfigurationTemplates?.[i]?.id })),
            variables: d.variables.map((x, i) => ({ ...x, id: x.id || data.templateVariables?.[i]?.id })),
          }));
          notifySuccess(t('editor.saved', { name: data.name ?? '' }));
        },
        onError: (e) => {
          if (isConflict(e)) {
            setConflict(true);
            notifyFailure(t('editor.conflict.title'), new Error(t('editor.conflict.text')));
            return;
          }
          const fields = isApiError(e) ? (e.problem as { fields?: unknown }).fields : undefined;
          setServer({ detail: e.message, problems: problemsFromServer(fields) });
          notifyFailure(t('editor.saveFailed'), e);
        },
      },
    );
  };

  const doExport = async () => {
    if (!projectId) return;
    setExporting(true);
    try {
      const doc = await exportProject(projectId);
      download(`${savedName || 'project'}.json`, JSON.stringify(doc, null, 2), 'application/json');
      notifySuccess(t('editor.exported', { name: savedName }));
    } catch (e) {
      notifyFailure(t('editor.exportFailed'), e);
    } finally {
      setExporting(false);
    }
  };

  const title = projectId ? t('editor.titleEdit', { name: savedName }) : t('editor.titleNew');
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Stack gap="md" maw={1100}>
        <Group justify="space-between" wrap="wrap">
          <Title order={1}>{title}</Title>
          {projectId && (
            <Group gap="xs">
              <Button variant="default" leftSection={<IconFileExport size={16} aria-hidden />} onClick={() => void doExport()} loading={exporting}>
                {t('editor.export')}
              </Button>
              <Button variant="light" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => setDeleting(true)}>
                {t('editor.delete')}
              </Button>
            </Group>
          )}
        </Group>
        {projectId && (
          <Anchor component={Link} to={paths.project(projectId)} size="sm">
            {t('editor.backToVersions')}
          </Anchor>
        )}

        {conflict && (
          <Alert color="orange" title={t('editor.conflict.title')} role="alert">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{t('editor.conflict.text')}</Text>
              <Button size="xs" leftSection={<IconRefresh size={14} aria-hidden />} onClick={onReload}>
                {t('editor.conflict.reload')}
              </Button>
            </Stack>
          </Alert>
        )}
        {server && (
          <Alert color="red" title={t('editor.saveFailed')} role="alert">
            {server.detail}
          </Alert>
        )}
        {attempted && count > 0 && (
          <Alert color="red" title={t('editor.fixProblems', { count })} role="alert">
            <List size="sm">
              {Object.entries(local).map(([field, p]) => (
                <List.Item key={field}>
                  <Text span ff="monospace" size="xs">
                    {field}
                  </Text>
                  : {text(p)}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}

        <Section title={t('editor.section.general')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label={t('editor.name')} value={draft.name} onChange={(e) => set({ name: e.currentTarget.value })} error={text(problems.name)} required />
            <Select
              label={t('editor.dockerRegistry')}
              data={(docker.data?.items ?? []).map((r) => ({ value: r.id, label: r.name ? `${r.name} (${r.url ?? ''})` : r.id }))}
              value={draft.dockerRegistryId || null}
              onChange={(v) => set({ dockerRegistryId: v ?? '' })}
              error={text(problems.dockerRegistryId) ?? (docker.isError ? docker.error.message : undefined)}
              required
              allowDeselect={false}
              searchable
              nothingFoundMessage={t('editor.noRegistries')}
            />
            <TextInput
              label={t('editor.image')}
              description={t('editor.imageHint')}
              placeholder="team/app"
              value={draft.imageName}
              onChange={(e) => set({ imageName: e.currentTarget.value })}
              error={text(problems.imageName)}
              required
              styles={mono}
            />
            <Select
              label={t('editor.namespace')}
              description={t('editor.namespaceHint')}
              data={nsOptions}
              value={draft.namespace || null}
              onChange={(v) => set({ namespace: v ?? '' })}
              error={text(problems.namespace) ?? (namespaces.isError ? namespaces.error.message : undefined)}
              clearable
              clearButtonProps={{ 'aria-label': t('action.clear') }}
              searchable
              nothingFoundMessage={t('editor.noNamespaces')}
            />
          </SimpleGrid>
        </Section>

        <Section title={t('editor.section.deployment')}>
          <Stack gap="md">
            <Radio.Group
              label={t('editor.behaviour')}
              description={t('editor.behaviourHint')}
              value={draft.newVersionsDeploymentBehaviour}
              onChange={(v) => set({ newVersionsDeploymentBehaviour: v as Draft['newVersionsDeploymentBehaviour'] })}
            >
              <Group mt="xs" gap="lg">
                <Radio value="automatically" label={t('editor.behaviour.automatically')} />
                <Radio value="manually" label={t('editor.behaviour.manually')} />
              </Group>
            </Radio.Group>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <Select
                label={t('editor.autoDeploy')}
                description={t('editor.autoDeployHint')}
                data={(['none', 'tagPattern', 'semver'] as AutoDeployMode[]).map((m) => ({ value: m, label: t(`editor.autoDeploy.${m}`) }))}
                value={draft.autoDeployMode}
                onChange={(v) => set({ autoDeployMode: (v ?? 'none') as AutoDeployMode })}
                allowDeselect={false}
              />
              {draft.autoDeployMode !== 'none' && (
                <TextInput
                  label={t(draft.autoDeployMode === 'tagPattern' ? 'editor.autoDeploy.pattern' : 'editor.autoDeploy.range')}
                  description={t(draft.autoDeployMode === 'tagPattern' ? 'editor.autoDeploy.patternHint' : 'editor.autoDeploy.rangeHint')}
                  value={draft.autoDeployValue}
                  onChange={(e) => set({ autoDeployValue: e.currentTarget.value })}
                  error={text(problems.autoDeploy)}
                  required
                  styles={mono}
                />
              )}
              <Select
                label={t('editor.lifetime')}
                description={t('editor.lifetimeHint')}
                data={lifetimeTypes.map((l) => ({ value: l, label: t(`editor.lifetime.${l}`) }))}
                value={draft.lifetimeType}
                onChange={(v) => set({ lifetimeType: (v ?? 'UNTIL_TONIGHT') as LifetimeType })}
                allowDeselect={false}
                error={draft.lifetimeType !== 'DAYS' ? text(problems.defaultLifetimeBehaviour) : undefined}
              />
              {draft.lifetimeType === 'DAYS' && (
                <NumberInput
                  label={t('editor.lifetime.days')}
                  min={1}
                  max={365}
                  allowDecimal={false}
                  value={draft.lifetimeDays}
                  onChange={(v) => set({ lifetimeDays: typeof v === 'number' ? v : Number(v) || 0 })}
                  error={text(problems.defaultLifetimeBehaviour)}
                />
              )}
            </SimpleGrid>
          </Stack>
        </Section>

        <Section title={t('editor.section.urls')} description={t('editor.section.urlsHint')}>
          <UrlTemplates
            urls={draft.urlTemplates}
            onChange={(urlTemplates) => set({ urlTemplates })}
            problems={problems}
            sample={{ projectName: draft.name, projectId, imageName: draft.imageName, imageHost, namespace: draft.namespace }}
          />
        </Section>

        <Section title={t('editor.section.variables')} description={t('editor.section.variablesHint')}>
          <VariablesEditor variables={draft.variables} onChange={(variables) => set({ variables })} problems={problems} />
        </Section>

        <Section title={t('editor.section.templates')} description={t('editor.section.templatesHint')}>
          <TemplatesSection
            templates={draft.templates}
            onChange={(templates) => set({ templates })}
            variables={draft.variables}
            helmRegistries={helm.data?.items ?? []}
            problems={problems}
          />
        </Section>

        <Group justify="flex-end" gap="xs" pos="sticky" bottom={0} py="sm" style={{ background: 'var(--mantine-color-body)', zIndex: 2 }}>
          <Button variant="default" component={Link} to={projectId ? paths.project(projectId) : paths.projects()}>
            {t('action.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} leftSection={<IconDeviceFloppy size={16} aria-hidden />}>
            {projectId ? t('editor.save') : t('editor.create')}
          </Button>
        </Group>

        {projectId && <DeleteProjectDialog opened={deleting} onClose={() => setDeleting(false)} projectId={projectId} name={savedName} />}
      </Stack>
    </form>
  );
}
