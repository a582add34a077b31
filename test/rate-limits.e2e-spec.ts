import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RateLimitStore } from '../src/auth/rate-limit.store';
import { createClinic, createPatient, newDepositInput, type TestClinic } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * The request limits kept in PostgreSQL (rate_limit_counters). That they hold across instances is
 * the drill test/faults/shared-rate-limit.fault-spec.ts (two built services); here, what one
 * instance shows: the counter holds no lock for the rest of a request, and ended windows go away.
 */
describe('request limits kept in PostgreSQL', () => {
  let t: TestApp;
  let clinic: TestClinic;

  beforeAll(async () => {
    t = await createTestApp({ rateLimitPerMinute: 50 });
    clinic = await createClinic(t);
  });
  afterAll(() => t.close());

  const counter = async (key: string): Promise<{ hits: number; seconds_left: number } | undefined> =>
    (await t.db.query(`SELECT hits, ceil(extract(epoch FROM window_ends - now()))::int AS seconds_left FROM rate_limit_counters WHERE key = $1`, [key]))[0];

  it('counts each request of a user in one row, its window ending within the minute', async () => {
    await t.http().get('/api/v1/patients').set(clinic.staff.auth).expect(200);
    const first = await counter(`user:${clinic.staff.id}`);
    await t.http().get('/api/v1/patients').set(clinic.staff.auth).expect(200);
    const second = await counter(`user:${clinic.staff.id}`);
    expect(second!.hits).toBe(first!.hits + 1);
    expect(second!.seconds_left).toBeGreaterThan(0);
    expect(second!.seconds_left).toBeLessThanOrEqual(60);
  });

  it("a user's request waiting on a lock does not hold up the same user's other requests", async () => {
    const patientId = await createPatient(t, clinic.physician);
    const runner = t.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      // the visit waits for this row lock, in its request transaction, after the rate limit counted it
      await runner.query(`SELECT 1 FROM patients WHERE clinic_id = $1 AND id = $2 FOR UPDATE`, [clinic.clinicId, patientId]);
      const visit = t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.physician.auth).send({ visitDate: '2025-01-10', newDeposits: [newDepositInput()] }).then((r) => r);
      // polls until the visit's request transaction waits on the row lock (counted by then)
      const deadline = Date.now() + 10_000;
      const blocked = async () => ((await t.db.query(
        `SELECT 1 FROM pg_stat_activity WHERE application_name = 'calcitrack' AND wait_event_type = 'Lock' AND state = 'active' AND pid <> pg_backend_pid()`,
      )) as unknown[]).length > 0;
      while (!(await blocked())) {
        if (Date.now() > deadline) throw new Error('the visit never waited on the patient lock');
        await new Promise((r) => setTimeout(r, 20));
      }
      // another request of the same user goes through meanwhile
      const other = await t.http().get(`/api/v1/patients/${patientId}/visits`).set(clinic.physician.auth);
      expect(other.status).toBe(200);
      expect(other.body.items).toEqual([]);
      await runner.commitTransaction();
      expect((await visit).status).toBe(201);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('a window that has ended starts again at one, and the sweep forgets ended windows', async () => {
    const key = `user:${clinic.admin.id}`;
    await t.http().get('/api/v1/patients').set(clinic.admin.auth).expect(200);
    await t.db.query(`UPDATE rate_limit_counters SET hits = 500, window_ends = now() - interval '1 second' WHERE key = $1`, [key]);
    await t.http().get('/api/v1/patients').set(clinic.admin.auth).expect(200);
    expect((await counter(key))!.hits).toBe(1);

    await t.db.query(`INSERT INTO rate_limit_counters (key, window_ends, hits) VALUES ('user:ended-window-test', now() - interval '1 second', 3)`);
    await t.app.get(RateLimitStore).sweep();
    expect(await counter('user:ended-window-test')).toBeUndefined();
    expect(await counter(key)).toBeDefined();
  });

  it('past the limit a user gets 429 with the seconds left in the window; another user is not affected', async () => {
    const key = `user:${clinic.staff.id}`;
    await t.db.query(`UPDATE rate_limit_counters SET hits = 50 WHERE key = $1`, [key]);
    const limited = await t.http().get('/api/v1/patients').set(clinic.staff.auth).expect(429);
    const left = (await counter(key))!.seconds_left;
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(left);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(left + 1);
    await t.http().get('/api/v1/patients').set(clinic.physician.auth).expect(200);
  });
});
