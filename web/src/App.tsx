import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { useSession } from './auth/AuthProvider';
import { LoginPage } from './auth/LoginPage';
import { RequireSession } from './auth/RequireSession';
import { homeOf } from './auth/roles';
import { Layout } from './components/Layout';
import { Loading, Page } from './components/Page';
import { InboxPage } from './features/inbox/routes/InboxPage';
import { PatientsPage } from './features/patients/routes/PatientsPage';

// The inbox (a physician's home) and the patient search load with the app; the rest on first use.
const AlertPage = lazy(() => import('./features/inbox/routes/AlertPage').then((m) => ({ default: m.AlertPage })));
const EditPatientPage = lazy(() => import('./features/patients/routes/EditPatientPage').then((m) => ({ default: m.EditPatientPage })));
const PatientPage = lazy(() => import('./features/patients/routes/PatientPage').then((m) => ({ default: m.PatientPage })));
const NewPatientPage = lazy(() => import('./features/patients/routes/NewPatientPage').then((m) => ({ default: m.NewPatientPage })));
const LogVisitPage = lazy(() => import('./features/visits/routes/LogVisitPage').then((m) => ({ default: m.LogVisitPage })));
const UsersPage = lazy(() => import('./features/admin/routes/UsersPage').then((m) => ({ default: m.UsersPage })));
const RuleSettingsPage = lazy(() => import('./features/admin/routes/RuleSettingsPage').then((m) => ({ default: m.RuleSettingsPage })));
const NotificationsPage = lazy(() => import('./features/admin/routes/NotificationsPage').then((m) => ({ default: m.NotificationsPage })));
const MySettingsPage = lazy(() => import('./features/account/routes/MySettingsPage').then((m) => ({ default: m.MySettingsPage })));
const AuditPage = lazy(() => import('./features/admin/routes/AuditPage').then((m) => ({ default: m.AuditPage })));

function Deferred({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading what="the page" />}>{children}</Suspense>;
}

function Home() {
  const state = useSession();
  return state.status === 'signed-in' ? <Navigate to={homeOf(state.user.role)} replace /> : null;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireSession>
            <Layout />
          </RequireSession>
        }
      >
        <Route index element={<Home />} />
        <Route path="patients" element={<PatientsPage />} />
        <Route path="patients/new" element={<Deferred><NewPatientPage /></Deferred>} />
        <Route path="patients/:patientId" element={<Deferred><PatientPage /></Deferred>} />
        <Route path="patients/:patientId/edit" element={<Deferred><EditPatientPage /></Deferred>} />
        <Route
          path="patients/:patientId/visits/new"
          element={
            <RequireSession roles={['staff', 'physician']}>
              <Deferred><LogVisitPage /></Deferred>
            </RequireSession>
          }
        />
        <Route path="inbox" element={<InboxPage title="Inbox" />} />
        <Route path="alerts" element={<InboxPage title="Alerts" />} />
        <Route path="alerts/:alertId" element={<Deferred><AlertPage /></Deferred>} />
        <Route
          path="admin/users"
          element={
            <RequireSession roles={['admin']}>
              <Deferred><UsersPage /></Deferred>
            </RequireSession>
          }
        />
        <Route
          path="admin/rule-settings"
          element={
            <RequireSession roles={['admin']}>
              <Deferred><RuleSettingsPage /></Deferred>
            </RequireSession>
          }
        />
        <Route
          path="admin/notifications"
          element={
            <RequireSession roles={['admin']}>
              <Deferred><NotificationsPage /></Deferred>
            </RequireSession>
          }
        />
        <Route path="settings" element={<Deferred><MySettingsPage /></Deferred>} />
        <Route
          path="admin/audit"
          element={
            <RequireSession roles={['admin']}>
              <Deferred><AuditPage /></Deferred>
            </RequireSession>
          }
        />
        <Route
          path="*"
          element={
            <Page title="Page not found">
              <p>There is no page at this address.</p>
            </Page>
          }
        />
      </Route>
    </Routes>
  );
}
