// The documents the dashboard reads, named once for the whole app, from the schema generated
// out of web/openapi.json (schema.d.ts). Only the event payloads, which the OpenAPI document
// does not describe (they travel on the SSE stream), are declared here.
import type { components } from './schema';

type S = components['schemas'];

export type User = S['User'];
export type Role = NonNullable<User['role']>;
export type Project = S['Project'];
export type ProjectStatus = Project['status'];
export type Version = S['Version'];
export type Deployment = S['Deployment'];
export type DeploymentStatus = Deployment['status'];
export type DesiredState = Version['desiredState'];
export type Lifetime = S['Lifetime'];
export type TemplateVariable = S['TemplateVariable'];
export type Activity = S['Activity'];
export type SearchResult = S['SearchResult'];
export type SessionInfo = S['SessionInfo'];
export type SystemStatus = S['SystemStatus'];
export type ClusterStatus = S['ClusterStatus'];
export type WebhookDelivery = S['WebhookDelivery'];

/** Me is the signed-in user as the app keeps it: the session's role (a token's may be lower
 * than its owner's) and the fields the shell shows. */
export interface Me {
  id: string;
  username: string;
  email: string;
  role: Role;
}
export type DeploymentsAnswer = S['DeploymentsAnswer'];

export interface Page<T> {
  items: T[];
  total: number;
}

/** A version.status event: the version's new deployment (and URLs when they changed). */
export interface VersionStatusEvent {
  id: string;
  deployment: Deployment;
  urls?: string[];
}

/** A webhook.delivery event (ADMINs only): a delivery a docker registry's webhook received. */
export interface WebhookDeliveryEvent {
  registryId: string;
  delivery: WebhookDelivery;
}

/** A version.removed event. */
export interface VersionRemovedEvent {
  id: string;
  projectId: string;
}
