// The documents the dashboard reads, named once for the whole app. They come from the
// generated schema (schema.d.ts, from web/openapi.json); the few the document does not
// describe yet are declared below from API.md and marked so.
export type Role = 'VIEWER' | 'DOER' | 'ADMIN';
export type DeploymentStatus = 'NotDeployed' | 'Pending' | 'Running' | 'Failed' | 'Unknown';
export type DesiredState = 'Deployed' | 'NotDeployed';
export type ProjectStatus = 'Ok' | 'Pending' | 'Error' | 'NotDeployed';

export interface User {
  id: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
}

export interface Release {
  name: string;
  namespace: string;
  revision: number;
  status: string;
}

export interface Deployment {
  status: DeploymentStatus;
  message?: string;
  deployedAt?: string;
  expiresAt?: string;
  readyPods: number;
  desiredPods: number;
  releases: Release[];
}

export interface Lifetime {
  type: 'UNTIL_TONIGHT' | 'UNTIL_WEEKEND' | 'DAYS' | 'INFINITE' | 'INHERIT';
  value?: number;
}

export interface TemplateVariable {
  id: string;
  name: string;
  label: string;
  values: string[];
  useValues: boolean;
  defaultValue: string;
  showOnDashboard: boolean;
}

export interface ConfigurationTemplate {
  id: string;
  name: string;
  description: string;
  content: string;
  chartName: string;
  chartVersion: string;
  helmRegistryId: string;
}

export interface Project {
  id: string;
  name: string;
  dockerRegistryId: string;
  imageName: string;
  namespace: string;
  newVersionsDeploymentBehaviour: 'automatically' | 'manually';
  autoDeploy?: { tagPattern?: string; semver?: string } | null;
  urlTemplates: string[];
  defaultConfigurationTemplates: ConfigurationTemplate[];
  templateVariables: TemplateVariable[];
  defaultLifetimeBehaviour?: Lifetime;
  status: ProjectStatus;
  versionCount?: number;
  deployedCount?: number;
  createdAt: string;
  updatedAt: string;
}

export interface Version {
  id: string;
  projectId: string;
  name: string;
  digest: string;
  imageUpdatedAt: string;
  deploymentBehaviour: 'automatically' | 'manually';
  templateVariables: Record<string, string>;
  urlTemplates: string[];
  configurationTemplates: ConfigurationTemplate[];
  lifetimeBehaviour?: Lifetime;
  namespace: string;
  desiredState: DesiredState;
  outdated: boolean;
  urls: string[];
  deployment: Deployment;
  createdAt?: string;
}

export interface Activity {
  id: string;
  time: string;
  priority: string;
  title: string;
  description: string;
  actor: string;
  entityType: string;
  entityId: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface SearchResult {
  projects: Project[];
  versions: Version[];
}

/** A version.status event: the version's new deployment (and URLs when they changed). */
export interface VersionStatusEvent {
  id: string;
  deployment: Deployment;
  urls?: string[];
}

/** A version.removed event. */
export interface VersionRemovedEvent {
  id: string;
  projectId: string;
}
