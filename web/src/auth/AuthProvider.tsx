import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import type { UserSummary } from '../api/types';
import { refreshSession, sessionState, subscribe, type SessionState } from './session';

const SessionContext = createContext<SessionState>({ status: 'starting' });

/** The session for the whole app. On a fresh page it asks the service for tokens with the cookie. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const state = useSyncExternalStore(subscribe, sessionState);
  useEffect(() => {
    if (sessionState().status === 'starting') void refreshSession();
  }, []);
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  return useContext(SessionContext);
}

/** The signed-in user; only for pages behind RequireSession. */
export function useUser(): UserSummary {
  const state = useSession();
  if (state.status !== 'signed-in') throw new Error('useUser outside a signed-in page');
  return state.user;
}
