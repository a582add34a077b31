import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClinic, TEST_PASSWORD, type TestClinic } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * The browser's session: the refresh token in an httpOnly, SameSite=Strict cookie limited to the
 * refresh route, next to the bearer clients' refresh token in the body (which keeps working).
 */
describe('the refresh token in a cookie, for the web app', () => {
  let t: TestApp;
  let clinic: TestClinic;

  beforeAll(async () => {
    t = await createTestApp();
    clinic = await createClinic(t);
  });
  afterAll(() => t.close());

  const setCookieOf = (res: { headers: Record<string, unknown> }): string => {
    const header = res.headers['set-cookie'] as string[] | undefined;
    const cookie = header?.find((c) => c.startsWith('calcitrack_refresh='));
    if (!cookie) throw new Error('no calcitrack_refresh cookie was set');
    return cookie;
  };
  const valueOf = (setCookie: string) => setCookie.split(';')[0];
  const login = () => t.http().post('/api/v1/auth/login').send({ email: clinic.staff.email, password: TEST_PASSWORD }).expect(200);

  it('login sets the cookie: httpOnly, SameSite=Strict, only for the refresh path, not Secure over plain http', async () => {
    const res = await login();
    const cookie = setCookieOf(res);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\/api\/v1\/auth\/refresh(;|$)/);
    expect(cookie).not.toMatch(/; Secure/);
    // it expires with the session, and holds the same token the body carries for bearer clients
    expect(new Date(/Expires=([^;]+)/.exec(cookie)![1]).getTime()).toBe(Math.floor(new Date(res.body.sessionExpiresAt).getTime() / 1000) * 1000);
    expect(valueOf(cookie)).toBe(`calcitrack_refresh=${res.body.refreshToken}`);
  });

  it('login also sets the session hint the page reads: no token, for the whole site, expiring with the session; logout drops both', async () => {
    const res = await login();
    const hint = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('calcitrack_session='));
    expect(hint).toBeDefined();
    expect(hint!.split(';')[0]).toBe('calcitrack_session=1');
    expect(hint).not.toMatch(/HttpOnly/);
    expect(hint).toMatch(/; Path=\/(;|$)/);
    expect(hint).toMatch(/; SameSite=Strict/);
    expect(/Expires=([^;]+)/.exec(hint!)![1]).toBe(/Expires=([^;]+)/.exec(setCookieOf(res))![1]);

    const out = await t.http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${res.body.accessToken}`).expect(204);
    const cleared = out.headers['set-cookie'] as unknown as string[];
    expect(cleared.find((c) => c.startsWith('calcitrack_session='))).toMatch(/^calcitrack_session=;.*Expires=Thu, 01 Jan 1970/);
    expect(cleared.find((c) => c.startsWith('calcitrack_refresh='))).toMatch(/^calcitrack_refresh=;.*Expires=Thu, 01 Jan 1970/);
  });

  it('is Secure behind a TLS proxy (X-Forwarded-Proto from a trusted address)', async () => {
    const res = await t.http().post('/api/v1/auth/login').set('X-Forwarded-Proto', 'https').send({ email: clinic.staff.email, password: TEST_PASSWORD }).expect(200);
    expect(setCookieOf(res)).toMatch(/; Secure/);
  });

  it('a refresh with the cookie rotates it and never shows the refresh token to the page', async () => {
    const first = valueOf(setCookieOf(await login()));
    const res = await t.http().post('/api/v1/auth/refresh').set('Cookie', first).set('Content-Type', 'application/json').send({}).expect(200);
    expect(res.body.refreshToken).toBeNull();
    expect(res.body.accessToken).toEqual(expect.any(String));
    const second = valueOf(setCookieOf(res));
    expect(second).not.toBe(first);
    await t.http().get('/api/v1/patients').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);

    // the rotated cookie works once more; the first one again means it was copied: the session ends
    const third = valueOf(setCookieOf(await t.http().post('/api/v1/auth/refresh').set('Cookie', second).send({}).expect(200)));
    const reused = await t.http().post('/api/v1/auth/refresh').set('Cookie', first).send({}).expect(401);
    expect(setCookieOf(reused)).toMatch(/^calcitrack_refresh=;.*Expires=Thu, 01 Jan 1970/);
    await t.http().post('/api/v1/auth/refresh').set('Cookie', third).send({}).expect(401);
  });

  it('the cookie alone is not enough: the refresh must be sent as JSON (no cross-site form can)', async () => {
    const cookie = valueOf(setCookieOf(await login()));
    const res = await t.http().post('/api/v1/auth/refresh').set('Cookie', cookie).expect(400);
    expect(res.body.details).toEqual([{ field: 'body', messages: [expect.stringMatching(/must be sent as JSON/)] }]);
    // the session was not touched: the same cookie still works as JSON
    await t.http().post('/api/v1/auth/refresh').set('Cookie', cookie).send({}).expect(200);
  });

  it('without a token in the body or a cookie a refresh is a 400 naming the field', async () => {
    const res = await t.http().post('/api/v1/auth/refresh').send({}).expect(400);
    expect(res.body.details).toEqual([{ field: 'refreshToken', messages: ['is required, unless the session cookie is sent'] }]);
  });

  it('bearer clients are unchanged: the body token refreshes and comes back in the body', async () => {
    const { refreshToken } = (await login()).body;
    const res = await t.http().post('/api/v1/auth/refresh').send({ refreshToken }).expect(200);
    expect(res.body.refreshToken).toEqual(expect.stringMatching(/^[0-9a-f-]{36}\./));
    expect(res.body.refreshToken).not.toBe(refreshToken);
  });

  it('logout ends the session and replaces the cookie with an expired one of the same path', async () => {
    const res = await login();
    const cookie = valueOf(setCookieOf(res));
    const out = await t.http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${res.body.accessToken}`).expect(204);
    const cleared = setCookieOf(out);
    expect(cleared).toMatch(/^calcitrack_refresh=;/);
    expect(cleared).toMatch(/; Path=\/api\/v1\/auth\/refresh(;|$)/);
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    await t.http().post('/api/v1/auth/refresh').set('Cookie', cookie).send({}).expect(401);
  });
});
