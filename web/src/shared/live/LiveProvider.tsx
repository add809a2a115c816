// LiveProvider runs one LiveStream while the signed-in app is mounted; useLiveState reads its
// connection state.
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { LiveStream, type LiveState } from './stream';

const LiveContext = createContext<LiveStream | null>(null);

export function LiveProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [stream] = useState(() => new LiveStream(qc));
  useEffect(() => {
    stream.start();
    return () => stream.stop();
  }, [stream]);
  return <LiveContext.Provider value={stream}>{children}</LiveContext.Provider>;
}

const always = () => () => {};

export function useLiveState(): LiveState {
  const s = useContext(LiveContext);
  return useSyncExternalStore(s ? s.subscribe : always, s ? s.getState : () => 'open' as LiveState);
}
