import { useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router';
import { messageOf } from '../api/errors';
import { TextField } from '../components/fields';
import { useSession } from './AuthProvider';
import { homeOf } from './roles';
import { login } from './session';

export function LoginPage() {
  const state = useSession();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (state.status === 'signed-in') {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from && from !== '/login' ? from : homeOf(state.user.role)} replace />;
  }

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await login(email.trim(), password);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  const notice = state.status === 'signed-out' ? state.message : null;
  return (
    <main id="main" className="login-page">
      <div className="login-card">
        <p className="brand" aria-hidden="true">
          Calcitrack
        </p>
        <h1>Sign in</h1>
        {notice && !error && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <form noValidate onSubmit={(e) => void onSubmit(e)}>
          <TextField label="Email" type="email" autoComplete="username" name="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          <TextField label="Password" type="password" autoComplete="current-password" name="password" value={password} onChange={(e) => setPassword(e.target.value)} />
          <button type="submit" className="primary" disabled={busy || state.status === 'starting'}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
