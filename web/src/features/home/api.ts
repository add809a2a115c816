import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api/client';
import { qk } from '../../shared/api/queryKeys';
import type { DeploymentsAnswer } from '../../shared/api/models';

/** useDeployments is the home page's data: every active version with its project. The live
 * stream keeps it current (see shared/live/applyEvent.ts). */
export function useDeployments() {
  return useQuery({
    queryKey: qk.deployments,
    queryFn: () => unwrap<DeploymentsAnswer>(api.GET('/api/v1/deployments')),
  });
}
