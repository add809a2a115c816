// Mantine's Tooltip as a module of its own, which LazyTooltip loads on the first hover: the
// first load of the app carries no tooltip code.
import { Tooltip, type TooltipProps } from '@mantine/core';

export default function FloatingTooltip(props: TooltipProps) {
  return <Tooltip {...props} />;
}
