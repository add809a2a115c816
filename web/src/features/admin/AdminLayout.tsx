// The administration (ADMIN only, see routes.tsx): a heading, the sections as links, and the
// section's screen; its forms warn before unsaved changes are lost.
import { Button, Group, Stack, Title } from '@mantine/core';
import { IconBox, IconBoxMultiple, IconFolders, IconUsers } from '@tabler/icons-react';
import { Link, Outlet, useLocation } from 'react-router';
import { paths } from '../../app/paths';
import { useAT, type Key } from './messages';
import { UnsavedChangesGuard } from '../../shared/ui/unsaved/UnsavedChanges';

const sections: { to: string; label: Key; icon: typeof IconUsers }[] = [
  { to: paths.adminUsers(), label: 'admin.users.title', icon: IconUsers },
  { to: paths.dockerRegistries(), label: 'admin.docker.title', icon: IconBox },
  { to: paths.helmRegistries(), label: 'admin.helm.title', icon: IconBoxMultiple },
  { to: paths.namespaces(), label: 'admin.ns.title', icon: IconFolders },
];

export function AdminLayout() {
  const t = useAT();
  const loc = useLocation();
  return (
    <Stack>
      <Title order={1}>{t('nav.admin')}</Title>
      <nav aria-label={t('admin.sections')}>
        <Group gap="xs">
          {sections.map((s) => {
            const active = loc.pathname.startsWith(s.to);
            return (
              <Button
                key={s.to}
                component={Link}
                to={s.to}
                size="sm"
                variant={active ? 'filled' : 'default'}
                aria-current={active ? 'page' : undefined}
                leftSection={<s.icon size={16} aria-hidden />}
              >
                {t(s.label)}
              </Button>
            );
          })}
        </Group>
      </nav>
      <UnsavedChangesGuard>
        <Outlet />
      </UnsavedChangesGuard>
    </Stack>
  );
}
