// The version's own settings: namespace, URL templates, lifetime and behaviour, each showing
// what the project gives when the version inherits it.
import { ActionIcon, Button, Checkbox, Fieldset, Group, Radio, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { Lifetime, Project } from '../../shared/api/models';
import { useT } from '../../shared/i18n';
import { useVT } from './messages';
import { useNamespaces } from './api';
import type { Behaviour, Draft } from './draft';

const lifetimes: NonNullable<Lifetime['type']>[] = ['INHERIT', 'UNTIL_TONIGHT', 'UNTIL_WEEKEND', 'DAYS', 'INFINITE'];

type T = ReturnType<typeof useT>;
type VT = ReturnType<typeof useVT>;

/** lifetimeLabel names a lifetime type (INHERIT is the editor's; the others the extend dialog's). */
function lifetimeLabel(t: T, vt: VT, type: NonNullable<Lifetime['type']>): string {
  return type === 'INHERIT' ? vt('versionEditor.lifetime.inherit') : t(`extend.${type}`);
}

function describeLifetime(t: T, vt: VT, l: Lifetime | undefined): string {
  if (!l?.type) return '—';
  if (l.type === 'DAYS') return vt('versionEditor.lifetime.days', { count: l.value ?? 1 });
  return lifetimeLabel(t, vt, l.type);
}

export function SettingsPanel({ project, draft, onChange }: { project: Project; draft: Draft; onChange: (d: Draft) => void }) {
  const t = useT();
  const vt = useVT();
  const namespaces = useNamespaces();
  const inheritNs = vt('versionEditor.namespace.inherit', { namespace: project.namespace || vt('versionEditor.namespace.implicit') });
  const nsOptions = [
    { value: '', label: inheritNs },
    ...(namespaces.data?.items ?? []).map((n) => ({ value: n.kubeName, label: n.name === n.kubeName ? n.name : `${n.name} (${n.kubeName})` })),
  ];
  if (draft.namespace && !nsOptions.some((o) => o.value === draft.namespace)) nsOptions.push({ value: draft.namespace, label: draft.namespace });
  const urls = draft.urlTemplates.length > 0 ? draft.urlTemplates : [''];
  const setUrl = (i: number, value: string) => onChange({ ...draft, urlTemplates: urls.map((u, j) => (j === i ? value : u)) });

  return (
    <Stack gap="lg" maw={720}>
      <Select
        label={vt('versionEditor.namespace')}
        description={vt('versionEditor.namespace.hint')}
        data={nsOptions}
        value={draft.namespace}
        onChange={(x) => onChange({ ...draft, namespace: x ?? '' })}
        allowDeselect={false}
        searchable
        comboboxProps={{ withinPortal: true }}
      />

      <Fieldset legend={vt('versionEditor.urls')}>
        <Stack gap="xs">
          <Checkbox
            label={vt('versionEditor.urls.override')}
            checked={draft.overrideUrls}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              onChange({ ...draft, overrideUrls: on, urlTemplates: on && draft.urlTemplates.length === 0 ? [...(project.urlTemplates ?? [])] : draft.urlTemplates });
            }}
          />
          {!draft.overrideUrls && (
            <Stack gap={2}>
              <Text size="sm" c="dimmed">
                {vt('versionEditor.urls.inherited')}
              </Text>
              {(project.urlTemplates ?? []).length === 0 ? (
                <Text size="sm">{vt('versionEditor.urls.none')}</Text>
              ) : (
                (project.urlTemplates ?? []).map((u) => (
                  <Text key={u} size="sm" ff="monospace">
                    {u}
                  </Text>
                ))
              )}
            </Stack>
          )}
          {draft.overrideUrls && (
            <>
              {urls.map((u, i) => (
                <Group key={i} gap="xs" wrap="nowrap">
                  <TextInput
                    style={{ flex: 1 }}
                    ff="monospace"
                    aria-label={vt('versionEditor.urls.item', { n: i + 1 })}
                    placeholder="https://{{DNS_VERSION_NAME}}.example.org"
                    value={u}
                    onChange={(e) => setUrl(i, e.currentTarget.value)}
                  />
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={vt('versionEditor.urls.remove', { n: i + 1 })}
                    onClick={() => onChange({ ...draft, urlTemplates: urls.filter((_, j) => j !== i) })}
                  >
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                </Group>
              ))}
              <Group>
                <Button size="compact-sm" variant="light" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => onChange({ ...draft, urlTemplates: [...urls, ''] })}>
                  {vt('versionEditor.urls.add')}
                </Button>
              </Group>
            </>
          )}
        </Stack>
      </Fieldset>

      <Radio.Group
        label={vt('versionEditor.lifetime')}
        description={vt('versionEditor.lifetime.projectDefault', { lifetime: describeLifetime(t, vt, project.defaultLifetimeBehaviour) })}
        value={draft.lifetime.type}
        onChange={(x) => onChange({ ...draft, lifetime: x === 'DAYS' ? { type: 'DAYS', value: draft.lifetime.value ?? 3 } : { type: x as Lifetime['type'] } })}
      >
        <Stack gap={6} mt="xs">
          {lifetimes.map((l) => (
            <Radio key={l} value={l} label={lifetimeLabel(t, vt, l)} />
          ))}
        </Stack>
      </Radio.Group>
      {draft.lifetime.type === 'DAYS' && (
        <TextInput
          type="number"
          min={1}
          max={365}
          w={160}
          label={t('extend.days')}
          value={String(draft.lifetime.value ?? 1)}
          onChange={(e) => onChange({ ...draft, lifetime: { type: 'DAYS', value: Math.max(1, Math.min(365, Number(e.currentTarget.value) || 1)) } })}
        />
      )}

      <Radio.Group
        label={vt('versionEditor.behaviour')}
        description={vt('versionEditor.behaviour.hint')}
        value={draft.behaviour}
        onChange={(x) => onChange({ ...draft, behaviour: x as Behaviour })}
      >
        <Stack gap={6} mt="xs">
          <Radio value="automatically" label={vt('versionEditor.behaviour.automatically')} />
          <Radio value="manually" label={vt('versionEditor.behaviour.manually')} />
        </Stack>
      </Radio.Group>
    </Stack>
  );
}
