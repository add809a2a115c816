import { Title } from '@mantine/core';
import { useT } from '../../shared/i18n';
export function HomePage() {
  const t = useT();
  return <Title order={1}>{t('home.title')}</Title>;
}
