// Role visibility: which controls a role sees. The server enforces the same rules (Casbin);
// this only keeps a VIEWER from seeing controls they cannot use.
import type { Role } from '../api/models';

const rank: Record<Role, number> = { VIEWER: 1, DOER: 2, ADMIN: 3 };

/** The actions the UI shows controls for, and the lowest role that may do each. */
export const abilities = {
  deploy: 'VIEWER',
  stop: 'VIEWER',
  extend: 'VIEWER',
  setDashboardVariable: 'VIEWER',
  createProject: 'DOER',
  editProject: 'DOER',
  importProject: 'DOER',
  deleteProject: 'DOER',
  editVersion: 'DOER',
  readConfiguration: 'DOER',
  admin: 'ADMIN',
} as const satisfies Record<string, Role>;

export type Ability = keyof typeof abilities;

/** can reports whether a role may do an action; no role (signed out) may do nothing. */
export function can(role: Role | undefined | null, action: Ability): boolean {
  if (!role) return false;
  return rank[role] >= rank[abilities[action]];
}
