// Account (everyone): the profile, a password change (with the current password; the answer says
// how many other sessions ended and tokens were revoked) and the user's API tokens.
import { Alert, Badge, Button, Group, Modal, NativeSelect, Paper, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconInfoCircle, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { isConflict } from '../../shared/api/etag';
import type { Role } from '../../shared/api/models';
import { qk } from '../../shared/api/queryKeys';
import { useUser } from '../../shared/auth/session';
import { useAT } from '../admin/messages';
import { EmptyState } from '../../shared/ui/EmptyState';
import { notifyFailure, notifySuccess } from '../../shared/ui/notify';
import { QueryState } from '../../shared/ui/QueryState';
import { RelativeTime } from '../../shared/ui/RelativeTime';
import { badgeStyle } from '../../shared/version/StatusBadge';
import { usePutUser, type User, type UserInput } from '../admin/api';
import { ConfirmDialog, ConflictNotice, SecretOnce, useFieldError } from '../admin/common';
import { RoleBadge, RowAction } from '../admin/UsersPage';
import { errorsOf, validateDisplayName, validateEmail, validatePassword, validateRepeat } from '../admin/validate';
import { UnsavedChangesGuard, useUnsavedChanges } from '../../shared/ui/unsaved/UnsavedChanges';
import { useCreateToken, useMe, useRevokeToken, useTokens, type Token } from './api';
import { expiresAt, expiryChoices, isExpired, rolesUpTo, type ExpiryChoice } from './tokens';

export function AccountPage() {
  const t = useAT();
  const me = useUser();
  const q = useMe(me.id);
  const [conflict, setConflict] = useState(false);
  const reload = () => void q.refetch().then(() => setConflict(false));
  return (
    <UnsavedChangesGuard>
      <Stack>
        <Title order={1}>{t('account.title')}</Title>
        <Alert color="blue" role="note" icon={<IconInfoCircle aria-hidden />}>
          {t('account.tokenRule')}
        </Alert>
        <QueryState q={q} />
        {conflict && <ConflictNotice onReload={reload} busy={q.isFetching} />}
        {q.data && (
          <>
            <Profile key={`p${q.dataUpdatedAt}`} user={q.data.data} etag={q.data.etag} onConflict={() => setConflict(true)} />
            <Password user={q.data.data} etag={q.data.etag} onConflict={() => setConflict(true)} />
          </>
        )}
        <Tokens role={me.role} />
      </Stack>
    </UnsavedChangesGuard>
  );
}

function baseOf(u: User): UserInput {
  return { username: u.username, email: u.email, firstName: u.firstName, lastName: u.lastName, role: u.role };
}

function Profile({ user, etag, onConflict }: { user: User; etag: string | null; onConflict: () => void }) {
  const t = useAT();
  const qc = useQueryClient();
  const fieldError = useFieldError();
  const put = usePutUser();
  const [f, setF] = useState({ email: user.email ?? '', firstName: user.firstName ?? '', lastName: user.lastName ?? '' });
  // What was last read or saved: the form holds unsaved changes while it differs.
  const [saved, setSaved] = useState(f);
  useUnsavedChanges(JSON.stringify(f) !== JSON.stringify(saved));
  const [tried, setTried] = useState(false);
  const errors = errorsOf({ email: validateEmail(f.email) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(errors).length) return;
    const sent = f;
    put.mutate(
      { id: user.id, etag, user: { ...baseOf(user), ...sent } },
      {
        onSuccess: () => {
          setSaved(sent);
          notifySuccess(t('account.profile.saved'));
          void qc.invalidateQueries({ queryKey: qk.session });
        },
        onError: (err) => {
          if (isConflict(err)) onConflict();
          notifyFailure(t('account.profile.failed'), err);
        },
      },
    );
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="account-profile">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={2} size="h3" id="account-profile">
            {t('account.profile.title')}
          </Title>
          <Group>
            <Text>
              {t('admin.users.username')}: <b>{user.username}</b>
            </Text>
            <RoleBadge role={user.role} />
          </Group>
          <TextInput label={t('admin.users.email')} type="email" value={f.email} onChange={(e) => setF({ ...f, email: e.currentTarget.value })} error={fieldError(errors.email, tried)} autoComplete="email" maw={420} />
          <Group grow maw={420}>
            <TextInput label={t('admin.users.firstName')} value={f.firstName} onChange={(e) => setF({ ...f, firstName: e.currentTarget.value })} autoComplete="given-name" />
            <TextInput label={t('admin.users.lastName')} value={f.lastName} onChange={(e) => setF({ ...f, lastName: e.currentTarget.value })} autoComplete="family-name" />
          </Group>
          <Group>
            <Button type="submit" loading={put.isPending}>
              {t('account.profile.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function Password({ user, etag, onConflict }: { user: User; etag: string | null; onConflict: () => void }) {
  const t = useAT();
  const fieldError = useFieldError();
  const put = usePutUser();
  const [f, setF] = useState({ current: '', password: '', repeat: '' });
  useUnsavedChanges(f.current !== '' || f.password !== '' || f.repeat !== '');
  const [tried, setTried] = useState(false);
  const [ended, setEnded] = useState<{ sessions: number; tokens: number } | null>(null);
  const errors = errorsOf({
    current: f.current ? null : { key: 'admin.v.required' as const },
    password: validatePassword(f.password),
    repeat: validateRepeat(f.password, f.repeat),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(errors).length) return;
    put.mutate(
      { id: user.id, etag, user: { ...baseOf(user), password: f.password, currentPassword: f.current } },
      {
        onSuccess: (r) => {
          const res = { sessions: r.sessionsEnded ?? 0, tokens: r.tokensRevoked ?? 0 };
          setEnded(res);
          setF({ current: '', password: '', repeat: '' });
          setTried(false);
          notifySuccess(t('account.password.changed', res));
        },
        onError: (err) => {
          if (isConflict(err)) onConflict();
          notifyFailure(t('account.password.failed'), err);
        },
      },
    );
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="account-password">
      <form onSubmit={submit} noValidate>
        <Stack maw={420}>
          <Title order={2} size="h3" id="account-password">
            {t('account.password.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('account.password.intro')}
          </Text>
          {ended && (
            <Alert color="green" role="status">
              {t('account.password.changed', ended)}
            </Alert>
          )}
          <PasswordInput
            label={t('account.password.current')}
            required
            value={f.current}
            onChange={(e) => setF({ ...f, current: e.currentTarget.value })}
            error={fieldError(errors.current, tried)}
            autoComplete="current-password"
            visibilityToggleButtonProps={{ 'aria-label': t('admin.showPassword') }}
          />
          <PasswordInput
            label={t('admin.users.newPassword')}
            description={t('admin.users.passwordHint')}
            required
            value={f.password}
            onChange={(e) => setF({ ...f, password: e.currentTarget.value })}
            error={fieldError(errors.password, tried)}
            autoComplete="new-password"
            visibilityToggleButtonProps={{ 'aria-label': t('admin.showPassword') }}
          />
          <PasswordInput
            label={t('admin.users.repeatPassword')}
            required
            value={f.repeat}
            onChange={(e) => setF({ ...f, repeat: e.currentTarget.value })}
            error={fieldError(errors.repeat, tried)}
            autoComplete="new-password"
            visibilityToggleButtonProps={{ 'aria-label': t('admin.showPassword') }}
          />
          <Group>
            <Button type="submit" loading={put.isPending}>
              {t('account.password.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function Tokens({ role }: { role: Role }) {
  const t = useAT();
  const list = useTokens();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const items = list.data?.items ?? [];
  const now = new Date();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="account-tokens">
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h3" id="account-tokens">
            {t('account.tokens.title')}
          </Title>
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            {t('account.tokens.create')}
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          {t('account.tokens.intro')}
        </Text>
        <QueryState q={list} />
        {list.data && items.length === 0 && <EmptyState title={t('account.tokens.empty')}>{t('account.tokens.emptyText')}</EmptyState>}
        {items.length > 0 && (
          <Table.ScrollContainer minWidth={560}>
            <Table aria-label={t('account.tokens.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('account.tokens.name')}</Table.Th>
                  <Table.Th>{t('admin.users.role')}</Table.Th>
                  <Table.Th>{t('account.tokens.expires')}</Table.Th>
                  <Table.Th>{t('account.tokens.lastUsed')}</Table.Th>
                  <Table.Th>{t('admin.created')}</Table.Th>
                  <Table.Th>
                    <span className="visually-hidden">{t('admin.actions')}</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((tok) => (
                  <Table.Tr key={tok.id}>
                    <Table.Td fw={600}>{tok.name}</Table.Td>
                    <Table.Td>
                      <RoleBadge role={tok.role} />
                    </Table.Td>
                    <Table.Td>
                      {isExpired(tok.expiresAt, now) ? (
                        <Badge color="red" variant="light" className="oneko-badge" style={badgeStyle('red')}>
                          {t('account.tokens.expired')}
                        </Badge>
                      ) : (
                        <RelativeTime value={tok.expiresAt} />
                      )}
                    </Table.Td>
                    <Table.Td>{tok.lastUsedAt ? <RelativeTime value={tok.lastUsedAt} /> : t('account.tokens.never')}</Table.Td>
                    <Table.Td>
                      <RelativeTime value={tok.createdAt} />
                    </Table.Td>
                    <Table.Td>
                      <Group justify="flex-end">
                        <RowAction label={t('account.tokens.revokeWho', { name: tok.name })} icon={IconTrash} color="red" onClick={() => setRevoking(tok)} />
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      {creating && <CreateTokenDialog role={role} onClose={() => setCreating(false)} />}
      {revoking && <RevokeToken token={revoking} onClose={() => setRevoking(null)} />}
    </Paper>
  );
}

/** CreateTokenDialog creates a token and then shows its secret, once: closing forgets it. */
function CreateTokenDialog({ role, onClose }: { role: Role; onClose: () => void }) {
  const t = useAT();
  const fieldError = useFieldError();
  const create = useCreateToken();
  const roles = rolesUpTo(role);
  const [initial] = useState({ name: '', role: roles[0]!, expiry: '30' as ExpiryChoice, date: '' });
  const [f, setF] = useState(initial);
  const [tried, setTried] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  useUnsavedChanges(secret === null && JSON.stringify(f) !== JSON.stringify(initial));
  const expiry = expiresAt(f.expiry, new Date(), f.date);
  const errors = errorsOf({ name: validateDisplayName(f.name), date: expiry === null ? { key: 'account.tokens.dateInvalid' as const } : null });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(errors).length || expiry === null) return;
    create.mutate(
      { name: f.name, role: f.role, expiresAt: expiry },
      {
        onSuccess: (tok) => {
          notifySuccess(t('account.tokens.created', { name: tok.name }));
          setSecret(tok.secret ?? '');
        },
        onError: (err) => notifyFailure(t('account.tokens.createFailed'), err),
      },
    );
  };
  const close = () => {
    setSecret(null);
    onClose();
  };
  return (
    <Modal opened onClose={close} title={secret === null ? t('account.tokens.create') : t('account.tokens.secretTitle')} closeButtonProps={{ 'aria-label': t('action.close') }}>
      {secret !== null ? (
        <Stack>
          <SecretOnce label={t('account.tokens.secret')} secret={secret} />
          <Text size="sm">{t('account.tokens.howToUse')}</Text>
          <Group justify="flex-end">
            <Button onClick={close}>{t('admin.secretOnce.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput label={t('account.tokens.name')} required value={f.name} onChange={(e) => setF({ ...f, name: e.currentTarget.value })} error={fieldError(errors.name, tried)} data-autofocus />
            <NativeSelect
              label={t('admin.users.role')}
              description={t('account.tokens.roleHint')}
              value={f.role}
              onChange={(e) => setF({ ...f, role: e.currentTarget.value as Role })}
              data={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            />
            <NativeSelect
              label={t('account.tokens.expiry')}
              value={f.expiry}
              onChange={(e) => setF({ ...f, expiry: e.currentTarget.value as ExpiryChoice })}
              data={expiryChoices.map((c) => ({ value: c, label: t(`account.tokens.expiry.${c}`) }))}
            />
            {f.expiry === 'date' && (
              <TextInput label={t('account.tokens.date')} type="date" value={f.date} onChange={(e) => setF({ ...f, date: e.currentTarget.value })} error={fieldError(errors.date, tried)} />
            )}
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
      )}
    </Modal>
  );
}

function RevokeToken({ token, onClose }: { token: Token; onClose: () => void }) {
  const t = useAT();
  const revoke = useRevokeToken();
  return (
    <ConfirmDialog
      opened
      title={t('account.tokens.revokeWho', { name: token.name })}
      confirm={t('account.tokens.revoke')}
      busy={revoke.isPending}
      onClose={onClose}
      onConfirm={() =>
        revoke.mutate(token.id, {
          onSuccess: () => {
            notifySuccess(t('account.tokens.revoked', { name: token.name }));
            onClose();
          },
          onError: (e) => notifyFailure(t('account.tokens.revokeFailed'), e),
        })
      }
    >
      {t('account.tokens.revokeText', { name: token.name })}
    </ConfirmDialog>
  );
}
