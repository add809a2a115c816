import { Title } from '@mantine/core';
export function ActivityPage() {
  return <Title order={1}>ActivityPage</Title>;
}
