// A tooltip for long lists: until the pointer rests on its target (or the keyboard focuses it)
// it is nothing but the target element, so a hundred rows do not mount a hundred floating-UI
// instances. Then a Mantine Tooltip (loaded then, see FloatingTooltip), positioned at the same
// element, shows; Escape hides it. The target element stays the same DOM node throughout (no
// remount, focus is kept).
import type { TooltipProps } from '@mantine/core';
import { cloneElement, lazy, Suspense, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent, type PointerEvent, type ReactElement, type Ref } from 'react';
import { useMergedRef } from '@mantine/hooks';

const FloatingTooltip = lazy(() => import('./FloatingTooltip'));

type Handlers = {
  ref?: Ref<HTMLElement>;
  onMouseEnter?: (e: MouseEvent<HTMLElement>) => void;
  onMouseLeave?: (e: MouseEvent<HTMLElement>) => void;
  onFocus?: (e: FocusEvent<HTMLElement>) => void;
  onBlur?: (e: FocusEvent<HTMLElement>) => void;
  onKeyDown?: (e: KeyboardEvent<HTMLElement>) => void;
  onPointerDown?: (e: PointerEvent<HTMLElement>) => void;
  onPointerUp?: (e: PointerEvent<HTMLElement>) => void;
};

export interface LazyTooltipProps extends Pick<TooltipProps, 'label' | 'multiline' | 'w' | 'withArrow' | 'position'> {
  /** The target: one element that takes a ref and the mouse and focus handlers. */
  children: ReactElement<Handlers>;
}

export function LazyTooltip({ children, ...tooltip }: LazyTooltipProps) {
  // A ref, not state: storing the element in state would render every row a second time on mount.
  const target = useRef<HTMLElement | null>(null);
  // pressed: the pointer is down on the target, so the focus that follows is a click's, not the
  // keyboard's (the pointer's hover already shows the tooltip).
  const pressed = useRef(false);
  const [open, setOpen] = useState(false);
  const p = children.props;
  const ref = useMergedRef<HTMLElement>(target, p.ref);
  const child = cloneElement(children, {
    ref,
    onMouseEnter: (e: MouseEvent<HTMLElement>) => {
      p.onMouseEnter?.(e);
      setOpen(true);
    },
    onMouseLeave: (e: MouseEvent<HTMLElement>) => {
      p.onMouseLeave?.(e);
      setOpen(false);
    },
    onPointerDown: (e: PointerEvent<HTMLElement>) => {
      p.onPointerDown?.(e);
      pressed.current = true;
    },
    onPointerUp: (e: PointerEvent<HTMLElement>) => {
      p.onPointerUp?.(e);
      pressed.current = false;
    },
    onFocus: (e: FocusEvent<HTMLElement>) => {
      p.onFocus?.(e);
      if (!pressed.current) setOpen(true);
      pressed.current = false;
    },
    onBlur: (e: FocusEvent<HTMLElement>) => {
      p.onBlur?.(e);
      setOpen(false);
    },
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
      p.onKeyDown?.(e);
      if (e.key === 'Escape') setOpen(false);
    },
  });
  return (
    <>
      {child}
      {open && (
        <Suspense fallback={null}>
          <FloatingTooltip {...tooltip} target={target} opened />
        </Suspense>
      )}
    </>
  );
}
