// Helm registries (ADMIN): list, create, edit, delete; each opens its chart browser.
import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { paths } from '../../app/paths';
import { useAT } from './messages';
import { EmptyState } from '../../shared/ui/EmptyState';
import { notifyFailure, notifySuccess } from '../../shared/ui/notify';
import { QueryState } from '../../shared/ui/QueryState';
import { useDeleteHelmRegistry, useHelmRegistries, type HelmRegistry } from './api';
import { ConfirmDialog, Mono, YesNo } from './common';
import { CreateHelmDialog, EditHelmDialog } from './RegistryDialogs';
import { RowAction } from './UsersPage';

export function HelmRegistriesPage() {
  const t = useAT();
  const navigate = useNavigate();
  const regs = useHelmRegistries();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<HelmRegistry | null>(null);
  const [deleting, setDeleting] = useState<HelmRegistry | null>(null);
  const items = regs.data?.items ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('admin.helm.title')}</Title>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
          {t('admin.helm.create')}
        </Button>
      </Group>
      <Text c="dimmed" size="sm">
        {t('admin.helm.intro')}
      </Text>
      <QueryState q={regs} />
      {regs.data && items.length === 0 && <EmptyState title={t('admin.helm.empty')}>{t('admin.helm.emptyText')}</EmptyState>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label={t('admin.helm.title')} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.reg.name')}</Table.Th>
                <Table.Th>{t('admin.reg.url')}</Table.Th>
                <Table.Th>{t('admin.reg.username')}</Table.Th>
                <Table.Th>{t('admin.reg.passwordSet')}</Table.Th>
                <Table.Th>
                  <span className="visually-hidden">{t('admin.actions')}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor component={Link} to={paths.helmRegistry(r.id)} fw={600}>
                      {r.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Mono>{r.url}</Mono>
                  </Table.Td>
                  <Table.Td>{r.username || '—'}</Table.Td>
                  <Table.Td>
                    <YesNo value={r.hasPassword} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <RowAction label={t('admin.reg.editWho', { name: r.name ?? '' })} icon={IconPencil} onClick={() => setEditing(r)} />
                      <RowAction label={t('admin.reg.deleteWho', { name: r.name ?? '' })} icon={IconTrash} color="red" onClick={() => setDeleting(r)} />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateHelmDialog
        opened={creating}
        onClose={() => setCreating(false)}
        onSaved={(r) => {
          setCreating(false);
          navigate(paths.helmRegistry(r.id));
        }}
      />
      {editing && <EditHelmDialog id={editing.id} name={editing.name ?? ''} onClose={() => setEditing(null)} />}
      {deleting && <DeleteHelm reg={deleting} onClose={() => setDeleting(null)} />}
    </Stack>
  );
}

export function DeleteHelm({ reg, onClose, onDeleted }: { reg: HelmRegistry; onClose: () => void; onDeleted?: () => void }) {
  const t = useAT();
  const del = useDeleteHelmRegistry();
  return (
    <ConfirmDialog
      opened
      title={t('admin.reg.deleteWho', { name: reg.name ?? '' })}
      confirm={t('admin.delete')}
      busy={del.isPending}
      onClose={onClose}
      onConfirm={() =>
        del.mutate(reg.id, {
          onSuccess: () => {
            notifySuccess(t('admin.reg.deleted', { name: reg.name ?? '' }));
            onClose();
            onDeleted?.();
          },
          onError: (e) => notifyFailure(t('admin.reg.deleteFailed'), e),
        })
      }
    >
      {t('admin.helm.deleteText', { name: reg.name ?? '' })}
    </ConfirmDialog>
  );
}
