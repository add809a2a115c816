import { Outlet } from 'react-router';
import { useCan } from './session';
import type { Ability } from './can';
import { NotFound } from '../../app/NotFound';

/** RequireRole renders its child routes only for a role that may do `ability`; others see
 * "not found", as if the screen did not exist. */
export function RequireRole({ ability }: { ability: Ability }) {
  return useCan(ability) ? <Outlet /> : <NotFound />;
}
