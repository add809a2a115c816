// Import a project from an export file (this API's or O-Neko's), with a preview of what will
// be created before anything is sent.
import { Alert, Button, FileInput, Group, List, Modal, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { paths } from '../../app/paths';
import { useT } from '../../shared/i18n';
import { notifyFailure, notifySuccess } from '../../shared/ui/notify';
import { useImport, useRegistries, type ImportDoc } from './api';
import { importError, previewImport, type ImportPreview } from './preview';

export function ImportDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const [file, setFile] = useState<File | null>(null);
  const [parsed, setParsed] = useState<{ doc: ImportDoc; preview: ImportPreview } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dockerRegistryId, setDocker] = useState<string | null>(null);
  const [helmRegistryId, setHelm] = useState<string | null>(null);
  const { docker, helm } = useRegistries(opened);
  const imp = useImport();

  const read = async (f: File | null) => {
    setFile(f);
    setParsed(null);
    setError(null);
    if (!f) return;
    const r = previewImport(await f.text());
    if ('error' in r) setError(importError(r, t));
    else setParsed(r);
  };
  const close = () => {
    void read(null);
    onClose();
  };
  const submit = () => {
    if (!parsed) return;
    imp.mutate(
      { doc: parsed.doc, dockerRegistryId: dockerRegistryId ?? undefined, helmRegistryId: helmRegistryId ?? undefined },
      {
        onSuccess: (p) => {
          notifySuccess(t('import.done', { name: p.name ?? '' }));
          close();
          navigate(paths.project(p.id));
        },
        onError: (e) => notifyFailure(t('import.failed'), e),
      },
    );
  };
  const p = parsed?.preview;
  return (
    <Modal opened={opened} onClose={close} title={t('import.title')} size="lg" closeButtonProps={{ 'aria-label': t('action.close') }}>
      <Stack>
        <FileInput label={t('import.file')} description={t('import.fileHint')} accept="application/json,.json" value={file} onChange={(f) => void read(f)} clearable clearButtonProps={{ 'aria-label': t('action.clear') }} />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {p && (
          <Stack gap="xs" aria-label={t('import.preview')} role="region">
            <Text fw={600}>{t('import.preview')}</Text>
            <Table withTableBorder>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th scope="row">{t('import.format')}</Table.Th>
                  <Table.Td data-format={p.format}>{p.format === 'oneko' ? t('import.formatOneko') : t('import.formatONeko')}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t('import.name')}</Table.Th>
                  <Table.Td>{p.name}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t('import.image')}</Table.Th>
                  <Table.Td>{p.imageName}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t('import.templates')}</Table.Th>
                  <Table.Td>
                    <List size="sm">
                      {p.templates.map((x, i) => (
                        <List.Item key={i}>
                          {x.name} {x.chart && <Text span c="dimmed">({x.chart})</Text>}
                        </List.Item>
                      ))}
                    </List>
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t('import.variables')}</Table.Th>
                  <Table.Td>{p.variables.join(', ') || '—'}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t('import.urlTemplates')}</Table.Th>
                  <Table.Td>{p.urlTemplates.join(', ') || '—'}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
            <Select
              label={t('import.dockerRegistry')}
              description={t('import.registryHint')}
              data={(docker.data?.items ?? []).map((r) => ({ value: r.id, label: r.name ?? r.id }))}
              value={dockerRegistryId}
              onChange={setDocker}
              clearable
              clearButtonProps={{ 'aria-label': t('action.clear') }}
            />
            <Select
              label={t('import.helmRegistry')}
              description={t('import.registryHint')}
              data={(helm.data?.items ?? []).map((r) => ({ value: r.id, label: r.name ?? r.id }))}
              value={helmRegistryId}
              onChange={setHelm}
              clearable
              clearButtonProps={{ 'aria-label': t('action.clear') }}
            />
          </Stack>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('action.cancel')}
          </Button>
          <Button onClick={submit} disabled={!parsed} loading={imp.isPending}>
            {t('import.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
