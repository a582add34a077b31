import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { AuthProvider } from '../auth/AuthProvider';
import { resetSessionForTests } from '../auth/session';

/** `sessionHint`: the page has the service's session hint cookie (a reload of a signed-in tab), as by default. */
export function renderWithProviders(ui: ReactElement, { route = '/', sessionHint = true }: { route?: string; sessionHint?: boolean } = {}) {
  resetSessionForTests();
  document.cookie = sessionHint ? 'calcitrack_session=1; path=/' : 'calcitrack_session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT';
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[route]}>
        <AuthProvider>{ui}</AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * The browser's fetch, answering by method and path the way the service does. Each route is a
 * function of the request, so a test can answer a retry differently from the first try.
 */
export function mockApi(routes: Record<string, (req: Request, body: unknown) => Reply>) {
  const calls: { method: string; path: string; search: string; body: unknown; headers: Headers }[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), 'http://localhost:3000'), init);
    const url = new URL(req.url);
    const text = await req.clone().text();
    const body = text ? JSON.parse(text) : undefined;
    calls.push({ method: req.method, path: url.pathname, search: url.search, body, headers: req.headers });
    const handler = routes[`${req.method} ${url.pathname}`];
    const reply = handler ? handler(req, body) : { status: 404, body: { statusCode: 404, error: 'Not Found', message: `no mock for ${req.method} ${url.pathname}` } };
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status: reply.status ?? 200,
      headers: { 'Content-Type': 'application/json', ...reply.headers },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}

export const STAFF = { id: '00000000-0000-4000-8000-000000000001', email: 'staff@demo.local', name: 'Demo Staff', role: 'staff', clinicId: '00000000-0000-4000-8000-0000000000c1' } as const;
export const PHYSICIAN = { ...STAFF, id: '00000000-0000-4000-8000-000000000002', email: 'physician@demo.local', name: 'Dr. Demo', role: 'physician' } as const;

export function tokens(user: { id: string; email: string; name: string; role: string; clinicId: string }, refreshToken: string | null = null) {
  return { accessToken: `token-of-${user.role}`, expiresIn: 900, refreshToken, sessionExpiresAt: '2099-01-01T00:00:00.000Z', user };
}
