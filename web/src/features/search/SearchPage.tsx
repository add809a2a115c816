import { Title } from '@mantine/core';
export function SearchPage() {
  return <Title order={1}>SearchPage</Title>;
}
