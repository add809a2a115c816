// The app shell: header (navigation toggle, search, theme, language, user menu), a role-aware
// navigation, the "disconnected" notice and the screen of the current route.
import {
  ActionIcon,
  Alert,
  AppShell,
  Burger,
  Button,
  Group,
  Kbd,
  Menu,
  NavLink,
  Text,
  Tooltip,
  UnstyledButton,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconActivity,
  IconDeviceDesktop,
  IconHome,
  IconLanguage,
  IconLogout,
  IconMoon,
  IconPackages,
  IconSearch,
  IconSettings,
  IconSun,
  IconUser,
} from '@tabler/icons-react';
import { Suspense, useEffect } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useSystem } from '../shared/api/queries';
import { useCan, useSignOut, useUser } from '../shared/auth/session';
import { LiveProvider, useLiveState } from '../shared/live/LiveProvider';
import { locales, useI18n, type MessageKey } from '../shared/i18n';
import { notifyFailure } from '../shared/ui/notify';
import { CommandPalette, openPalette } from '../features/search/CommandPalette';
import { paths } from './paths';

interface NavItem {
  to: string;
  label: MessageKey;
  icon: typeof IconHome;
  exact?: boolean;
}

export function Navigation({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useI18n();
  const loc = useLocation();
  const isAdmin = useCan('admin');
  const items: NavItem[] = [
    { to: paths.home(), label: 'nav.home', icon: IconHome, exact: true },
    { to: paths.projects(), label: 'nav.projects', icon: IconPackages },
    { to: paths.search(), label: 'nav.search', icon: IconSearch },
    { to: paths.activity(), label: 'nav.activity', icon: IconActivity },
    ...(isAdmin ? [{ to: paths.admin(), label: 'nav.admin' as const, icon: IconSettings }] : []),
    { to: paths.account(), label: 'nav.account', icon: IconUser },
  ];
  return (
    <nav aria-label={t('nav.main')}>
      {items.map((it) => {
        const active = it.exact ? loc.pathname === it.to : loc.pathname.startsWith(it.to);
        return (
          <NavLink
            key={it.to}
            component={Link}
            to={it.to}
            label={t(it.label)}
            leftSection={<it.icon size={18} aria-hidden />}
            active={active}
            variant="filled"
            aria-current={active ? 'page' : undefined}
            onClick={onNavigate}
          />
        );
      })}
    </nav>
  );
}

function ThemeMenu() {
  const { t } = useI18n();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const Icon = colorScheme === 'dark' ? IconMoon : colorScheme === 'light' ? IconSun : IconDeviceDesktop;
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Tooltip label={t('app.theme')}>
          <ActionIcon variant="default" size="lg" aria-label={t('app.theme')}>
            <Icon size={18} aria-hidden />
          </ActionIcon>
        </Tooltip>
      </Menu.Target>
      <Menu.Dropdown>
        {(['light', 'dark', 'auto'] as const).map((s) => (
          <Menu.Item key={s} onClick={() => setColorScheme(s)} aria-checked={colorScheme === s} role="menuitemradio">
            {t(`app.theme.${s}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

function LanguageMenu() {
  const { t, locale, setLocale } = useI18n();
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Tooltip label={t('app.language')}>
          <ActionIcon variant="default" size="lg" aria-label={t('app.language')}>
            <IconLanguage size={18} aria-hidden />
          </ActionIcon>
        </Tooltip>
      </Menu.Target>
      <Menu.Dropdown>
        {locales.map((l) => (
          <Menu.Item key={l} onClick={() => setLocale(l)} aria-checked={locale === l} role="menuitemradio" lang={l}>
            {t(`app.language.${l}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

function UserMenu() {
  const { t } = useI18n();
  const user = useUser();
  const signOut = useSignOut();
  const navigate = useNavigate();
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <UnstyledButton aria-label={t('app.user.menu', { name: user.username })}>
          <Group gap={6}>
            <IconUser size={18} aria-hidden />
            <Text size="sm" visibleFrom="sm">
              {user.username}
            </Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('app.signedInAs', { name: user.username, role: t(`role.${user.role}`) })}</Menu.Label>
        <Menu.Item component={Link} to={paths.account()} leftSection={<IconUser size={16} aria-hidden />}>
          {t('nav.account')}
        </Menu.Item>
        <Menu.Item
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() =>
            signOut.mutate(undefined, {
              onSuccess: () => navigate('/signin?signedOut=1', { replace: true }),
              onError: (e) => notifyFailure(t('app.signOut'), e),
            })
          }
        >
          {t('app.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function DisconnectedNotice() {
  const { t } = useI18n();
  const state = useLiveState();
  if (state !== 'disconnected') return null;
  return (
    <Alert color="yellow" mb="md" role="status" aria-live="polite">
      {t('app.disconnected')}
    </Alert>
  );
}

/** ClusterNotice says, while local mode's cluster is not up yet, why deploys wait. */
function ClusterNotice() {
  const { t } = useI18n();
  const { data } = useSystem();
  const c = data?.cluster;
  if (!c || c.state === 'ready') return null;
  const failed = c.state === 'failed';
  return (
    <Alert color={failed ? 'red' : 'blue'} mb="md" role="status" aria-live="polite" title={t(failed ? 'app.cluster.failed' : 'app.cluster.starting')}>
      {c.message}
    </Alert>
  );
}

function ShellLayout() {
  const { t } = useI18n();
  const [opened, { toggle, close }] = useDisclosure();
  const loc = useLocation();
  useEffect(() => {
    // Move focus to the main landmark on navigation, for keyboard and screen-reader users.
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [loc.pathname]);
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <a href="#main" className="skip-link">
          {t('app.skipToContent')}
        </a>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('app.toggleNav')} />
            <Text component={Link} to="/" fw={700} size="lg" c="inherit" td="none">
              {t('app.name')}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Button
              variant="default"
              leftSection={<IconSearch size={16} aria-hidden />}
              rightSection={<Kbd size="xs">Ctrl K</Kbd>}
              onClick={openPalette}
              visibleFrom="sm"
            >
              {t('nav.search')}
            </Button>
            <ActionIcon variant="default" size="lg" hiddenFrom="sm" aria-label={t('app.search.open')} onClick={openPalette}>
              <IconSearch size={18} aria-hidden />
            </ActionIcon>
            <ThemeMenu />
            <LanguageMenu />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <Navigation onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} style={{ outline: 'none' }}>
        <DisconnectedNotice />
        <ClusterNotice />
        <Suspense fallback={<Text>{t('app.loading')}</Text>}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
      <CommandPalette />
    </AppShell>
  );
}

export function Shell() {
  return (
    <LiveProvider>
      <ShellLayout />
    </LiveProvider>
  );
}
