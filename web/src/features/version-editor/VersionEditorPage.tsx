// The version editor (DOER): a version's overrides of its project's settings — namespace, URL
// templates, configuration templates, variables, lifetime, behaviour — saved with PATCH and
// If-Match (a 412 says someone else changed it and offers to reload); and, read-only, the
// effective configuration, what a deploy would change, the Helm history and the Kubernetes
// events. The tab is in the URL (?tab=…), so every part is a deep link.
import '@mantine/core/styles/Tabs.css';
import '@mantine/core/styles/Fieldset.css';
import { Alert, Anchor, Breadcrumbs, Button, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconDeviceFloppy, IconFileText } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { paths } from '../../app/paths';
import { useProject } from '../../shared/api/queries';
import { useT } from '../../shared/i18n';
import { useVT, type Key } from './messages';
import { notifyFailure, notifySuccess } from '../../shared/ui/notify';
import { QueryState } from '../../shared/ui/QueryState';
import { useUrlState } from '../../shared/ui/useUrlState';
import { VersionStatus } from '../../shared/version/StatusBadge';
import { VersionActions } from '../../shared/version/VersionActions';
import { isConflict, useEditableVersion, useSaveVersion, useVersion } from './api';
import { draftOf, isDirty, patchOf, type Draft } from './draft';
import { SettingsPanel } from './SettingsPanel';
import { TemplatesPanel } from './TemplatesPanel';
import { VariablesPanel } from './VariablesPanel';
import { ConfigurationPanel, DiffPanel } from './EffectivePanel';
import { DiagnosticsPanel } from './DiagnosticsPanel';
import { UnsavedChangesGuard, useUnsavedChanges } from '../../shared/ui/unsaved/UnsavedChanges';

const tabs = ['settings', 'templates', 'variables', 'configuration', 'diff', 'diagnostics'] as const;
type Tab = (typeof tabs)[number];
const editable = new Set<Tab>(['settings', 'templates', 'variables']);

export function VersionEditorPage() {
  return (
    <UnsavedChangesGuard>
      <VersionEditor />
    </UnsavedChangesGuard>
  );
}

function VersionEditor() {
  const t = useT();
  const vt = useVT();
  const { projectId = '', versionId = '' } = useParams();
  const [url, setUrl] = useUrlState({ tab: 'settings' });
  const tab: Tab = (tabs as readonly string[]).includes(url.tab) ? (url.tab as Tab) : 'settings';
  const project = useProject(projectId);
  const loaded = useEditableVersion(projectId, versionId);
  const save = useSaveVersion(projectId, versionId);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [base, setBase] = useState<string | null | undefined>(undefined);
  const [conflict, setConflict] = useState(false);

  // A draft starts from what was read; a new read (reload, save) starts it again.
  const data = loaded.data;
  useEffect(() => {
    if (!data) return;
    const key = data.etag ?? String(loaded.dataUpdatedAt);
    if (key !== base) {
      setDraft(draftOf(data.version));
      setBase(key);
      setConflict(false);
    }
  }, [data, base, loaded.dataUpdatedAt]);

  const v = data?.version;
  // The header shows the live version (status events patch qk.versions.*).
  const live = useVersion(projectId, versionId);
  const lv = live.data ?? v;
  const p = project.data;
  const dirty = !!(v && draft && isDirty(v, draft));
  useUnsavedChanges(dirty);
  const name = v?.name ?? versionId;
  const projectName = p?.name ?? projectId;

  const onSave = () => {
    if (!v || !draft) return;
    save.mutate(
      { patch: patchOf(v, draft), etag: data?.etag ?? null },
      {
        onSuccess: () => notifySuccess(vt('versionEditor.saved', { name })),
        onError: (e) => {
          if (isConflict(e)) setConflict(true);
          notifyFailure(vt('versionEditor.saveFailed', { name }), e);
        },
      },
    );
  };
  const onReload = () => {
    setBase(undefined);
    void loaded.refetch();
  };

  const tabLabel: Record<Tab, Key> = {
    settings: 'versionEditor.tab.settings',
    templates: 'versionEditor.tab.templates',
    variables: 'versionEditor.tab.variables',
    configuration: 'versionEditor.tab.configuration',
    diff: 'versionEditor.tab.diff',
    diagnostics: 'versionEditor.tab.diagnostics',
  };

  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={paths.projects()}>
          {t('versions.back')}
        </Anchor>
        <Anchor component={Link} to={paths.project(projectId)}>
          {projectName}
        </Anchor>
        <Text>{name}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{vt('versionEditor.title', { name, project: projectName })}</Title>
          {lv && <VersionStatus v={lv} />}
        </Stack>
        {lv && (
          <Group gap="xs">
            <Button component={Link} to={paths.logs(projectId, versionId)} variant="default" leftSection={<IconFileText size={16} aria-hidden />}>
              {t('version.logs')}
            </Button>
            <VersionActions v={lv} />
          </Group>
        )}
      </Group>
      <QueryState q={loaded} />
      <QueryState q={project} />
      {conflict && (
        <Alert color="orange" icon={<IconAlertTriangle size={18} aria-hidden />} title={vt('versionEditor.conflict.title')} role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{vt('versionEditor.conflict.text')}</Text>
            <Button size="compact-sm" variant="light" onClick={onReload}>
              {vt('versionEditor.conflict.reload')}
            </Button>
          </Stack>
        </Alert>
      )}
      {v && p && draft && (
        <Tabs value={tab} onChange={(x) => setUrl({ tab: x ?? 'settings' })} keepMounted={false}>
          <Tabs.List aria-label={vt('versionEditor.tabs')} style={{ overflowX: 'auto', flexWrap: 'nowrap' }}>
            {tabs.map((x) => (
              <Tabs.Tab key={x} value={x}>
                {vt(tabLabel[x])}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="settings" pt="md">
            <SettingsPanel project={p} draft={draft} onChange={setDraft} />
          </Tabs.Panel>
          <Tabs.Panel value="templates" pt="md">
            <TemplatesPanel project={p} draft={draft} onChange={setDraft} />
          </Tabs.Panel>
          <Tabs.Panel value="variables" pt="md">
            <VariablesPanel project={p} draft={draft} onChange={setDraft} />
          </Tabs.Panel>
          <Tabs.Panel value="configuration" pt="md">
            <ConfigurationPanel projectId={projectId} version={v} project={p} dirty={dirty} />
          </Tabs.Panel>
          <Tabs.Panel value="diff" pt="md">
            <DiffPanel projectId={projectId} version={v} dirty={dirty} />
          </Tabs.Panel>
          <Tabs.Panel value="diagnostics" pt="md">
            <DiagnosticsPanel projectId={projectId} versionId={versionId} />
          </Tabs.Panel>
        </Tabs>
      )}
      {v && draft && editable.has(tab) && (
        <Group
          justify="flex-end"
          gap="sm"
          p="sm"
          style={{
            position: 'sticky',
            bottom: 0,
            background: 'var(--mantine-color-body)',
            borderTop: '1px solid var(--mantine-color-default-border)',
            zIndex: 2,
          }}
        >
          <Text size="sm" c="dimmed" aria-live="polite">
            {dirty ? vt('versionEditor.unsaved') : vt('versionEditor.noChanges')}
          </Text>
          <Button variant="default" disabled={!dirty || save.isPending} onClick={() => setDraft(draftOf(v))}>
            {vt('versionEditor.discard')}
          </Button>
          <Button leftSection={<IconDeviceFloppy size={16} aria-hidden />} disabled={!dirty} loading={save.isPending} onClick={onSave}>
            {t('action.save')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
