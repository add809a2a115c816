// Namespaces (ADMIN): the namespaces oneko deploys into, create (with the name the cluster will
// use) and delete with confirmation (refused while a project or version deploys into it).
import { Button, Code, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useAT } from './messages';
import { useUnsavedChanges } from '../../shared/ui/unsaved/UnsavedChanges';
import { EmptyState } from '../../shared/ui/EmptyState';
import { notifyFailure, notifySuccess } from '../../shared/ui/notify';
import { QueryState } from '../../shared/ui/QueryState';
import { RelativeTime } from '../../shared/ui/RelativeTime';
import { useCreateNamespace, useDeleteNamespace, useNamespaces, type Namespace } from './api';
import { ConfirmDialog, Mono } from './common';
import { RowAction } from './UsersPage';
import { kubeNamespace } from './validate';

export function NamespacesPage() {
  const t = useAT();
  const list = useNamespaces();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Namespace | null>(null);
  const items = list.data?.items ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('admin.ns.title')}</Title>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
          {t('admin.ns.create')}
        </Button>
      </Group>
      <Text c="dimmed" size="sm">
        {t('admin.ns.intro')}
      </Text>
      <QueryState q={list} />
      {list.data && items.length === 0 && <EmptyState title={t('admin.ns.empty')}>{t('admin.ns.emptyText')}</EmptyState>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={480}>
          <Table aria-label={t('admin.ns.title')} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.ns.name')}</Table.Th>
                <Table.Th>{t('admin.ns.kubeName')}</Table.Th>
                <Table.Th>{t('admin.created')}</Table.Th>
                <Table.Th>
                  <span className="visually-hidden">{t('admin.actions')}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((n) => (
                <Table.Tr key={n.id}>
                  <Table.Td fw={600}>{n.name}</Table.Td>
                  <Table.Td>
                    <Mono>{n.kubeName}</Mono>
                  </Table.Td>
                  <Table.Td>
                    <RelativeTime value={n.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <Group justify="flex-end">
                      <RowAction label={t('admin.ns.deleteWho', { name: n.kubeName })} icon={IconTrash} color="red" onClick={() => setDeleting(n)} />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateNamespaceDialog opened={creating} onClose={() => setCreating(false)} />
      {deleting && <DeleteNamespace ns={deleting} onClose={() => setDeleting(null)} />}
    </Stack>
  );
}

function CreateNamespaceDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const t = useAT();
  const create = useCreateNamespace();
  const [name, setName] = useState('');
  const [tried, setTried] = useState(false);
  useUnsavedChanges(opened && name !== '');
  const kube = kubeNamespace(name);
  const close = () => {
    setName('');
    setTried(false);
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!kube) return;
    create.mutate(name.trim(), {
      onSuccess: (n) => {
        notifySuccess(t('admin.ns.created', { name: n.kubeName }));
        close();
      },
      onError: (err) => notifyFailure(t('admin.ns.createFailed'), err),
    });
  };
  return (
    <Modal opened={opened} onClose={close} title={t('admin.ns.create')} closeButtonProps={{ 'aria-label': t('action.close') }}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('admin.ns.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={tried && !kube ? t('admin.v.namespace') : undefined}
            data-autofocus
          />
          <Text size="sm" aria-live="polite">
            {kube ? (
              <>
                {t('admin.ns.willBe')} <Code>{kube}</Code>
              </>
            ) : (
              t('admin.ns.hint')
            )}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('action.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('admin.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeleteNamespace({ ns, onClose }: { ns: Namespace; onClose: () => void }) {
  const t = useAT();
  const del = useDeleteNamespace();
  return (
    <ConfirmDialog
      opened
      title={t('admin.ns.deleteWho', { name: ns.kubeName })}
      confirm={t('admin.delete')}
      busy={del.isPending}
      onClose={onClose}
      onConfirm={() =>
        del.mutate(ns.id, {
          onSuccess: () => {
            notifySuccess(t('admin.ns.deleted', { name: ns.kubeName }));
            onClose();
          },
          onError: (e) => notifyFailure(t('admin.ns.deleteFailed'), e),
        })
      }
    >
      {t('admin.ns.deleteText', { name: ns.kubeName })}
    </ConfirmDialog>
  );
}
