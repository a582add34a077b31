import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { countRows, createClinic, createPatient, newDepositInput, patientInput, type TestClinic } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

describe('Idempotency-Key on creating POSTs', () => {
  let t: TestApp;
  let clinic: TestClinic;
  let patientId: string;
  let depositId: string;

  beforeAll(async () => {
    t = await createTestApp();
    clinic = await createClinic(t);
    patientId = await createPatient(t, clinic.staff);
    const first = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth)
      .send({ visitDate: '2024-01-10', newDeposits: [newDepositInput({}, { longestDiameterMm: 10 })] }).expect(201);
    [depositId] = first.body.newDepositIds;
  });
  afterAll(() => t.close());

  const alertCount = async () => (await t.db.query(`SELECT count(*)::int AS n FROM alerts WHERE clinic_id = $1`, [clinic.clinicId]))[0].n as number;

  it('20 identical POSTs at once with one key store exactly one visit and one set of alerts', async () => {
    const before = await countRows(t, clinic.clinicId);
    const alertsBefore = await alertCount();
    const body = {
      visitDate: '2024-06-10',
      evaluations: [{ depositId, method: 'caliper', longestDiameterMm: 25, ulcerated: true }],
      newDeposits: [newDepositInput({ label: 'L heel' }, { longestDiameterMm: 7 })],
    };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).set('Idempotency-Key', 'tablet-7-visit-0610').send(body)),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = responses.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    const after = await countRows(t, clinic.clinicId);
    expect(after.visits - before.visits).toBe(1);
    expect(after.evaluations - before.evaluations).toBe(2);
    expect(after.deposits - before.deposits).toBe(1);
    const raised = (await alertCount()) - alertsBefore;
    expect(raised).toBe(created[0].body.alerts.length);
    expect(raised).toBeGreaterThan(0);

    // once finished, a retry replays the first response and stores nothing
    const replay = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).set('Idempotency-Key', 'tablet-7-visit-0610').send(body).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(created[0].body);
    expect(await countRows(t, clinic.clinicId)).toEqual(after);
  });

  it('the same key with another body is a 422, and stores nothing', async () => {
    const before = await countRows(t, clinic.clinicId);
    const res = await t.http().post(`/api/v1/patients/${patientId}/visits`).set(clinic.staff.auth).set('Idempotency-Key', 'tablet-7-visit-0610')
      .send({ visitDate: '2024-06-11', evaluations: [{ depositId, method: 'caliper', longestDiameterMm: 26 }] }).expect(422);
    expect(res.body.message).toContain('Idempotency-Key');
    expect(await countRows(t, clinic.clinicId)).toEqual(before);
  });

  it('a request that failed leaves its key free for the corrected retry', async () => {
    const key = 'register-patient-1';
    const bad = patientInput({ birthDate: 'not-a-date' });
    await t.http().post('/api/v1/patients').set(clinic.staff.auth).set('Idempotency-Key', key).send(bad).expect(400);
    const good = patientInput();
    const first = await t.http().post('/api/v1/patients').set(clinic.staff.auth).set('Idempotency-Key', 'register-patient-2').send(good).expect(201);
    const again = await t.http().post('/api/v1/patients').set(clinic.staff.auth).set('Idempotency-Key', 'register-patient-2').send(good).expect(201);
    expect(again.body.id).toBe(first.body.id);
    await t.http().post('/api/v1/patients').set(clinic.staff.auth).set('Idempotency-Key', key).send(patientInput()).expect(201);
  });

  it('labs and treatments honour the key too; a malformed key is a 400 naming it', async () => {
    const lab = { collectedOn: '2024-06-10', calcium: { value: 2.4, unit: 'mmol/L' } };
    const a = await t.http().post(`/api/v1/patients/${patientId}/labs`).set(clinic.staff.auth).set('Idempotency-Key', 'lab-1').send(lab).expect(201);
    const b = await t.http().post(`/api/v1/patients/${patientId}/labs`).set(clinic.staff.auth).set('Idempotency-Key', 'lab-1').send(lab).expect(201);
    expect(b.body.id).toBe(a.body.id);
    const tr = { kind: 'colchicine', startedOn: '2024-06-10' };
    const c = await t.http().post(`/api/v1/patients/${patientId}/treatments`).set(clinic.staff.auth).set('Idempotency-Key', 'tr-1').send(tr).expect(201);
    const d = await t.http().post(`/api/v1/patients/${patientId}/treatments`).set(clinic.staff.auth).set('Idempotency-Key', 'tr-1').send(tr).expect(201);
    expect(d.body.id).toBe(c.body.id);
    const bad = await t.http().post(`/api/v1/patients/${patientId}/labs`).set(clinic.staff.auth).set('Idempotency-Key', 'has space').send(lab).expect(400);
    expect(bad.body.details[0].field).toBe('Idempotency-Key');
  });

  it("a key is private to its clinic: another clinic's identical key is a new request", async () => {
    const other = await createClinic(t, 'Other clinic');
    const res = await t.http().post('/api/v1/patients').set(other.staff.auth).set('Idempotency-Key', 'register-patient-2').send(patientInput()).expect(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });
});
