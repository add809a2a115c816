// Pieces every administration and account screen uses: a confirmation dialog, the notice for
// a conflicting edit (412), a read-only value with a copy button, a secret shown once, and the
// translation of a form field's validation message.
import { ActionIcon, Alert, Button, Code, CopyButton, Group, Modal, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy, IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useAT } from './messages';
import type { Invalid } from './validate';

/** alertText gives an Alert's title the text colour, for AA contrast on every light background
 * (a yellow or green title on its own tint is too pale). */
export const alertText = { title: { color: 'var(--mantine-color-text)' } };

/** useFieldError translates a field's validation message (undefined when valid or untouched). */
export function useFieldError() {
  const t = useAT();
  return (inv: Invalid | undefined, shown = true) => (inv && shown ? t(inv.key, inv.params) : undefined);
}

/** ConfirmDialog asks before something that cannot be undone. */
export function ConfirmDialog({
  opened,
  title,
  children,
  confirm,
  busy,
  onConfirm,
  onClose,
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirm: string;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const t = useAT();
  return (
    <Modal opened={opened} onClose={onClose} title={title} closeButtonProps={{ 'aria-label': t('action.close') }}>
      <Stack>
        <Text>{children}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('action.cancel')}
          </Button>
          <Button color="red" loading={busy} onClick={onConfirm}>
            {confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** ConflictNotice says that someone else saved the document first, and offers to read it again. */
export function ConflictNotice({ onReload, busy }: { onReload: () => void; busy?: boolean }) {
  const t = useAT();
  return (
    <Alert color="orange" role="alert" styles={alertText} title={t('admin.conflict.title')} icon={<IconAlertTriangle aria-hidden />}>
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{t('admin.conflict.text')}</Text>
        <Button size="compact-sm" variant="default" loading={busy} onClick={onReload}>
          {t('admin.conflict.reload')}
        </Button>
      </Stack>
    </Alert>
  );
}

/** CopyValue shows a value read-only with a button that copies it. */
export function CopyValue({ label, value, description }: { label: string; value: string; description?: ReactNode }) {
  const t = useAT();
  return (
    <TextInput
      label={label}
      description={description}
      value={value}
      readOnly
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      rightSection={
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('admin.copied') : t('admin.copy')}>
              <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={t('admin.copyWhat', { what: label })}>
                {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      }
    />
  );
}

/** SecretOnce shows a secret that will not be shown again, with a copy button and a warning. */
export function SecretOnce({ label, secret }: { label: string; secret: string }) {
  const t = useAT();
  return (
    <Stack gap="xs">
      <Alert color="yellow" role="status" styles={alertText} icon={<IconAlertTriangle aria-hidden />} title={t('admin.secretOnce.title')}>
        {t('admin.secretOnce.text')}
      </Alert>
      <CopyValue label={label} value={secret} />
    </Stack>
  );
}

/** Yes or no for a boolean shown in a table or a list of settings. */
export function YesNo({ value }: { value: boolean | undefined }) {
  const t = useAT();
  return <>{value ? t('admin.yes') : t('admin.no')}</>;
}

/** Mono shows an identifier or an address. */
export function Mono({ children }: { children: ReactNode }) {
  return <Code style={{ wordBreak: 'break-all' }}>{children}</Code>;
}
