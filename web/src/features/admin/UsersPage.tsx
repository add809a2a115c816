// Users (ADMIN): list, create, edit (e-mail, names, role), reset a password, delete with
// confirmation. The server refuses to take the role from, or delete, the last ADMIN and an
// ADMIN's own account; its detail is what the toast says.
import { ActionIcon, Badge, Button, Group, Modal, NativeSelect, PasswordInput, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconKey, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { isConflict } from '../../shared/api/etag';
import type { Role } from '../../shared/api/models';
import { qk } from '../../shared/api/queryKeys';
import { useUser } from '../../shared/auth/session';
import { useAT } from './messages';
import { useUnsavedChanges } from '../../shared/ui/unsaved/UnsavedChanges';
import { EmptyState } from '../../shared/ui/EmptyState';
import { notifyFailure, notifySuccess } from '../../shared/ui/notify';
import { QueryState } from '../../shared/ui/QueryState';
import { RelativeTime } from '../../shared/ui/RelativeTime';
import { badgeStyle } from '../../shared/version/StatusBadge';
import { fetchUser, useCreateUser, useDeleteUser, usePutUser, useUsers, type User, type UserInput } from './api';
import { ConfirmDialog, ConflictNotice, useFieldError } from './common';
import { errorsOf, validateEmail, validatePassword, validateRepeat, validateUsername } from './validate';

const roles: Role[] = ['VIEWER', 'DOER', 'ADMIN'];
const roleColor: Record<Role, string> = { VIEWER: 'gray', DOER: 'blue', ADMIN: 'grape' };

export function RoleBadge({ role }: { role: Role | undefined }) {
  const t = useAT();
  if (!role) return null;
  return (
    <Badge variant="light" color={roleColor[role]} className="oneko-badge" style={badgeStyle(roleColor[role])}>
      {t(`role.${role}`)}
    </Badge>
  );
}

type Dialog = { kind: 'create' } | { kind: 'edit' | 'password' | 'delete'; user: User } | null;

export function UsersPage() {
  const t = useAT();
  const me = useUser();
  const users = useUsers();
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const items = users.data?.items ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('admin.users.title')}</Title>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDialog({ kind: 'create' })}>
          {t('admin.users.create')}
        </Button>
      </Group>
      <QueryState q={users} />
      {users.data && items.length === 0 && <EmptyState title={t('admin.users.empty')} />}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label={t('admin.users.title')} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.users.username')}</Table.Th>
                <Table.Th>{t('admin.users.name')}</Table.Th>
                <Table.Th>{t('admin.users.email')}</Table.Th>
                <Table.Th>{t('admin.users.role')}</Table.Th>
                <Table.Th>{t('admin.created')}</Table.Th>
                <Table.Th>
                  <span className="visually-hidden">{t('admin.actions')}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td fw={600}>
                    {u.username}
                    {u.id === me.id && (
                      <Text span c="dimmed" size="sm">
                        {' '}
                        ({t('admin.users.you')})
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{[u.firstName, u.lastName].filter(Boolean).join(' ') || '—'}</Table.Td>
                  <Table.Td>{u.email || '—'}</Table.Td>
                  <Table.Td>
                    <RoleBadge role={u.role} />
                  </Table.Td>
                  <Table.Td>
                    <RelativeTime value={u.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <RowAction label={t('admin.users.editWho', { name: u.username ?? '' })} onClick={() => setDialog({ kind: 'edit', user: u })} icon={IconPencil} />
                      <RowAction label={t('admin.users.passwordWho', { name: u.username ?? '' })} onClick={() => setDialog({ kind: 'password', user: u })} icon={IconKey} />
                      {u.id !== me.id && (
                        <RowAction label={t('admin.users.deleteWho', { name: u.username ?? '' })} onClick={() => setDialog({ kind: 'delete', user: u })} icon={IconTrash} color="red" />
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateUserDialog opened={dialog?.kind === 'create'} onClose={close} />
      {dialog?.kind === 'edit' && <EditUserDialog id={dialog.user.id} mode="edit" onClose={close} />}
      {dialog?.kind === 'password' && <EditUserDialog id={dialog.user.id} mode="password" onClose={close} />}
      {dialog?.kind === 'delete' && <DeleteUserDialog user={dialog.user} onClose={close} />}
    </Stack>
  );
}

/** RowAction is an icon button of a table row, named for screen readers and with a tooltip. */
export function RowAction({ label, onClick, icon: Icon, color }: { label: string; onClick: () => void; icon: typeof IconPencil; color?: string }) {
  return (
    <Tooltip label={label}>
      <ActionIcon variant="subtle" color={color ?? 'gray'} aria-label={label} onClick={onClick}>
        <Icon size={18} aria-hidden />
      </ActionIcon>
    </Tooltip>
  );
}

function RoleSelect({ value, onChange }: { value: Role; onChange: (r: Role) => void }) {
  const t = useAT();
  return (
    <NativeSelect
      label={t('admin.users.role')}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value as Role)}
      data={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
    />
  );
}

function CreateUserDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const t = useAT();
  const fieldError = useFieldError();
  const create = useCreateUser();
  const empty = { username: '', email: '', firstName: '', lastName: '', role: 'VIEWER' as Role, password: '' };
  const [f, setF] = useState(empty);
  const [tried, setTried] = useState(false);
  useUnsavedChanges(opened && JSON.stringify(f) !== JSON.stringify(empty));
  const errors = errorsOf({ username: validateUsername(f.username), email: validateEmail(f.email), password: validatePassword(f.password) });
  const close = () => {
    setF(empty);
    setTried(false);
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(errors).length) return;
    create.mutate(f, {
      onSuccess: (u) => {
        notifySuccess(t('admin.users.created', { name: u.username ?? '' }));
        close();
      },
      onError: (err) => notifyFailure(t('admin.users.createFailed'), err),
    });
  };
  return (
    <Modal opened={opened} onClose={close} title={t('admin.users.create')} closeButtonProps={{ 'aria-label': t('action.close') }}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label={t('admin.users.username')} required value={f.username} onChange={(e) => setF({ ...f, username: e.currentTarget.value })} error={fieldError(errors.username, tried)} autoComplete="off" data-autofocus />
          <TextInput label={t('admin.users.email')} type="email" value={f.email} onChange={(e) => setF({ ...f, email: e.currentTarget.value })} error={fieldError(errors.email, tried)} autoComplete="off" />
          <Group grow>
            <TextInput label={t('admin.users.firstName')} value={f.firstName} onChange={(e) => setF({ ...f, firstName: e.currentTarget.value })} />
            <TextInput label={t('admin.users.lastName')} value={f.lastName} onChange={(e) => setF({ ...f, lastName: e.currentTarget.value })} />
          </Group>
          <RoleSelect value={f.role} onChange={(role) => setF({ ...f, role })} />
          <PasswordInput
            label={t('admin.users.password')}
            description={t('admin.users.passwordHint')}
            required
            value={f.password}
            onChange={(e) => setF({ ...f, password: e.currentTarget.value })}
            error={fieldError(errors.password, tried)}
            autoComplete="new-password"
            visibilityToggleButtonProps={{ 'aria-label': t('admin.showPassword') }}
          />
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

/** EditUserDialog reads the user again (with its ETag) and changes the profile and role, or sets
 * a new password. */
function EditUserDialog({ id, mode, onClose }: { id: string; mode: 'edit' | 'password'; onClose: () => void }) {
  const t = useAT();
  const q = useQuery({ queryKey: [...qk.users, 'edit', id], queryFn: () => fetchUser(id), staleTime: 0, gcTime: 0 });
  const [conflict, setConflict] = useState(false);
  const title = mode === 'edit' ? t('admin.users.editWho', { name: q.data?.data.username ?? '' }) : t('admin.users.passwordWho', { name: q.data?.data.username ?? '' });
  const reload = () => void q.refetch().then(() => setConflict(false));
  return (
    <Modal opened onClose={onClose} title={title} closeButtonProps={{ 'aria-label': t('action.close') }}>
      <QueryState q={q} />
      {conflict && <ConflictNotice onReload={reload} busy={q.isFetching} />}
      {q.data && (
        <EditUserForm key={q.dataUpdatedAt} user={q.data.data} etag={q.data.etag} mode={mode} onClose={onClose} onConflict={() => setConflict(true)} />
      )}
    </Modal>
  );
}

function EditUserForm({
  user,
  etag,
  mode,
  onClose,
  onConflict,
}: {
  user: User;
  etag: string | null;
  mode: 'edit' | 'password';
  onClose: () => void;
  onConflict: () => void;
}) {
  const t = useAT();
  const fieldError = useFieldError();
  const put = usePutUser();
  const [initial] = useState({ email: user.email ?? '', firstName: user.firstName ?? '', lastName: user.lastName ?? '', role: (user.role ?? 'VIEWER') as Role });
  const [f, setF] = useState(initial);
  const [pw, setPw] = useState({ password: '', repeat: '' });
  useUnsavedChanges(JSON.stringify(f) !== JSON.stringify(initial) || pw.password !== '' || pw.repeat !== '');
  const [tried, setTried] = useState(false);
  const errors =
    mode === 'edit'
      ? errorsOf({ email: validateEmail(f.email), password: null, repeat: null })
      : errorsOf({ email: null, password: validatePassword(pw.password), repeat: validateRepeat(pw.password, pw.repeat) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(errors).length) return;
    const base: UserInput = { username: user.username, email: user.email, firstName: user.firstName, lastName: user.lastName, role: user.role };
    const body: UserInput = mode === 'edit' ? { ...base, ...f } : { ...base, password: pw.password };
    put.mutate(
      { id: user.id, etag, user: body },
      {
        onSuccess: (r) => {
          if (mode === 'edit') notifySuccess(t('admin.users.saved', { name: user.username ?? '' }));
          else notifySuccess(t('admin.users.passwordSet', { name: user.username ?? '', sessions: r.sessionsEnded ?? 0, tokens: r.tokensRevoked ?? 0 }));
          onClose();
        },
        onError: (err) => {
          if (isConflict(err)) onConflict();
          notifyFailure(t(mode === 'edit' ? 'admin.users.saveFailed' : 'admin.users.passwordFailed'), err);
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack mt="sm">
        {mode === 'edit' ? (
          <>
            <TextInput label={t('admin.users.username')} value={user.username ?? ''} readOnly description={t('admin.users.usernameFixed')} />
            <TextInput label={t('admin.users.email')} type="email" value={f.email} onChange={(e) => setF({ ...f, email: e.currentTarget.value })} error={fieldError(errors.email, tried)} data-autofocus />
            <Group grow>
              <TextInput label={t('admin.users.firstName')} value={f.firstName} onChange={(e) => setF({ ...f, firstName: e.currentTarget.value })} />
              <TextInput label={t('admin.users.lastName')} value={f.lastName} onChange={(e) => setF({ ...f, lastName: e.currentTarget.value })} />
            </Group>
            <RoleSelect value={f.role} onChange={(role) => setF({ ...f, role })} />
          </>
        ) : (
          <>
            <Text size="sm">{t('admin.users.passwordEffect')}</Text>
            <PasswordInput
              label={t('admin.users.newPassword')}
              description={t('admin.users.passwordHint')}
              required
              value={pw.password}
              onChange={(e) => setPw({ ...pw, password: e.currentTarget.value })}
              error={fieldError(errors.password, tried)}
              autoComplete="new-password"
              visibilityToggleButtonProps={{ 'aria-label': t('admin.showPassword') }}
              data-autofocus
            />
            <PasswordInput
              label={t('admin.users.repeatPassword')}
              required
              value={pw.repeat}
              onChange={(e) => setPw({ ...pw, repeat: e.currentTarget.value })}
              error={fieldError(errors.repeat, tried)}
              autoComplete="new-password"
              visibilityToggleButtonProps={{ 'aria-label': t('admin.showPassword') }}
            />
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('action.cancel')}
          </Button>
          <Button type="submit" loading={put.isPending}>
            {mode === 'edit' ? t('action.save') : t('admin.users.setPassword')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DeleteUserDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const t = useAT();
  const del = useDeleteUser();
  const [open, { close }] = useDisclosure(true);
  const done = () => {
    close();
    onClose();
  };
  return (
    <ConfirmDialog
      opened={open}
      title={t('admin.users.deleteWho', { name: user.username ?? '' })}
      confirm={t('admin.delete')}
      busy={del.isPending}
      onClose={done}
      onConfirm={() =>
        del.mutate(user.id, {
          onSuccess: () => {
            notifySuccess(t('admin.users.deleted', { name: user.username ?? '' }));
            done();
          },
          onError: (err) => notifyFailure(t('admin.users.deleteFailed'), err),
        })
      }
    >
      {t('admin.users.deleteText', { name: user.username ?? '' })}
    </ConfirmDialog>
  );
}
