import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../App';
import { mockApi, PHYSICIAN, renderWithProviders, STAFF, tokens } from '../test/render';
import { currentAccessToken } from './session';

const noCookie = () => ({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'refreshToken: is required, unless the session cookie is sent', details: [{ field: 'refreshToken', messages: ['is required, unless the session cookie is sent'] }] } });
const emptyPage = () => ({ body: { items: [], nextCursor: null } });

describe('signing in', () => {
  it('signs in by label and button, keeps the token in memory only, and shows the navigation of the role', async () => {
    const { calls } = mockApi({
      'POST /api/v1/auth/refresh': noCookie,
      'POST /api/v1/auth/login': () => ({ body: tokens(STAFF, 'the-refresh-token-for-bearer-clients') }),
      'GET /api/v1/patients': emptyPage,
    });
    renderWithProviders(<App />, { route: '/patients' });

    // no session cookie: the login page
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled());
    await userEvent.type(screen.getByLabelText('Email'), 'staff@demo.local');
    await userEvent.type(screen.getByLabelText('Password'), 'calcitrack-demo');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Patients', level: 1 })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect([...nav.querySelectorAll('a')].map((a) => a.textContent)).toEqual(['Patients', 'Alerts']);
    expect(calls.find((c) => c.path === '/api/v1/auth/login')?.body).toEqual({ email: 'staff@demo.local', password: 'calcitrack-demo' });
    // the API call carries the bearer token; nothing of the session is in web storage
    // (the page can be up before the mock has recorded its request: wait for the request itself)
    await waitFor(() => expect(calls.find((c) => c.path === '/api/v1/patients')?.headers.get('Authorization')).toBe('Bearer token-of-staff'));
    expect(currentAccessToken()).toBe('token-of-staff');
    expect({ ...localStorage }).toEqual({});
    expect({ ...sessionStorage }).toEqual({});
  });

  it('a fresh page without the session hint shows the login page without asking the API (no 400 in the console)', async () => {
    const { calls } = mockApi({ 'POST /api/v1/auth/refresh': () => ({ body: tokens(PHYSICIAN) }) });
    renderWithProviders(<App />, { route: '/inbox', sessionHint: false });
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(calls.filter((c) => c.path === '/api/v1/auth/refresh')).toEqual([]);
    // nothing said: no session had ended
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('a physician lands on the inbox and sees it in the navigation, not the admin pages', async () => {
    mockApi({ 'POST /api/v1/auth/refresh': () => ({ body: tokens(PHYSICIAN) }), 'GET /api/v1/alerts': emptyPage });
    renderWithProviders(<App />, { route: '/' });
    // a reload: the cookie refresh restores the session without the login page
    expect(await screen.findByRole('heading', { name: 'Inbox', level: 1 })).toBeInTheDocument();
    const links = [...screen.getByRole('navigation', { name: 'Main' }).querySelectorAll('a')].map((a) => a.textContent);
    expect(links).toEqual(['Inbox', 'Patients']);
  });

  it("shows the API's message when the password is wrong, and stays on the login page", async () => {
    mockApi({
      'POST /api/v1/auth/refresh': noCookie,
      'POST /api/v1/auth/login': () => ({ status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'wrong email or password' } }),
    });
    renderWithProviders(<App />, { route: '/login' });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled());
    await userEvent.type(screen.getByLabelText('Email'), 'staff@demo.local');
    await userEvent.type(screen.getByLabelText('Password'), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('wrong email or password');
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('returns to the login page with a message when the session has ended', async () => {
    let refreshes = 0;
    mockApi({
      // the first refresh (the reload) works; the session then ends elsewhere
      'POST /api/v1/auth/refresh': () => (refreshes++ === 0 ? { body: tokens(STAFF) } : { status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'the refresh token is invalid, expired or already used' } }),
      'GET /api/v1/patients': () => ({ status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'the token is invalid or has expired' } }),
    });
    renderWithProviders(<App />, { route: '/patients' });
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Your session has ended. Please sign in again.');
    expect(currentAccessToken()).toBeNull();
  });

  it('signing out ends the session at the API and says so', async () => {
    const { calls } = mockApi({
      'POST /api/v1/auth/refresh': () => ({ body: tokens(STAFF) }),
      'GET /api/v1/patients': emptyPage,
      'POST /api/v1/auth/logout': () => ({ status: 204 }),
    });
    renderWithProviders(<App />, { route: '/patients' });
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('You have signed out.');
    expect(calls.find((c) => c.path === '/api/v1/auth/logout')?.headers.get('Authorization')).toBe('Bearer token-of-staff');
  });
});

describe('signing out with an expired access token', () => {
  it('gets new tokens with the cookie first, so the session really ends at the API', async () => {
    let logouts = 0;
    const { calls } = mockApi({
      'POST /api/v1/auth/refresh': () => ({ body: tokens(STAFF) }),
      'GET /api/v1/patients': emptyPage,
      'POST /api/v1/auth/logout': () => (logouts++ === 0 ? { status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'the token is invalid or has expired' } } : { status: 204 }),
    });
    renderWithProviders(<App />, { route: '/patients' });
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(calls.filter((c) => c.path === '/api/v1/auth/logout')).toHaveLength(2);
    expect(calls.filter((c) => c.path === '/api/v1/auth/refresh')).toHaveLength(2);
    expect(screen.getByRole('status')).toHaveTextContent('You have signed out.');
  });
});
