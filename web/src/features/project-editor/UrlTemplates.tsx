// URL templates, with a live preview of the URLs a sample tag would get (rendered in the
// browser with the server's rules: template/language.ts).
import { ActionIcon, Button, Code, Group, List, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useEditorT } from './messages';
import type { Problems } from './draft';
import { mono, useProblemText } from './problems';
import { renderTemplate, sampleBuiltins, TemplateError, type SampleVersion } from './template/language';

export interface UrlTemplatesProps {
  urls: string[];
  onChange: (urls: string[]) => void;
  problems: Problems;
  sample: Omit<SampleVersion, 'tag'>;
}

/** previewUrl renders one URL template for a sample version, or says why it cannot. */
export function previewUrl(url: string, sample: SampleVersion): { url: string } | { error: string } {
  try {
    return { url: renderTemplate(url, { vars: sampleBuiltins(sample) }) };
  } catch (e) {
    return { error: e instanceof TemplateError || e instanceof Error ? e.message : String(e) };
  }
}

export function UrlTemplates({ urls, onChange, problems, sample }: UrlTemplatesProps) {
  const t = useEditorT();
  const text = useProblemText();
  const [tag, setTag] = useState('1.2.3');
  return (
    <Stack gap="sm">
      {urls.length === 0 && (
        <Text c="dimmed" size="sm">
          {t('editor.urls.none')}
        </Text>
      )}
      {urls.map((u, i) => (
        <Group key={i} align="flex-start" wrap="nowrap" gap="xs">
          <TextInput
            style={{ flex: 1 }}
            label={t('editor.urls.template', { n: i + 1 })}
            placeholder="https://{{SAFE_VERSION_NAME}}.example.com"
            value={u}
            onChange={(e) => onChange(urls.map((x, k) => (k === i ? e.currentTarget.value : x)))}
            error={text(problems[`urlTemplates[${i}]`])}
            styles={mono}
          />
          <Tooltip label={t('editor.urls.remove', { n: i + 1 })}>
            <ActionIcon mt={26} variant="subtle" color="red" aria-label={t('editor.urls.remove', { n: i + 1 })} onClick={() => onChange(urls.filter((_, k) => k !== i))}>
              <IconTrash size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
        </Group>
      ))}
      <Group>
        <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => onChange([...urls, ''])}>
          {t('editor.urls.add')}
        </Button>
      </Group>
      {urls.length > 0 && (
        <Stack gap={4} role="region" aria-label={t('editor.urls.preview')}>
          <TextInput label={t('editor.urls.sampleTag')} description={t('editor.urls.sampleTagHint')} value={tag} onChange={(e) => setTag(e.currentTarget.value)} maw={320} />
          <Text size="sm" fw={500}>
            {t('editor.urls.previewFor', { tag })}
          </Text>
          <List size="sm" aria-live="polite">
            {urls.map((u, i) => {
              const r = previewUrl(u, { ...sample, tag });
              return (
                <List.Item key={i}>
                  {'url' in r ? (
                    <Code>{r.url}</Code>
                  ) : (
                    <Text span c="red" size="sm">
                      {t('editor.urls.previewError', { n: i + 1, error: r.error })}
                    </Text>
                  )}
                </List.Item>
              );
            })}
          </List>
        </Stack>
      )}
    </Stack>
  );
}
