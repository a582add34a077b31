import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { createClinic, TEST_PASSWORD, type TestClinic } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

describe('logging in and the health check', () => {
  let t: TestApp;
  let clinic: TestClinic;

  beforeAll(async () => {
    t = await createTestApp();
    clinic = await createClinic(t);
  });
  afterAll(() => t.close());

  it('answers /health with the database up', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'up' });
  });

  it('issues a short-lived token and the user, never the password hash', async () => {
    const res = await t.http().post('/api/v1/auth/login').send({ email: clinic.physician.email, password: TEST_PASSWORD }).expect(200);
    expect(res.body.expiresIn).toBe(900);
    expect(res.body.user).toEqual({ id: clinic.physician.id, email: clinic.physician.email, name: 'Dr. Test', role: 'physician', clinicId: clinic.clinicId });
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|passwordHash/);
  });

  it('refuses a wrong password with 401 and the error shape', async () => {
    const res = await t.http().post('/api/v1/auth/login').send({ email: clinic.physician.email, password: 'nope-nope-nope' }).expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: 'wrong email or password' });
  });

  it('refuses requests without a token, and with a forged one', async () => {
    await t.http().get('/api/v1/patients').expect(401);
    const [h, p] = clinic.staff.token.split('.');
    await t.http().get('/api/v1/patients').set('Authorization', `Bearer ${h}.${p}.forgedsignature`).expect(401);
  });
});

describe('rotating the signing key', () => {
  const previous = 'the-previous-secret-the-previous-secret-42';
  let t: TestApp;
  let clinic: TestClinic;

  beforeAll(async () => {
    t = await createTestApp({ jwtSecretPrevious: previous });
    clinic = await createClinic(t);
  });
  afterAll(() => t.close());

  /** The staff user's own token's claims, signed again with `secret`. */
  const resigned = (secret: string, algorithm: 'HS256' | 'HS384' = 'HS256') => {
    const claims = new JwtService().decode<Record<string, unknown>>(clinic.staff.token);
    return new JwtService({ secret }).sign(claims, { algorithm });
  };

  it('accepts tokens of the current key and of the previous one, and no other', async () => {
    await t.http().get('/api/v1/patients').set(clinic.staff.auth).expect(200);
    await t.http().get('/api/v1/patients').set('Authorization', `Bearer ${resigned(previous)}`).expect(200);
    await t.http().get('/api/v1/patients').set('Authorization', `Bearer ${resigned('some-other-secret-some-other-secret-0000')}`).expect(401);
    // the algorithm stays pinned to HS256 whichever key signed
    await t.http().get('/api/v1/patients').set('Authorization', `Bearer ${resigned(previous, 'HS384')}`).expect(401);
    await t.http().get('/api/v1/patients').set('Authorization', `Bearer ${resigned(t.config.jwtSecret, 'HS384')}`).expect(401);
  });
});
