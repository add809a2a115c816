// The dialogs that create and edit docker and Helm registries, and the one that shows a new
// webhook secret once. An edit reads the registry again with its ETag and saves with If-Match;
// a 412 says someone else saved first and offers to read it again.
import { ActionIcon, Alert, Button, Checkbox, Group, Modal, NativeSelect, PasswordInput, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { isConflict } from '../../shared/api/etag';
import { qk } from '../../shared/api/queryKeys';
import { useAT } from './messages';
import { useUnsavedChanges } from '../../shared/ui/unsaved/UnsavedChanges';
import { notifyFailure, notifySuccess } from '../../shared/ui/notify';
import { QueryState } from '../../shared/ui/QueryState';
import {
  fetchDockerRegistry,
  fetchHelmRegistry,
  useSaveDockerRegistry,
  useSaveHelmRegistry,
  type DockerRegistry,
  type HelmRegistry,
} from './api';
import { ConflictNotice, CopyValue, SecretOnce, useFieldError } from './common';
import {
  dockerBody,
  dockerErrors,
  dockerFormOf,
  helmBody,
  helmErrors,
  helmFormOf,
  newDockerForm,
  newHelmForm,
  newSecretOf,
  type DockerForm,
  type HelmForm,
  type SecretAction,
} from './registryForm';
import { newSecret, secretDelivery, webhookFormats, webhookUrl, withToken, type WebhookFormat } from './webhook';

/** SecretActionSelect chooses, on an edit, whether a stored secret is kept, replaced or removed. */
function SecretActionSelect({ label, value, has, onChange }: { label: string; value: SecretAction; has: boolean; onChange: (a: SecretAction) => void }) {
  const t = useAT();
  const options: SecretAction[] = has ? ['keep', 'set', 'remove'] : ['keep', 'set'];
  return (
    <NativeSelect
      label={label}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value as SecretAction)}
      data={options.map((a) => ({ value: a, label: t(has ? `admin.secret.${a}` : a === 'keep' ? 'admin.secret.none' : 'admin.secret.set') }))}
    />
  );
}

function DockerFields({ f, set, tried, stored }: { f: DockerForm; set: (p: Partial<DockerForm>) => void; tried: boolean; stored?: DockerRegistry }) {
  const t = useAT();
  const fieldError = useFieldError();
  const errors = dockerErrors(f, !!stored);
  return (
    <>
      <TextInput label={t('admin.reg.name')} required value={f.name} onChange={(e) => set({ name: e.currentTarget.value })} error={fieldError(errors.name, tried)} data-autofocus />
      <TextInput
        label={t('admin.reg.url')}
        description={t('admin.docker.urlHint')}
        required
        value={f.url}
        onChange={(e) => set({ url: e.currentTarget.value })}
        error={fieldError(errors.url, tried)}
        placeholder="https://registry.example.com"
      />
      <Checkbox label={t('admin.docker.insecure')} description={t('admin.docker.insecureHint')} checked={f.insecure} onChange={(e) => set({ insecure: e.currentTarget.checked })} />
      <TextInput label={t('admin.reg.username')} value={f.username} onChange={(e) => set({ username: e.currentTarget.value })} autoComplete="off" />
      {stored && <SecretActionSelect label={t('admin.reg.password')} value={f.passwordAction} has={stored.hasPassword} onChange={(passwordAction) => set({ passwordAction })} />}
      {(!stored || f.passwordAction === 'set') && (
        <PasswordInput
          label={stored ? t('admin.reg.newPassword') : t('admin.reg.password')}
          description={t('admin.reg.passwordHint')}
          value={f.password}
          onChange={(e) => set({ password: e.currentTarget.value })}
          error={fieldError(errors.password, tried)}
          autoComplete="new-password"
          visibilityToggleButtonProps={{ 'aria-label': t('admin.showPassword') }}
        />
      )}
      <TextInput
        label={t('admin.docker.pollInterval')}
        description={t('admin.docker.pollHint')}
        value={f.pollInterval}
        onChange={(e) => set({ pollInterval: e.currentTarget.value })}
        error={fieldError(errors.pollInterval, tried)}
      />
      <NativeSelect
        label={t('admin.docker.format')}
        description={t('admin.docker.formatHint')}
        value={f.webhookFormat}
        onChange={(e) => set({ webhookFormat: e.currentTarget.value as WebhookFormat })}
        data={webhookFormats.map((w) => ({ value: w, label: t(`admin.format.${w}`) }))}
      />
      {stored && <SecretActionSelect label={t('admin.docker.secret')} value={f.secretAction} has={stored.hasWebhookSecret} onChange={(secretAction) => set({ secretAction, secret: secretAction === 'set' ? newSecret() : '' })} />}
      {(!stored || f.secretAction === 'set') && (
        <TextInput
          label={stored ? t('admin.docker.newSecret') : t('admin.docker.secret')}
          description={t('admin.docker.secretHint')}
          value={f.secret}
          onChange={(e) => set({ secret: e.currentTarget.value })}
          error={fieldError(errors.secret, tried)}
          autoComplete="off"
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          rightSection={
            <Tooltip label={t('admin.docker.generate')}>
              <ActionIcon variant="subtle" color="gray" aria-label={t('admin.docker.generate')} onClick={() => set({ secret: newSecret() })}>
                <IconRefresh size={16} aria-hidden />
              </ActionIcon>
            </Tooltip>
          }
        />
      )}
    </>
  );
}

function FormButtons({ busy, onCancel, label }: { busy: boolean; onCancel: () => void; label: string }) {
  const t = useAT();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        {t('action.cancel')}
      </Button>
      <Button type="submit" loading={busy}>
        {label}
      </Button>
    </Group>
  );
}

/** Saved is what a dialog reports after saving: the registry and the webhook secret it set. */
export interface Saved {
  registry: DockerRegistry;
  secret: string | null;
}

function DockerEditor({
  stored,
  etag,
  onSaved,
  onCancel,
  onConflict,
}: {
  stored?: DockerRegistry;
  etag?: string | null;
  onSaved: (s: Saved) => void;
  onCancel: () => void;
  onConflict?: () => void;
}) {
  const t = useAT();
  const save = useSaveDockerRegistry();
  const [initial] = useState<DockerForm>(() => (stored ? dockerFormOf(stored) : newDockerForm()));
  const [f, setF] = useState(initial);
  const [tried, setTried] = useState(false);
  const release = useUnsavedChanges(JSON.stringify(f) !== JSON.stringify(initial));
  const set = (p: Partial<DockerForm>) => setF((o) => ({ ...o, ...p }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(dockerErrors(f, !!stored)).length) return;
    save.mutate(
      { id: stored?.id, etag, reg: dockerBody(f) },
      {
        onSuccess: (r) => {
          notifySuccess(t(stored ? 'admin.reg.saved' : 'admin.reg.created', { name: r.name ?? '' }));
          release(); // saved: the registry's page opens next
          onSaved({ registry: r, secret: newSecretOf(f) });
        },
        onError: (err) => {
          if (isConflict(err)) onConflict?.();
          notifyFailure(t(stored ? 'admin.reg.saveFailed' : 'admin.reg.createFailed'), err);
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <DockerFields f={f} set={set} tried={tried} stored={stored} />
        <FormButtons busy={save.isPending} onCancel={onCancel} label={stored ? t('action.save') : t('admin.create')} />
      </Stack>
    </form>
  );
}

/** CreateDockerDialog creates a docker registry. */
export function CreateDockerDialog({ opened, onClose, onSaved }: { opened: boolean; onClose: () => void; onSaved: (s: Saved) => void }) {
  const t = useAT();
  return (
    <Modal opened={opened} onClose={onClose} title={t('admin.docker.create')} size="lg" closeButtonProps={{ 'aria-label': t('action.close') }}>
      {opened && <DockerEditor onCancel={onClose} onSaved={onSaved} />}
    </Modal>
  );
}

/** EditDialog reads a document with its ETag and renders its form, again after a conflict. */
function EditDialog<T>({
  title,
  queryKey,
  fetch,
  onClose,
  children,
}: {
  title: string;
  queryKey: readonly unknown[];
  fetch: () => Promise<{ data: T; etag: string | null }>;
  onClose: () => void;
  children: (doc: T, etag: string | null, onConflict: () => void, key: number) => ReactNode;
}) {
  const t = useAT();
  const q = useQuery({ queryKey: ['edit', ...queryKey], queryFn: fetch, staleTime: 0, gcTime: 0 });
  const [conflict, setConflict] = useState(false);
  return (
    <Modal opened onClose={onClose} title={title} size="lg" closeButtonProps={{ 'aria-label': t('action.close') }}>
      <Stack>
        <QueryState q={q} />
        {conflict && <ConflictNotice busy={q.isFetching} onReload={() => void q.refetch().then(() => setConflict(false))} />}
        {q.data && children(q.data.data, q.data.etag, () => setConflict(true), q.dataUpdatedAt)}
      </Stack>
    </Modal>
  );
}

export function EditDockerDialog({ id, name, onClose, onSaved }: { id: string; name: string; onClose: () => void; onSaved: (s: Saved) => void }) {
  const t = useAT();
  return (
    <EditDialog title={t('admin.reg.editWho', { name })} queryKey={[...qk.dockerRegistries, id]} fetch={() => fetchDockerRegistry(id)} onClose={onClose}>
      {(doc: DockerRegistry, etag, onConflict, key) => <DockerEditor key={key} stored={doc} etag={etag} onSaved={onSaved} onCancel={onClose} onConflict={onConflict} />}
    </EditDialog>
  );
}

/** WebhookSecretDialog shows a webhook secret just set, once, with the address to post to. */
export function WebhookSecretDialog({ saved, onClose }: { saved: Saved | null; onClose: () => void }) {
  const t = useAT();
  const reg = saved?.registry;
  const url = reg ? webhookUrl(reg.webhookUrl, window.location.origin) : '';
  const query = reg && secretDelivery(reg.webhookFormat ?? 'auto') === 'query';
  return (
    <Modal opened={!!saved?.secret} onClose={onClose} title={t('admin.docker.secretTitle')} size="lg" closeButtonProps={{ 'aria-label': t('action.close') }}>
      {saved?.secret && reg && (
        <Stack>
          <SecretOnce label={t('admin.docker.secret')} secret={saved.secret} />
          <CopyValue label={t('admin.docker.webhookUrl')} value={url} />
          {query && <CopyValue label={t('admin.docker.webhookUrlToken')} value={withToken(url, saved.secret)} />}
          <Text size="sm">{t(`admin.delivery.${secretDelivery(reg.webhookFormat ?? 'auto')}`)}</Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('admin.secretOnce.done')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

// Helm registries.

function HelmEditor({
  stored,
  etag,
  onSaved,
  onCancel,
  onConflict,
}: {
  stored?: HelmRegistry;
  etag?: string | null;
  onSaved: (r: HelmRegistry) => void;
  onCancel: () => void;
  onConflict?: () => void;
}) {
  const t = useAT();
  const fieldError = useFieldError();
  const save = useSaveHelmRegistry();
  const [initial] = useState<HelmForm>(() => (stored ? helmFormOf(stored) : newHelmForm()));
  const [f, setF] = useState(initial);
  const [tried, setTried] = useState(false);
  const release = useUnsavedChanges(JSON.stringify(f) !== JSON.stringify(initial));
  const set = (p: Partial<HelmForm>) => setF((o) => ({ ...o, ...p }));
  const errors = helmErrors(f, !!stored);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(errors).length) return;
    save.mutate(
      { id: stored?.id, etag, reg: helmBody(f) },
      {
        onSuccess: (r) => {
          notifySuccess(t(stored ? 'admin.reg.saved' : 'admin.reg.created', { name: r.name ?? '' }));
          release(); // saved: the dialog closes or the registry's page opens
          onSaved(r);
        },
        onError: (err) => {
          if (isConflict(err)) onConflict?.();
          notifyFailure(t(stored ? 'admin.reg.saveFailed' : 'admin.reg.createFailed'), err);
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label={t('admin.reg.name')} required value={f.name} onChange={(e) => set({ name: e.currentTarget.value })} error={fieldError(errors.name, tried)} data-autofocus />
        <TextInput
          label={t('admin.reg.url')}
          description={t('admin.helm.urlHint')}
          required
          value={f.url}
          onChange={(e) => set({ url: e.currentTarget.value })}
          error={fieldError(errors.url, tried)}
          placeholder="https://charts.example.com"
        />
        <TextInput label={t('admin.reg.username')} value={f.username} onChange={(e) => set({ username: e.currentTarget.value })} autoComplete="off" />
        {stored && <SecretActionSelect label={t('admin.reg.password')} value={f.passwordAction} has={stored.hasPassword} onChange={(passwordAction) => set({ passwordAction })} />}
        {(!stored || f.passwordAction === 'set') && (
          <PasswordInput
            label={stored ? t('admin.reg.newPassword') : t('admin.reg.password')}
            description={t('admin.reg.passwordHint')}
            value={f.password}
            onChange={(e) => set({ password: e.currentTarget.value })}
            error={fieldError(errors.password, tried)}
            autoComplete="new-password"
            visibilityToggleButtonProps={{ 'aria-label': t('admin.showPassword') }}
          />
        )}
        <FormButtons busy={save.isPending} onCancel={onCancel} label={stored ? t('action.save') : t('admin.create')} />
      </Stack>
    </form>
  );
}

export function CreateHelmDialog({ opened, onClose, onSaved }: { opened: boolean; onClose: () => void; onSaved: (r: HelmRegistry) => void }) {
  const t = useAT();
  return (
    <Modal opened={opened} onClose={onClose} title={t('admin.helm.create')} size="lg" closeButtonProps={{ 'aria-label': t('action.close') }}>
      {opened && <HelmEditor onCancel={onClose} onSaved={onSaved} />}
    </Modal>
  );
}

export function EditHelmDialog({ id, name, onClose }: { id: string; name: string; onClose: () => void }) {
  const t = useAT();
  return (
    <EditDialog title={t('admin.reg.editWho', { name })} queryKey={[...qk.helmRegistries, id]} fetch={() => fetchHelmRegistry(id)} onClose={onClose}>
      {(doc: HelmRegistry, etag, onConflict, key) => <HelmEditor key={key} stored={doc} etag={etag} onSaved={onClose} onCancel={onClose} onConflict={onConflict} />}
    </EditDialog>
  );
}

/** NoSecretNotice warns that webhooks are refused until a secret is set. */
export function NoSecretNotice() {
  const t = useAT();
  return (
    <Alert color="yellow" role="status">
      {t('admin.docker.noSecret')}
    </Alert>
  );
}
