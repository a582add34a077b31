import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Role } from '../api/types';
import { useSession } from './AuthProvider';

/** Signed in (and, with `roles`, in one of them), or off to the login page, which says why. */
export function RequireSession({ children, roles }: { children: ReactNode; roles?: readonly Role[] }) {
  const state = useSession();
  const location = useLocation();
  if (state.status === 'starting') {
    return (
      <p className="page-status" role="status">
        Loading…
      </p>
    );
  }
  if (state.status === 'signed-out') {
    // back where they were after the session ended, but not into the last user's page after a sign-out
    return <Navigate to="/login" replace state={state.reason === 'signed-out' ? null : { from: location.pathname + location.search }} />;
  }
  if (roles && !roles.includes(state.user.role)) {
    return (
      <main id="main" className="page">
        <h1>Not available</h1>
        <p>This page is not available for your role.</p>
      </main>
    );
  }
  return children;
}
