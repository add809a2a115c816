// The unsaved-changes warning. A screen with forms wraps them in <UnsavedChangesGuard>; each form
// reports whether it holds changes with useUnsavedChanges(dirty). While any does, leaving the
// screen inside the app (a link, back, forward) asks first in a dialog (react-router's blocker;
// the dialog takes the focus, Escape or "Stay" keep the user here), and reloading or closing the
// tab makes the browser ask (beforeunload). Changes that only touch the query string (a tab of
// the same screen) leave the forms mounted and are not blocked. A form whose save navigates away
// calls the release function the hook returns first (its changes are saved, nothing is lost);
// the release lasts until the form renders with changes again.
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { useBlocker, type BlockerFunction } from 'react-router';
import { useT } from '../../i18n';
import { useUT } from './messages';

interface Registry {
  /** report records whether the form with this id holds unsaved changes. */
  report: (id: string, dirty: boolean) => void;
}

const RegistryContext = createContext<Registry | null>(null);

/** UnsavedChangesGuard warns before its forms' unsaved changes are lost. One per screen: a
 * router has one blocker at a time. */
export function UnsavedChangesGuard({ children }: { children: ReactNode }) {
  const ut = useUT();
  const t = useT();
  const dirty = useRef(new Set<string>());
  const [any, setAny] = useState(false);
  const registry = useMemo<Registry>(
    () => ({
      report: (id, d) => {
        if (d) dirty.current.add(id);
        else dirty.current.delete(id);
        setAny(dirty.current.size > 0);
      },
    }),
    [],
  );
  // Read at navigation time (not at the last render), so that a form released just before
  // its save navigates is not blocked.
  const shouldBlock = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) => dirty.current.size > 0 && currentLocation.pathname !== nextLocation.pathname,
    [],
  );
  const blocker = useBlocker(shouldBlock);

  useEffect(() => {
    if (!any) return;
    const ask = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = ''; // older browsers ask only when it is set
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [any]);

  const blocked = blocker.state === 'blocked';
  return (
    <RegistryContext.Provider value={registry}>
      {children}
      <Modal
        opened={blocked}
        onClose={() => blocker.reset?.()}
        title={ut('unsaved.title')}
        zIndex={400}
        closeButtonProps={{ 'aria-label': t('action.close') }}
      >
        <Stack>
          <Text size="sm">{ut('unsaved.text')}</Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => blocker.reset?.()} data-autofocus>
              {ut('unsaved.stay')}
            </Button>
            <Button color="red" onClick={() => blocker.proceed?.()}>
              {ut('unsaved.leave')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </RegistryContext.Provider>
  );
}

/** useUnsavedChanges reports a form's unsaved changes to the screen's guard (none: no
 * warning). It returns release, which withdraws them at once: call it when a save is about to
 * navigate away. */
export function useUnsavedChanges(dirty: boolean): () => void {
  const registry = useContext(RegistryContext);
  const id = useId();
  // Reported after every render, so that a release lasts only until the form shows changes again.
  useEffect(() => {
    registry?.report(id, dirty);
  });
  useEffect(() => () => registry?.report(id, false), [registry, id]);
  return useCallback(() => registry?.report(id, false), [registry, id]);
}
