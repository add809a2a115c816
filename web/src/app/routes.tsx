// The route table: one entry per screen, each a deep link. Feature screens other than the
// home page are loaded lazily (their own chunks), so the first load stays small.
import { createBrowserRouter, Navigate, useParams } from 'react-router';
import { RequireAuth } from '../shared/auth/session';
import { RequireRole } from '../shared/auth/RequireRole';
import { Shell } from './Shell';
import { SignInPage } from '../features/signin/SignInPage';
import { HomePage } from '../features/home/HomePage';
import { NotFound } from './NotFound';
import { RouteError } from './RouteError';

export { paths } from './paths';

function ProjectRedirect() {
  const { projectId = '' } = useParams();
  return <Navigate to={`/projects/${encodeURIComponent(projectId)}/versions`} replace />;
}


export const router = createBrowserRouter([
  { path: '/signin', element: <SignInPage />, errorElement: <RouteError /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <Shell />
      </RequireAuth>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'projects', lazy: async () => ({ Component: (await import('../features/projects/ProjectsPage')).ProjectsPage }) },
      {
        path: 'projects/new',
        element: <RequireRole ability="createProject" />,
        children: [{ index: true, lazy: async () => ({ Component: (await import('../features/project-editor/ProjectEditorPage')).ProjectEditorPage }) }],
      },
      { path: 'projects/:projectId', element: <ProjectRedirect /> },
      {
        path: 'projects/:projectId/edit',
        element: <RequireRole ability="editProject" />,
        children: [{ index: true, lazy: async () => ({ Component: (await import('../features/project-editor/ProjectEditorPage')).ProjectEditorPage }) }],
      },
      {
        path: 'projects/:projectId/versions',
        lazy: async () => ({ Component: (await import('../features/versions/VersionsPage')).VersionsPage }),
      },
      {
        path: 'projects/:projectId/versions/:versionId',
        element: <RequireRole ability="editVersion" />,
        children: [
          { index: true, lazy: async () => ({ Component: (await import('../features/version-editor/VersionEditorPage')).VersionEditorPage }) },
        ],
      },
      {
        path: 'projects/:projectId/versions/:versionId/logs',
        lazy: async () => ({ Component: (await import('../features/logs/LogsPage')).LogsPage }),
      },
      { path: 'search', lazy: async () => ({ Component: (await import('../features/search/SearchPage')).SearchPage }) },
      { path: 'activity', lazy: async () => ({ Component: (await import('../features/activity/ActivityPage')).ActivityPage }) },
      {
        path: 'admin',
        element: <RequireRole ability="admin" />,
        children: [
          {
            lazy: async () => ({ Component: (await import('../features/admin/AdminLayout')).AdminLayout }),
            children: [
              { index: true, element: <Navigate to="users" replace /> },
              { path: 'users', lazy: async () => ({ Component: (await import('../features/admin/UsersPage')).UsersPage }) },
              { path: 'docker-registries', lazy: async () => ({ Component: (await import('../features/admin/DockerRegistriesPage')).DockerRegistriesPage }) },
              { path: 'docker-registries/:registryId', lazy: async () => ({ Component: (await import('../features/admin/DockerRegistryPage')).DockerRegistryPage }) },
              { path: 'helm-registries', lazy: async () => ({ Component: (await import('../features/admin/HelmRegistriesPage')).HelmRegistriesPage }) },
              { path: 'helm-registries/:registryId', lazy: async () => ({ Component: (await import('../features/admin/HelmRegistryPage')).HelmRegistryPage }) },
              { path: 'namespaces', lazy: async () => ({ Component: (await import('../features/admin/NamespacesPage')).NamespacesPage }) },
              { path: '*', element: <NotFound /> },
            ],
          },
        ],
      },
      { path: 'account', lazy: async () => ({ Component: (await import('../features/account/AccountPage')).AccountPage }) },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
