import { Link, NavLink, Outlet } from 'react-router';
import type { Role } from '../api/types';
import { useUser } from '../auth/AuthProvider';
import { logout } from '../auth/session';
import { ROLE_LABELS } from '../labels';

interface NavItem {
  to: string;
  label: string;
  roles: readonly Role[];
}

/** Only what the role may do (the API checks again). */
const NAV: NavItem[] = [
  { to: '/inbox', label: 'Inbox', roles: ['physician'] },
  { to: '/patients', label: 'Patients', roles: ['staff', 'physician', 'admin'] },
  { to: '/alerts', label: 'Alerts', roles: ['staff', 'admin'] },
  { to: '/admin/users', label: 'Users', roles: ['admin'] },
  { to: '/admin/rule-settings', label: 'Rule settings', roles: ['admin'] },
  { to: '/admin/notifications', label: 'Notifications', roles: ['admin'] },
  { to: '/admin/audit', label: 'Audit trail', roles: ['admin'] },
];

export function Layout() {
  const user = useUser();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">Calcitrack</span>
        <nav aria-label="Main">
          <ul>
            {NAV.filter((item) => item.roles.includes(user.role)).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to}>{item.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <Link to="/settings" className="who-link" aria-label={`My settings: ${user.name} (${ROLE_LABELS[user.role]})`}>
            {user.name} <span className="role">({ROLE_LABELS[user.role]})</span>
          </Link>
          <button type="button" className="link-button" onClick={() => void logout()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
