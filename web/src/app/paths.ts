// Paths of every screen: links are built here, never by hand in a feature.
export const paths = {
  home: () => '/',
  projects: () => '/projects',
  newProject: () => '/projects/new',
  project: (id: string) => `/projects/${encodeURIComponent(id)}/versions`,
  editProject: (id: string) => `/projects/${encodeURIComponent(id)}/edit`,
  version: (pid: string, vid: string) => `/projects/${encodeURIComponent(pid)}/versions/${encodeURIComponent(vid)}`,
  logs: (pid: string, vid: string) => `/projects/${encodeURIComponent(pid)}/versions/${encodeURIComponent(vid)}/logs`,
  search: (q?: string) => (q ? `/search?q=${encodeURIComponent(q)}` : '/search'),
  activity: () => '/activity',
  admin: () => '/admin',
  account: () => '/account',
};
