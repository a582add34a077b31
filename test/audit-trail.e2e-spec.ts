import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditEventStatement } from '../src/audit/audit-writer';
import { verifyAuditChains } from '../src/audit/audit-verify';
import { runAsClinicThenCommit } from '../src/database/tenant-context';
import { createClinic, createPatient, newDepositInput, TEST_PASSWORD, type TestClinic } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

interface AuditRow {
  id: string;
  seq: string;
  clinic_id: string | null;
  actor_id: string | null;
  actor_role: string | null;
  patient_id: string | null;
  action: string;
  record_type: string | null;
  record_id: string | null;
  outcome: string;
  status_code: number | null;
  client_ip: string | null;
  request_id: string | null;
  occurred_at: Date;
}

describe('the audit trail', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let patientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    clinic = await createClinic(t);
    patientId = await createPatient(t, clinic.staff);
  });
  afterAll(() => t.close());

  /** The events a request left, found by its request id. */
  const eventsOf = async (requestId: string): Promise<AuditRow[]> => t.db.query(`SELECT * FROM audit_events WHERE request_id = $1`, [requestId]);

  it.each([
    ['reading a patient', 'GET', () => `/api/v1/patients/${patientId}`, undefined, 'patient.read', 'patient', 200],
    ['changing a patient', 'PATCH', () => `/api/v1/patients/${patientId}`, { familyHistory: true }, 'patient.update', 'patient', 200],
    ['listing the visits', 'GET', () => `/api/v1/patients/${patientId}/visits`, undefined, 'visit.list', 'visit', 200],
    ['logging a visit', 'POST', () => `/api/v1/patients/${patientId}/visits`, { visitDate: '2025-01-10', newDeposits: [newDepositInput()] }, 'visit.create', 'visit', 201],
    ['recording labs', 'POST', () => `/api/v1/patients/${patientId}/labs`, { collectedOn: '2025-01-10', calcium: { value: 9.5, unit: 'mg/dL' } }, 'lab-result.create', 'lab-result', 201],
  ])('%s leaves exactly one event naming the actor, patient, record, outcome, time, address and request', async (_story, method, path, body, action, recordType, status) => {
    const req = t.http()[method.toLowerCase() as 'get' | 'post' | 'patch'](path()).set(clinic.staff.auth).set('X-Request-Id', `audit-test-${action}-${Date.now()}`);
    const res = await (body ? req.send(body) : req).expect(status);
    const events = await eventsOf(res.headers['x-request-id']);
    expect(events).toHaveLength(1);
    const [e] = events;
    expect(e).toMatchObject({ clinic_id: clinic.clinicId, actor_id: clinic.staff.id, actor_role: 'staff', patient_id: patientId, action, record_type: recordType, outcome: 'success', status_code: status });
    expect(e.record_id).toEqual(action.endsWith('.list') ? null : expect.any(String));
    expect(e.client_ip).toMatch(/127\.0\.0\.1|::1|::ffff:127\.0\.0\.1/);
    expect(Date.now() - new Date(e.occurred_at).getTime()).toBeLessThan(60_000);
  });

  it('a visit that fails validation stores no success event, only one rejected event', async () => {
    const res = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).send({ visitDate: 'not-a-date', newDeposits: [newDepositInput()] }).expect(400);
    const events = await eventsOf(res.headers['x-request-id']);
    expect(events.map((e) => [e.action, e.outcome, e.status_code])).toEqual([['visit.create', 'rejected', 400]]);
  });

  it('a denied request is recorded (403), and so is a request for a record that is not there (404)', async () => {
    const denied = await t.http().get('/api/v1/users').set(clinic.staff.auth).expect(403);
    expect((await eventsOf(denied.headers['x-request-id'])).map((e) => [e.action, e.outcome, e.actor_id])).toEqual([['user.list', 'denied', clinic.staff.id]]);
    const missing = await t.http().get('/api/v1/deposits/00000000-0000-4000-8000-000000000000').set(clinic.staff.auth).expect(404);
    expect((await eventsOf(missing.headers['x-request-id'])).map((e) => [e.action, e.outcome, e.patient_id])).toEqual([['deposit.read', 'not-found', null]]);
  });

  it('records logins, the failed ones too, with the account they were for', async () => {
    const ok = await t.http().post('/api/v1/auth/login').send({ email: clinic.physician.email, password: TEST_PASSWORD }).expect(200);
    const bad = await t.http().post('/api/v1/auth/login').send({ email: clinic.physician.email, password: 'wrong-wrong-wrong' }).expect(401);
    expect((await eventsOf(ok.headers['x-request-id'])).map((e) => [e.action, e.outcome, e.actor_id])).toEqual([['auth.login', 'success', clinic.physician.id]]);
    expect((await eventsOf(bad.headers['x-request-id'])).map((e) => [e.action, e.outcome, e.actor_id])).toEqual([['auth.login', 'denied', clinic.physician.id]]);
  });

  it('a failed login of an unknown email is recorded in the chain of events of no clinic, which the check walks too', async () => {
    const res = await t.http().post('/api/v1/auth/login').set('X-Request-Id', `audit-test-unknown-${Date.now()}`).send({ email: 'nobody-at-all@test.local', password: 'wrong-wrong-wrong' }).expect(401);
    const requestId = res.headers['x-request-id'];
    expect(await eventsOf(requestId)).toEqual([]);
    const [event]: { id: string; seq: string; action: string; outcome: string; actor_id: string | null }[] = await t.db.query(
      `SELECT id, seq, action, outcome, actor_id FROM audit_events_unscoped WHERE request_id = $1`, [requestId]);
    expect(event).toMatchObject({ action: 'auth.login', outcome: 'denied', actor_id: null });
    expect((await verifyAuditChains(t.db)).breaks.filter((b) => b.clinicId === null)).toEqual([]);

    // altered behind the trigger's back, then put back as it was (the chain is shared by the whole run)
    const tamper = (action: string) => t.db.transaction(async (m) => {
      await m.query(`ALTER TABLE audit_events_unscoped DISABLE TRIGGER audit_events_unscoped_append_only`);
      await m.query(`UPDATE audit_events_unscoped SET action = $2 WHERE id = $1`, [event.id, action]);
      await m.query(`ALTER TABLE audit_events_unscoped ENABLE TRIGGER audit_events_unscoped_append_only`);
    });
    await tamper('auth.refresh');
    try {
      expect((await verifyAuditChains(t.db)).breaks.filter((b) => b.clinicId === null)).toEqual([
        { clinicId: null, seq: Number(event.seq), id: event.id, problem: 'its contents do not match its hash (altered)' },
      ]);
    } finally {
      await tamper('auth.login');
    }
    expect((await verifyAuditChains(t.db)).breaks.filter((b) => b.clinicId === null)).toEqual([]);
    await expect(t.db.query(`DELETE FROM audit_events_unscoped WHERE id = $1`, [event.id])).rejects.toThrow(/append-only/);
  });

  it('admins read their clinic trail, filtered and paged; other roles may not', async () => {
    const res = await t.http().get(`/api/v1/audit-events?patientId=${patientId}&limit=2`).set(clinic.admin.auth).expect(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items.every((e: { patientId: string }) => e.patientId === patientId)).toBe(true);
    expect(res.body.nextCursor).toEqual(expect.any(String));
    const next = await t.http().get(`/api/v1/audit-events?patientId=${patientId}&limit=2&cursor=${res.body.nextCursor}`).set(clinic.admin.auth).expect(200);
    expect(next.body.items[0].seq).toBeLessThan(res.body.items[1].seq);
    const byActor = await t.http().get(`/api/v1/audit-events?actorId=${clinic.staff.id}`).set(clinic.admin.auth).expect(200);
    expect(byActor.body.items.every((e: { actorId: string }) => e.actorId === clinic.staff.id)).toBe(true);
    await t.http().get('/api/v1/audit-events').set(clinic.physician.auth).expect(403);
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE on audit rows, for the table owner too', async () => {
    const [row] = await t.db.query(`SELECT id FROM audit_events WHERE clinic_id = $1 LIMIT 1`, [clinic.clinicId]);
    await expect(t.db.query(`UPDATE audit_events SET outcome = 'success' WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_events WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
  });

  it('each clinic\'s events form a hash chain, and the check names the first row altered behind the trigger\'s back', async () => {
    const other = await createClinic(t, 'Tampered clinic');
    await createPatient(t, other.staff);
    await createPatient(t, other.staff);
    const before = await verifyAuditChains(t.db);
    expect(before.breaks.filter((b) => b.clinicId === other.clinicId)).toEqual([]);

    const rows: { id: string; seq: string }[] = await t.db.query(`SELECT id, seq FROM audit_events WHERE clinic_id = $1 ORDER BY seq`, [other.clinicId]);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const victim = rows[1];
    await t.db.transaction(async (m) => {
      await m.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
      await m.query(`UPDATE audit_events SET action = 'patient.read' WHERE id = $1`, [victim.id]);
      await m.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
    });
    const after = await verifyAuditChains(t.db);
    expect(after.breaks.filter((b) => b.clinicId === other.clinicId)).toEqual([
      { clinicId: other.clinicId, seq: Number(victim.seq), id: victim.id, problem: 'its contents do not match its hash (altered)' },
    ]);
  });

  it('a request\'s event sent with its COMMIT, its values written in as literals, stores them exactly (quotes and backslashes too)', async () => {
    const hostile = `x'); DELETE FROM patients; -- \\' \\\\ "é" $1 $$`;
    const requestId = `audit-literal-${Date.now()}`;
    const event = { clinicId: clinic.clinicId, actorId: clinic.staff.id, actorRole: 'staff', patientId, action: 'patient.read', recordType: 'patient', recordId: hostile, outcome: 'success' as const, statusCode: 200, clientIp: hostile, requestId };
    await runAsClinicThenCommit(t.appDb, clinic.clinicId, async () => ({ value: null, last: auditEventStatement(event) }));
    const [e] = await eventsOf(requestId);
    expect(e).toMatchObject({ clinic_id: clinic.clinicId, actor_id: clinic.staff.id, patient_id: patientId, record_id: hostile, client_ip: hostile, status_code: 200 });
    expect(await t.db.query(`SELECT 1 FROM patients WHERE clinic_id = $1 AND id = $2`, [clinic.clinicId, patientId])).toHaveLength(1);
    // chained by the trigger like any other event (the test before this one altered an older row of this chain on purpose)
    const [chained]: { ok: boolean }[] = await t.db.query(`SELECT a.hash = audit_event_digest(a) AND a.seq > 0 AS ok FROM audit_events a WHERE request_id = $1`, [requestId]);
    expect(chained.ok).toBe(true);
  });

  it('when the statement sent with the COMMIT fails, nothing of the transaction is committed', async () => {
    const mrn = `ROLLBACK-${Date.now()}`;
    const attempt = runAsClinicThenCommit(t.appDb, clinic.clinicId, async (manager) => {
      await manager.query(`UPDATE patients SET mrn = $1 WHERE clinic_id = $2 AND id = $3`, [mrn, clinic.clinicId, patientId]);
      return { value: null, last: `INSERT INTO audit_events (clinic_id, action, outcome, seq, prev_hash, hash) VALUES ('${clinic.clinicId}', 'x', 'not-an-outcome', 0, '', '')` };
    });
    await expect(attempt).rejects.toThrow(/check constraint/);
    expect(await t.db.query(`SELECT 1 FROM patients WHERE mrn = $1`, [mrn])).toEqual([]);
    // the connection went back to the pool clean: the next transaction on it works
    await expect(runAsClinicThenCommit(t.appDb, clinic.clinicId, async (manager) => ({ value: (await manager.query(`SELECT 1 AS one`))[0].one, last: null }))).resolves.toBe(1);
  });
});
