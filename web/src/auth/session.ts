// The browser's session. The access token lives in this module's memory only — never in
// localStorage, sessionStorage or a readable cookie. The refresh token is an httpOnly cookie the
// service sets on login and refresh (no script can read it); a reload calls refresh with it.
import type { LoginResponse, UserSummary } from '../api/types';
import { ApiError } from '../api/errors';

export type SessionState =
  | { status: 'starting' }
  | { status: 'signed-in'; user: UserSummary }
  /** `reason`: why there is no session (after an explicit sign-out the next user starts at their home page) */
  | { status: 'signed-out'; message: string | null; reason: 'none' | 'ended' | 'signed-out' };

let state: SessionState = { status: 'starting' };
let accessToken: string | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

function setState(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function sessionState(): SessionState {
  return state;
}

export function currentAccessToken(): string | null {
  return accessToken;
}

function clear(message: string | null, reason: 'none' | 'ended' | 'signed-out' = message ? 'ended' : 'none'): void {
  accessToken = null;
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = null;
  setState({ status: 'signed-out', message, reason });
}

function accept(tokens: LoginResponse): void {
  accessToken = tokens.accessToken;
  if (refreshTimer) clearTimeout(refreshTimer);
  // a minute before the access token expires (at once for very short ones)
  const inMs = Math.max(5, tokens.expiresIn - 60) * 1000;
  refreshTimer = setTimeout(() => void refreshSession(), inMs);
  setState({ status: 'signed-in', user: tokens.user });
}

const json = { 'Content-Type': 'application/json' };

export async function login(email: string, password: string): Promise<void> {
  const res = await fetch('/api/v1/auth/login', { method: 'POST', headers: json, body: JSON.stringify({ email, password }), credentials: 'same-origin' });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body);
  // the body also carries the refresh token for bearer clients: the app keeps only the cookie
  accept({ ...(body as LoginResponse), refreshToken: null });
}

/** The service's hint that a session cookie was set (no token in it: the refresh token stays httpOnly). */
function hasSessionHint(): boolean {
  return typeof document !== 'undefined' && document.cookie.split(';').some((c) => c.trim() === 'calcitrack_session=1');
}

/**
 * New tokens for the cookie. One refresh at a time, across tabs too (a refresh token works once:
 * two tabs presenting the same cookie at once would look like a stolen token and end the session).
 */
export function refreshSession(): Promise<boolean> {
  // a fresh page without a session: the login page, without asking (the refresh could only answer 400)
  if (!refreshing && state.status === 'starting' && !hasSessionHint()) {
    clear(null);
    return Promise.resolve(false);
  }
  if (!refreshing) {
    const run = async (): Promise<boolean> => {
      try {
        const res = await fetch('/api/v1/auth/refresh', { method: 'POST', headers: json, body: '{}', credentials: 'same-origin' });
        if (!res.ok) {
          const starting = state.status === 'starting';
          clear(starting ? null : 'Your session has ended. Please sign in again.');
          return false;
        }
        accept((await res.json()) as LoginResponse);
        return true;
      } catch {
        // the service cannot be reached: keep what we have, try again later
        if (state.status === 'starting') clear('The service cannot be reached. Please try again.');
        return false;
      }
    };
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    refreshing = (locks ? locks.request('calcitrack-refresh', run) : run()).finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

export async function logout(): Promise<void> {
  const send = (token: string) => fetch('/api/v1/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` }, credentials: 'same-origin' });
  try {
    // the response also replaces the refresh cookie with an expired one
    const res = accessToken ? await send(accessToken) : null;
    // the access token had expired (a laptop asleep): new tokens from the cookie, so the session really ends
    if (res?.status === 401 && (await refreshSession()) && accessToken) await send(accessToken);
  } finally {
    clear('You have signed out.', 'signed-out');
  }
}

/** The access token was refused (it expired, or the session ended elsewhere). */
export function sessionEnded(): void {
  clear('Your session has ended. Please sign in again.');
}

/** For tests: back to the state of a fresh page. */
export function resetSessionForTests(): void {
  accessToken = null;
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = null;
  refreshing = null;
  state = { status: 'starting' };
}
