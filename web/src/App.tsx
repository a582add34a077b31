import { Navigate, Route, Routes } from 'react-router';
import { useSession } from './auth/AuthProvider';
import { LoginPage } from './auth/LoginPage';
import { RequireSession } from './auth/RequireSession';
import { homeOf } from './auth/roles';
import { Layout } from './components/Layout';
import { Page } from './components/Page';

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
