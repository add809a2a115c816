// One docker registry (ADMIN): its settings, the webhook address to copy and how the secret is
// sent, "check connection", the last webhook deliveries with their outcome, edit and delete.
import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconPencil, IconPlugConnected, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { paths } from '../../app/paths';
import { useI18n } from '../../shared/i18n';
import { useAT } from './messages';
import { EmptyState } from '../../shared/ui/EmptyState';
import { notifyFailure, notifySuccess } from '../../shared/ui/notify';
import { QueryState } from '../../shared/ui/QueryState';
import { RelativeTime } from '../../shared/ui/RelativeTime';
import { badgeStyle } from '../../shared/version/StatusBadge';
import { useCheckDockerRegistry, useDeleteDockerRegistry, useDeliveries, useDockerRegistry, type CheckResult, type DockerRegistry, type WebhookDelivery } from './api';
import { alertText, ConfirmDialog, CopyValue, Mono, YesNo } from './common';
import { EditDockerDialog, NoSecretNotice, WebhookSecretDialog, type Saved } from './RegistryDialogs';
import { isWebhooksOnly } from './registryForm';
import { secretDelivery, webhookUrl } from './webhook';

const resultColor: Record<WebhookDelivery['result'], string> = {
  queued: 'green',
  ignored: 'gray',
  malformed: 'red',
  unauthorized: 'red',
  too_large: 'red',
  queue_unavailable: 'orange',
  failed: 'red',
};

export function DockerRegistryPage() {
  const t = useAT();
  const { registryId = '' } = useParams();
  const q = useDockerRegistry(registryId);
  const loc = useLocation();
  const navigate = useNavigate();
  const reg = q.data?.data;
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [saved, setSaved] = useState<Saved | null>(null);
  // A secret just set arrives in the navigation state: show it once, and keep it out of the history.
  const stateSecret = (loc.state as { secret?: string } | null)?.secret;
  useEffect(() => {
    if (stateSecret && reg) {
      setSaved({ registry: reg, secret: stateSecret });
      navigate(loc.pathname, { replace: true, state: null });
    }
  }, [stateSecret, reg, navigate, loc.pathname]);
  if (!reg) return <QueryState q={q} />;
  return (
    <Stack>
      <Anchor component={Link} to={paths.dockerRegistries()} size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} aria-hidden />
          {t('admin.docker.back')}
        </Group>
      </Anchor>
      <Group justify="space-between">
        <Title order={2}>{t('admin.docker.titleOf', { name: reg.name ?? '' })}</Title>
        <Group gap="xs">
          <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={() => setEditing(true)}>
            {t('admin.edit')}
          </Button>
          <Button variant="default" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => setDeleting(true)}>
            {t('admin.delete')}
          </Button>
        </Group>
      </Group>
      <Settings reg={reg} />
      <Webhook reg={reg} />
      <Check id={reg.id} />
      <Deliveries id={reg.id} />
      {editing && (
        <EditDockerDialog
          id={reg.id}
          name={reg.name ?? ''}
          onClose={() => setEditing(false)}
          onSaved={(s) => {
            setEditing(false);
            if (s.secret) setSaved(s);
          }}
        />
      )}
      <WebhookSecretDialog saved={saved} onClose={() => setSaved(null)} />
      <DeleteDocker reg={reg} opened={deleting} onClose={() => setDeleting(false)} />
    </Stack>
  );
}

function Settings({ reg }: { reg: DockerRegistry }) {
  const t = useAT();
  const rows: [string, React.ReactNode][] = [
    [t('admin.reg.url'), <Mono key="u">{reg.url}</Mono>],
    [t('admin.reg.username'), reg.username || '—'],
    [t('admin.reg.passwordSet'), <YesNo key="p" value={reg.hasPassword} />],
    [t('admin.docker.insecure'), <YesNo key="i" value={reg.insecure} />],
    [t('admin.docker.pollInterval'), isWebhooksOnly(reg.pollInterval) ? t('admin.docker.webhooksOnly') : reg.pollInterval],
    [t('admin.docker.format'), t(`admin.format.${reg.webhookFormat ?? 'auto'}`)],
    [t('admin.docker.secretSet'), <YesNo key="s" value={reg.hasWebhookSecret} />],
  ];
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h4" mb="xs">
        {t('admin.reg.settings')}
      </Title>
      <Table aria-label={t('admin.reg.settings')}>
        <Table.Tbody>
          {rows.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Th scope="row" w="40%">
                {k}
              </Table.Th>
              <Table.Td>{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function Webhook({ reg }: { reg: DockerRegistry }) {
  const t = useAT();
  const url = webhookUrl(reg.webhookUrl, window.location.origin);
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={3} size="h4">
          {t('admin.docker.webhook')}
        </Title>
        <CopyValue label={t('admin.docker.webhookUrl')} value={url} description={t('admin.docker.webhookHint')} />
        <Text size="sm">{t(`admin.delivery.${secretDelivery(reg.webhookFormat ?? 'auto')}`)}</Text>
        {!reg.hasWebhookSecret && <NoSecretNotice />}
      </Stack>
    </Paper>
  );
}

function Check({ id }: { id: string }) {
  const t = useAT();
  const check = useCheckDockerRegistry();
  const [result, setResult] = useState<CheckResult | null>(null);
  const run = () =>
    check.mutate(id, {
      onSuccess: (r) => {
        setResult(r);
        if (r.ok) notifySuccess(t('admin.check.ok'));
        else notifyFailure(t('admin.check.failed'), new Error(checkMessage(t, r)));
      },
      onError: (e) => notifyFailure(t('admin.check.failed'), e),
    });
  return (
    <Paper withBorder p="md">
      <Stack gap="xs" align="flex-start">
        <Title order={3} size="h4">
          {t('admin.check.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('admin.check.intro')}
        </Text>
        <Button leftSection={<IconPlugConnected size={16} aria-hidden />} loading={check.isPending} onClick={run}>
          {t('admin.check.run')}
        </Button>
        {result && (
          <Alert color={result.ok ? 'green' : 'red'} role="status" styles={alertText} title={t(result.ok ? 'admin.check.ok' : 'admin.check.failed')} w="100%">
            <Text size="sm">
              <Badge variant="light" color={result.ok ? 'green' : 'red'} className="oneko-badge" style={badgeStyle(result.ok ? 'green' : 'red')} mr="xs">
                {result.result}
              </Badge>
              {checkMessage(t, result)}
            </Text>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

const checkClasses = ['ok', 'unreachable', 'tls_error', 'unauthorized', 'forbidden', 'not_a_registry', 'invalid_url'] as const;

/** checkMessage says what a check's class means, in the user's language (the server's fixed
 * message for a class the dashboard does not know). */
export function checkMessage(t: ReturnType<typeof useAT>, r: CheckResult): string {
  const c = checkClasses.find((x) => x === r.result);
  return c ? t(`admin.check.result.${c}`) : r.message;
}

function Deliveries({ id }: { id: string }) {
  const t = useAT();
  const { dateTime } = useI18n();
  // Kept current by the webhook.delivery events of the live stream (shared/live/applyEvent.ts).
  const q = useDeliveries(id);
  const items = q.data?.items ?? [];
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {t('admin.deliveries.title')}
          </Title>
          <Button variant="default" size="xs" leftSection={<IconRefresh size={14} aria-hidden />} loading={q.isFetching} onClick={() => void q.refetch()}>
            {t('admin.refresh')}
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          {t('admin.deliveries.intro')}
        </Text>
        <QueryState q={q} />
        {q.data && items.length === 0 && <EmptyState title={t('admin.deliveries.empty')}>{t('admin.deliveries.emptyText')}</EmptyState>}
        {items.length > 0 && (
          <Table.ScrollContainer minWidth={720}>
            <Table aria-label={t('admin.deliveries.title')} verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('admin.deliveries.time')}</Table.Th>
                  <Table.Th>{t('admin.deliveries.result')}</Table.Th>
                  <Table.Th>{t('admin.docker.format')}</Table.Th>
                  <Table.Th>{t('admin.deliveries.events')}</Table.Th>
                  <Table.Th>{t('admin.deliveries.detail')}</Table.Th>
                  <Table.Th>{t('admin.deliveries.from')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((d, i) => (
                  <Table.Tr key={`${d.time}-${i}`}>
                    <Table.Td className="nowrap" title={dateTime(d.time)}>
                      <RelativeTime value={d.time} />
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={resultColor[d.result] ?? 'gray'} className="oneko-badge" style={badgeStyle(resultColor[d.result] ?? 'gray')}>
                        {t(`admin.deliveries.r.${d.result}`)} · {d.status}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{d.format}</Table.Td>
                    <Table.Td>{t('admin.deliveries.counts', { events: d.events, enqueued: d.enqueued, duplicates: d.duplicates })}</Table.Td>
                    <Table.Td>{d.error || d.ignored || '—'}</Table.Td>
                    <Table.Td>
                      <Mono>{d.remoteAddress}</Mono>
                      {d.forwardedFor && (
                        <Text size="xs" c="dimmed">
                          {t('admin.deliveries.forwardedFor', { addr: d.forwardedFor })}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}

function DeleteDocker({ reg, opened, onClose }: { reg: DockerRegistry; opened: boolean; onClose: () => void }) {
  const t = useAT();
  const navigate = useNavigate();
  const del = useDeleteDockerRegistry();
  return (
    <ConfirmDialog
      opened={opened}
      title={t('admin.reg.deleteWho', { name: reg.name ?? '' })}
      confirm={t('admin.delete')}
      busy={del.isPending}
      onClose={onClose}
      onConfirm={() =>
        del.mutate(reg.id, {
          onSuccess: () => {
            notifySuccess(t('admin.reg.deleted', { name: reg.name ?? '' }));
            onClose();
            navigate(paths.dockerRegistries());
          },
          onError: (e) => notifyFailure(t('admin.reg.deleteFailed'), e),
        })
      }
    >
      {t('admin.docker.deleteText', { name: reg.name ?? '' })}
    </ConfirmDialog>
  );
}
