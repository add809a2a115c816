// The version's configuration templates: each of the project's templates is inherited (shown
// read-only) or overridden by the version's own copy (edited here, with "revert to the
// project's"); templates only the version has can be removed.
import { Badge, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconArrowBackUp, IconCopy, IconTrash } from '@tabler/icons-react';
import type { Project } from '../../shared/api/models';
import { useVT, type Key } from './messages';
import { EmptyState } from '../../shared/ui/EmptyState';
import { badgeStyle } from '../../shared/version/StatusBadge';
import { YamlView } from './CodeView';
import { overrideTemplate, revertTemplate, setTemplateContent, templateRows, type Draft, type TemplateRow } from './draft';

const kindColor: Record<TemplateRow['kind'], string> = { inherited: 'gray', overridden: 'blue', own: 'violet' };
const kindLabel: Record<TemplateRow['kind'], Key> = {
  inherited: 'versionEditor.templates.inherited',
  overridden: 'versionEditor.templates.overridden',
  own: 'versionEditor.templates.own',
};

export function TemplatesPanel({ project, draft, onChange }: { project: Project; draft: Draft; onChange: (d: Draft) => void }) {
  const vt = useVT();
  const rows = templateRows(project.defaultConfigurationTemplates ?? [], draft.templates);
  if (rows.length === 0) return <EmptyState title={vt('versionEditor.templates.none')} />;
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
    </Stack>
  );
}
