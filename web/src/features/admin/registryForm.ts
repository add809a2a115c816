// The docker and Helm registry forms as plain data: their fields, the checks, and the body they
// send. Secrets are write-only: on an edit an empty field keeps the stored one, and only an
// explicit "remove" sends "" (which the server reads as: delete it).
import type { DockerInput, DockerRegistry, HelmInput, HelmRegistry } from './api';
import { errorsOf, validateDisplayName, validatePollInterval, validateRegistryUrl } from './validate';
import { newSecret, type WebhookFormat } from './webhook';

/** What to do with a stored secret on save. */
export type SecretAction = 'keep' | 'set' | 'remove';

export interface DockerForm {
  name: string;
  url: string;
  username: string;
  password: string;
  passwordAction: SecretAction;
  insecure: boolean;
  pollInterval: string;
  webhookFormat: WebhookFormat;
  secret: string;
  secretAction: SecretAction;
}

/** newDockerForm is the form for a new registry: polled every 5 minutes, webhooks in any
 * format with a fresh random secret. */
export function newDockerForm(): DockerForm {
  return {
    name: '',
    url: '',
    username: '',
    password: '',
    passwordAction: 'set',
    insecure: false,
    pollInterval: '5m0s',
    webhookFormat: 'auto',
    secret: newSecret(),
    secretAction: 'set',
  };
}

/** dockerFormOf is the form to edit a stored registry: its secrets are kept unless changed. */
export function dockerFormOf(r: DockerRegistry): DockerForm {
  return {
    name: r.name ?? '',
    url: r.url ?? '',
    username: r.username ?? '',
    password: '',
    passwordAction: 'keep',
    insecure: !!r.insecure,
    pollInterval: r.pollInterval ?? '5m0s',
    webhookFormat: r.webhookFormat ?? 'auto',
    secret: '',
    secretAction: 'keep',
  };
}

/** dockerErrors checks the form; editing, "set a new secret" needs one. */
export function dockerErrors(f: DockerForm, editing: boolean) {
  return errorsOf({
    name: validateDisplayName(f.name),
    url: validateRegistryUrl(f.url, false),
    pollInterval: validatePollInterval(f.pollInterval),
    secret: editing && f.secretAction === 'set' && f.secret.trim() === '' ? { key: 'admin.v.secretEmpty' as const } : null,
    password: editing && f.passwordAction === 'set' && f.password === '' ? { key: 'admin.v.passwordEmpty' as const } : null,
  });
}

/** secretField is a write-only field of the body: absent keeps, "" removes. */
function secretField(action: SecretAction, value: string): string | undefined {
  if (action === 'remove') return '';
  if (action === 'set' && value !== '') return value;
  return undefined;
}

export function dockerBody(f: DockerForm): DockerInput {
  return {
    name: f.name,
    url: f.url.trim(),
    username: f.username,
    insecure: f.insecure,
    pollInterval: f.pollInterval.trim(),
    webhookFormat: f.webhookFormat,
    password: secretField(f.passwordAction, f.password),
    webhookSecret: secretField(f.secretAction, f.secret),
  };
}

/** newSecretOf is the webhook secret a save sets (to be shown once), or null. */
export function newSecretOf(f: DockerForm): string | null {
  return f.secretAction === 'set' && f.secret !== '' ? f.secret : null;
}

export interface HelmForm {
  name: string;
  url: string;
  username: string;
  password: string;
  passwordAction: SecretAction;
}

export function newHelmForm(): HelmForm {
  return { name: '', url: '', username: '', password: '', passwordAction: 'set' };
}

export function helmFormOf(r: HelmRegistry): HelmForm {
  return { name: r.name ?? '', url: r.url ?? '', username: r.username ?? '', password: '', passwordAction: 'keep' };
}

export function helmErrors(f: HelmForm, editing: boolean) {
  return errorsOf({
    name: validateDisplayName(f.name),
    url: validateRegistryUrl(f.url, true),
    password: editing && f.passwordAction === 'set' && f.password === '' ? { key: 'admin.v.passwordEmpty' as const } : null,
  });
}

export function helmBody(f: HelmForm): HelmInput {
  return { name: f.name, url: f.url.trim(), username: f.username, password: secretField(f.passwordAction, f.password) };
}

/** isWebhooksOnly tells a poll interval of zero (the registry is never polled). */
export function isWebhooksOnly(pollInterval: string | undefined): boolean {
  return !!pollInterval && /^0+(\.0+)?[a-zµ]*$/.test(pollInterval.trim());
}
